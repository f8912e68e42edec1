/**
 * @file Softmax and layer norm as row kernels (core/backends/cpu/wasm/rowgen.ts over the groups of
 * core/compile/rowPatterns.ts): the groups are found and run as one kernel each, and training
 * steps give the losses of the unfused steps bit for bit (same f32 operations in the same order),
 * within 1e-4 of the float64 reference — on rows with vector tails (C = 67), with the layer-norm
 * affine, and in the transformer block (attention softmax, post-norm).
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import type { Network, ProjectNode } from '../../core/project/schema';
import { rowPatterns } from '../../core/compile/rowPatterns';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../../core/train/program';
import { recipe, WORKLOADS } from '../../bench/workloads';
import { rng } from './support';

const C = 67;
const rowsNet: Network = {
  id: 'net',
  name: 'rows',
  nodes: ([
    ['x', 'Input', { shape: [5, C], field: 'x' }],
    ['dense', 'Dense', { units: C }],
    ['norm', 'LayerNorm', {}],
    ['soft', 'Softmax', { axis: -1 }],
    ['loss', 'MSELoss', { target: 'target' }],
  ] as const).map(([id, type, params], i): ProjectNode => ({ id, type, params, position: { x: 200 * i, y: 0 } }) as ProjectNode),
  edges: ['dense', 'norm', 'soft', 'loss'].map((id, i) => ({ id: `e${i}`, source: { node: ['x', 'dense', 'norm', 'soft'][i], port: 'out' }, target: { node: id, port: 'in' } })),
  groups: [],
} as Network;

async function run(backend: CpuBackend, network: Network, batch: number): Promise<{ losses: number[]; kinds: string[]; names: string[] }> {
  const r = compileSupervised(network, recipe(batch), backend, batch, 1);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const random = rng(17);
  const inputs: Record<string, ArrayLike<number>> = { [LR_INPUT]: new Float32Array([1e-2]), [STEP_INPUT]: new Int32Array(1) };
  for (const f of r.model.feeds) {
    const n = batch * f.spec.shape.reduce((a, b) => a * b, 1);
    inputs[f.input] = Float32Array.from({ length: n }, () => random() * 2 - 1);
  }
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) losses.push((await r.model.train.run(inputs)).loss[0]);
  const exe = r.model.train;
  return { losses, kinds: rowPatterns(exe.plan).map((p) => p.kind), names: exe.profile?.().map((p) => p.prim) ?? [] };
}

describe('row kernels: softmax and layer norm', () => {
  const clock = (): number => performance.now();
  for (const [what, network, batch] of [['Dense → LayerNorm → Softmax, C = 67', rowsNet, 3], ['W5 transformer block', WORKLOADS.W5.network, 2]] as const) {
    it(`${what}: one kernel per group, the unfused losses bit for bit, the float64 ones within 1e-4`, async () => {
      const rows = await run(new CpuBackend('f32', { clock }), network, batch);
      const steps = await run(new CpuBackend('f32', { rowKernels: false }), network, batch);
      const reference = await run(new CpuBackend('f64'), network, batch);
      expect(rows.kinds).toContain('softmax');
      expect(rows.kinds).toContain('layerNorm');
      expect(rows.names).toContain('row(softmax)');
      expect(rows.names).toContain('row(layerNorm)');
      expect(rows.losses).toEqual(steps.losses);
      rows.losses.forEach((l, i) => expect(Math.abs(l - reference.losses[i]), `step ${i}`).toBeLessThanOrEqual(1e-4 * Math.abs(reference.losses[i]) + 1e-7));
    });
  }
});
