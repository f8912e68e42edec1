/**
 * @file Fused WebGPU programs (Dawn, Mesa GLES) against the float64 CPU and the unfused WebGPU
 * path: elementwise chains (one program per chain, split when the leaves exceed the binding
 * budget), row kernels for softmax / log-softmax / layer norm in inference plans (dead
 * intermediates) and in gradient plans (live intermediates written by the kernel), rows longer
 * than the workgroup cache. Training plans of W2 (MLP), W4 (LSTM), W5 (transformer block) and the
 * mnist-mlp template run with fewer dispatches fused than unfused and the same losses.
 * Tolerances: forward rtol 1e-4, atol 1e-5; gradients and losses rtol 1e-3, atol 1e-4.
 */
import { describe, expect, test } from 'vitest';
import { vjp } from '../../core/autograd';
import { WebGpuBackend, WebGpuExecutable } from '../../core/backends/webgpu/webgpuBackend';
import { planFusion } from '../../core/backends/webgpu/fusion';
import { createBackend, type HostArray } from '../../core/backends';
import { compile } from '../../core/compile';
import type { Plan } from '../../core/compile/plan';
import { rowPatterns } from '../../core/compile/rowPatterns';
import { layerNorm } from '../../core/layers/ops';
import { constant, oneHot, Tracer, type Tensor } from '../../core/tensor';
import { findTemplate } from '../../core/templates';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../../core/train/program';
import { recipe, WORKLOADS } from '../../bench/workloads';
import { generate, rng } from '../engine/support';
import { FORWARD, GRADIENT } from './conformance';
import { expectClose, nodeGpu, type Tolerance } from './support';

interface Case {
  plan: Plan;
  inputs: Record<string, number[]>;
}

function build(shapes: Record<string, number[]>, fn: (x: Record<string, Tensor>, t: Tracer) => void): Case {
  const t = new Tracer();
  t.run((tr) => fn(Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, tr.input(k, s)])), t));
  const r = rng(5);
  return { plan: compile(t.graph), inputs: Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, generate(s.reduce((a, b) => a * b, 1), 'normal', r)])) };
}

async function runOn(c: Case, options: { fusion?: boolean; maxBindings?: number } | 'f64'): Promise<{ out: Record<string, HostArray>; dispatches: number }> {
  if (options === 'f64') return { out: await createBackend('cpu', { mode: 'f64' }).prepare(c.plan).run(c.inputs), dispatches: 0 };
  const { device } = await nodeGpu();
  const exe = new WebGpuBackend(device, options).prepare(c.plan, { seed: 1 });
  const out = await exe.run(c.inputs);
  const dispatches = exe.dispatches;
  exe.dispose();
  return { out, dispatches };
}

/** Fused ~ f64 and ~ unfused; returns the dispatch counts. */
async function check(label: string, c: Case, tol: Tolerance, options: { maxBindings?: number } = {}): Promise<{ fused: number; unfused: number }> {
  const want = (await runOn(c, 'f64')).out;
  const fused = await runOn(c, options);
  const unfused = await runOn(c, { fusion: false });
  for (const name of Object.keys(want)) {
    expectClose(`${label} '${name}' fused vs f64`, fused.out[name], want[name], tol);
    expectClose(`${label} '${name}' fused vs unfused`, fused.out[name], unfused.out[name], tol);
  }
  return { fused: fused.dispatches, unfused: unfused.dispatches };
}

const kinds = (p: Plan): string[] => rowPatterns(p).map((r) => r.kind);

describe('row kernels', () => {
  test('softmax, log-softmax and layer norm (inference) fuse into one dispatch each', async () => {
    const c = build({ x: [5, 37], g: [37], b: [37] }, (x, t) => {
      t.output('sm', x.x.softmax());
      t.output('lsm', x.x.mul(2).logSoftmax());
      t.output('ln', layerNorm(x.x.add(1), 1e-5, x.g, x.b));
      t.output('ln0', layerNorm(x.x.sub(1), 1e-3));
    });
    expect(kinds(c.plan).sort()).toEqual(['layerNorm', 'layerNorm', 'logSoftmax', 'softmax']);
    const n = await check('rows', c, FORWARD);
    // 5 + 7 + 12 + 10 steps become 4 dispatches (mul, add, sub stay: 3)
    expect(n.fused).toBe(4 + 3);
    expect(n.unfused).toBeGreaterThan(30);
  });

  test('rows longer than the workgroup cache, and a NaN row', async () => {
    const c = build({ x: [3, 1500], g: [1500] }, (x, t) => {
      t.output('sm', x.x.softmax());
      t.output('ln', layerNorm(x.x, 1e-5, x.g));
    });
    c.inputs.x[1500 + 7] = NaN;
    expect(kinds(c.plan).sort()).toEqual(['layerNorm', 'softmax']);
    await check('long rows', c, FORWARD);
  });

  test('gradient plans: live intermediates are written by the row kernel', async () => {
    const c = build({ x: [4, 10], g: [10], b: [10] }, (x, t) => {
      const y = t.input('y', [4], 'i32');
      const ce = oneHot(y, 10).mul(x.x.logSoftmax()).sum(-1).mean().neg();
      const ln = layerNorm(x.x, 1e-5, x.g, x.b);
      const sm = x.x.mul(0.5).softmax();
      const loss = ce.add(ln.mul(constant(generate(40, 'normal', rng(2)), [4, 10])).sum()).add(sm.mul(sm).sum());
      t.output('loss', loss);
      vjp(loss, [x.x, x.g, x.b]).forEach((gr, i) => t.output(`g${i}`, gr));
    });
    c.inputs.y = [1, 9, 0, 3];
    const found = rowPatterns(c.plan);
    expect(found.map((p) => p.kind).sort()).toEqual(['layerNorm', 'logSoftmax', 'softmax']);
    expect(found.every((p) => p.live.length > 0)).toBe(true);
    const { device } = await nodeGpu();
    expect(planFusion(c.plan, device.limits.maxStorageBuffersPerShaderStage).programs.size).toBeGreaterThan(0);
    const n = await check('gradients', c, GRADIENT);
    expect(n.fused).toBeLessThan(n.unfused);
  });
});

