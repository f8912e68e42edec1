/**
 * @file Every primitive on WebGPU (Dawn, Mesa GLES) against the float64 CPU oracle: each case of
 * tests/engine/primCases (driven by the Prim enum, so a primitive without a case fails) runs its
 * forward, and differentiable cases also their reverse-mode gradient graph (which exercises the
 * backward primitives, reductions and broadcasts the autograd emits). f32 tolerance: rtol 1e-4,
 * atol 1e-5. Uniform random draws must equal the CPU's bit for bit.
 */
import { describe, expect, test } from 'vitest';
import { vjp } from '../../core/autograd';
import { createBackend } from '../../core/backends';
import { compile } from '../../core/compile';
import { sizeOf } from '../../core/ir/graph';
import { ALL_PRIMS, Prim } from '../../core/ir/prims';
import { Tracer, constant, type Tensor } from '../../core/tensor';
import { primCases, type PrimCase } from '../engine/primCases';
import { generate, rng } from '../engine/support';
import { expectClose, nodeGpu } from './support';

function build(t: Tracer, c: PrimCase): { xs: Tensor[]; y: Tensor } {
  const xs = c.inputs.map((i, k) => t.input(`x${k}`, i.shape, i.dtype ?? 'f32'));
  return { xs, y: c.build(xs) };
}

/** Forward (y) and, for differentiable cases, the gradients of sum(y·R) w.r.t. the f32 inputs. */
function graphOf(c: PrimCase, withGrad: boolean): Tracer {
  const t = new Tracer();
  t.run((tr) => {
    const { xs, y } = build(tr, c);
    t.output('y', y);
    if (!withGrad) return;
    const proj = generate(sizeOf(c.shape), 'normal', rng(99));
    const loss = y.cast('f32').mul(constant(proj, c.shape)).sum();
    vjp(loss, xs.filter((x) => x.dtype === 'f32')).forEach((g, i) => t.output(`g${i}`, g));
  });
  return t;
}

describe.each(ALL_PRIMS)('prim %s on WebGPU', (prim: Prim) => {
  const cases = primCases[prim];
  test('has a case', () => expect(cases.length).toBeGreaterThan(0));

  test.each(cases)('$label: forward and gradient ~ f64 CPU', async (c) => {
    const { device } = await nodeGpu();
    const r = rng(1);
    const inputs = Object.fromEntries(c.inputs.map((i, k) => [`x${k}`, generate(sizeOf(i.shape), i.gen ?? 'normal', r)]));
    const withGrad = c.grad !== false && c.inputs.some((i) => (i.dtype ?? 'f32') === 'f32');
    const plan = compile(graphOf(c, withGrad).graph);
    const want = await createBackend('cpu', { mode: 'f64' }).prepare(plan, { seed: 3 }).run(inputs);
    const exe = createBackend('webgpu', { device }).prepare(plan, { seed: 3 });
    const got = await exe.run(inputs);
    exe.dispose();
    for (const name of Object.keys(want)) expectClose(`${prim} ${c.label} output '${name}'`, got[name], want[name]);
    if (prim === Prim.Random && c.label.startsWith('uniform')) {
      const f32 = await createBackend('cpu', { mode: 'f32' }).prepare(plan, { seed: 3 }).run(inputs);
      expect(Array.from(got.y)).toEqual(Array.from(f32.y)); // bit for bit
    }
  });
});