describe('elementwise chains', () => {
  test('a chain with more leaves than the binding budget is split into programs that fit', async () => {
    const shapes = { a: [6, 7], b: [7], c: [6, 1], d: [6, 7], e: [1], f: [6, 7] };
    const c = build(shapes, (x, t) => t.output('y', x.a.add(x.b).mul(x.c).sub(x.d).div(x.e.exp().add(2)).maximum(x.f).tanh().mul(x.a)));
    const four = planFusion(c.plan, 4);
    const bound = [...four.programs.values()].map((p) => p.buffers.length);
    expect(bound.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...bound)).toBeLessThanOrEqual(4);
    const wide = planFusion(c.plan, 16);
    expect(wide.programs.size).toBeLessThan(four.programs.size + 1);
    const split = await check('split chain', c, FORWARD, { maxBindings: 4 });
    const whole = await check('whole chain', c, FORWARD, { maxBindings: 16 });
    expect(whole.fused).toBeLessThan(split.fused);
    expect(split.fused).toBeLessThan(split.unfused);
  });

  test('compare, where and unary maps in one program', async () => {
    const c = build({ x: [3, 8], y: [3, 8] }, (x, t) => t.output('z', x.x.sin().mul(x.y).gt(0.1).where(x.y, x.x).abs().sqrt().neg().sigmoid()));
    const n = await check('where chain', c, FORWARD);
    expect(n.fused).toBe(1);
  });
});

describe('training plans: fewer dispatches, same losses', () => {
  async function steps(id: 'W2' | 'W4' | 'W5' | 'mnist-mlp', fusion: boolean): Promise<{ losses: number[]; dispatches: number }> {
    const { device } = await nodeGpu();
    const backend = new WebGpuBackend(device, { fusion });
    let r;
    let batch: number;
    if (id === 'mnist-mlp') {
      const project = findTemplate('mnist-mlp')!.build('MLP');
      batch = 8;
      const network = project.networks.find((n) => n.id === project.training.networks.model) ?? project.networks[0];
      r = compileSupervised(network, project.training, backend, batch, 1);
    } else {
      batch = 2;
      const w = WORKLOADS[id];
      r = compileSupervised(id === 'W4' ? shortLstm(w.network) : w.network, recipe(batch), backend, batch, 1);
    }
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const random = rng(3);
    const inputs: Record<string, ArrayLike<number>> = { [LR_INPUT]: new Float32Array([1e-3]), [STEP_INPUT]: new Int32Array(1) };
    for (const f of r.model.feeds) {
      const n = batch * f.spec.shape.reduce((a, b) => a * b, 1);
      inputs[f.input] = f.spec.dtype === 'i32' ? Int32Array.from({ length: n }, () => Math.floor(random() * 10)) : Float32Array.from({ length: n }, () => random() * 2 - 1);
    }
    const losses: number[] = [];
    for (let i = 0; i < 2; i++) losses.push((await r.model.train.run(inputs)).loss[0]);
    const exe = r.model.train as WebGpuExecutable;
    const dispatches = exe.dispatches;
    exe.dispose();
    return { losses, dispatches };
  }

  for (const id of ['mnist-mlp', 'W2', 'W4', 'W5'] as const) {
    test(id, async () => {
      const fused = await steps(id, true);
      const unfused = await steps(id, false);
      expect(fused.dispatches).toBeLessThan(unfused.dispatches);
      fused.losses.forEach((l, i) => expect(Math.abs(l - unfused.losses[i]), `step ${i + 1}: fused ${l}, unfused ${unfused.losses[i]}`).toBeLessThanOrEqual(1e-3 * Math.abs(unfused.losses[i]) + 1e-4));
    });
  }
});

/** W4 with 6 time steps instead of 50 (software adapters are slow; the plan's structure is the same). */
function shortLstm(network: (typeof WORKLOADS)['W4']['network']): (typeof WORKLOADS)['W4']['network'] {
  return { ...network, nodes: network.nodes.map((n) => (n.id === 'x' ? { ...n, params: { ...n.params, shape: [6, 8] } } : n)) };
}
