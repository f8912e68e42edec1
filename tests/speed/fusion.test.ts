/**
 * @file Elementwise fusion: chains found in real training plans (MLP, LSTM, transformer block) run
 * as one loop and give the same results as the unfused steps (float64 reference: 1e-3 relative on
 * the loss after three Adam steps, and 1e-5 against the unfused f32 library kernels); intermediate results of a chain are read by nobody else.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import { elementwiseChains } from '../../core/compile/fuse';
import type { Plan } from '../../core/compile/plan';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../../core/train/program';
import { recipe, WORKLOADS, type WorkloadId } from '../../bench/workloads';
import { rng } from './support';

async function losses(backend: CpuBackend, id: WorkloadId, batch: number): Promise<{ plan: Plan; losses: number[] }> {
  const w = WORKLOADS[id];
  const r = compileSupervised(w.network, recipe(batch), backend, batch, 1);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const random = rng(3);
  const inputs: Record<string, ArrayLike<number>> = { [LR_INPUT]: new Float32Array([1e-3]), [STEP_INPUT]: new Int32Array(1) };
  for (const f of r.model.feeds) {
    const n = batch * f.spec.shape.reduce((a, b) => a * b, 1);
    inputs[f.input] = f.spec.dtype === 'i32' ? Int32Array.from({ length: n }, () => Math.floor(random() * 10)) : Float32Array.from({ length: n }, () => random() * 2 - 1);
  }
  const out: number[] = [];
  for (let i = 0; i < 3; i++) out.push((await r.model.train.run(inputs)).loss[0]);
  return { plan: r.model.train.plan, losses: out };
}

describe('elementwise fusion', () => {
  for (const id of ['W2', 'W4', 'W5'] as const) {
    it(`${id}: fused chains give the unfused results`, async () => {
      const batch = id === 'W2' ? 16 : 2;
      const fast = await losses(new CpuBackend('f32'), id, batch);
      const reference = await losses(new CpuBackend('f64'), id, batch);
      const plain = await losses(new CpuBackend('f32', { wasm: false }), id, batch);
      const chains = elementwiseChains(fast.plan);
      expect(chains.length).toBeGreaterThan(0);
      // intermediates are slots that no step outside the chain reads
      for (const c of chains) {
        const inner = new Set(c.steps.slice(0, -1));
        for (const i of c.steps.slice(0, -1)) {
          const s = fast.plan.steps[i];
          if (s.op !== 'run') throw new Error('chain step is not a run');
          expect(fast.plan.buffers[s.output].role).toBe('slot');
          const next = c.steps[c.steps.indexOf(i) + 1];
          for (let j = i + 1; j < fast.plan.steps.length; j++) {
            const t = fast.plan.steps[j];
            if (t.op === 'run' && t.output === s.output) break;
            if (t.op === 'run' && j !== next && !inner.has(j)) expect(t.inputs.includes(s.output), `step ${j} reads the intermediate of step ${i}`).toBe(false);
          }
        }
      }
      fast.losses.forEach((l, i) => {
        // unfused f32 library kernels: same f32 arithmetic up to summation order
        expect(Math.abs(l - plain.losses[i]), `step ${i} vs plain f32`).toBeLessThanOrEqual(1e-5 * Math.abs(plain.losses[i]) + 1e-6);
        expect(Math.abs(l - reference.losses[i]), `step ${i} vs f64`).toBeLessThanOrEqual(1e-3 * Math.abs(reference.losses[i]) + 1e-5);
      });
    });
  }
});

describe('pad + add (the adjoint of slice)', () => {
  it('finds the pairs in the LSTM plan and gives the unfused sum', async () => {
    const { padAddPairs } = await import('../../core/compile/fuse');
    const { padAddStep } = await import('../../core/backends/cpu/wasm/jsgen');
    const K = await import('../../core/backends/cpu/kernels');
    const fast = await losses(new CpuBackend('f32'), 'W4', 2);
    expect(padAddPairs(fast.plan).length).toBeGreaterThan(50);
    const r = rng(9);
    const g = Float32Array.from({ length: 2 * 3 * 4 }, () => r());
    const other = Float32Array.from({ length: 4 * 5 * 7 }, () => r());
    const pads: [number, number][] = [[1, 1], [0, 2], [2, 1]];
    const padded = new Float32Array(other.length);
    K.pad(g, [2, 3, 4], pads, 0, padded);
    const want = other.map((v, i) => v + padded[i]);
    const out = new Float32Array(other.length);
    padAddStep([2, 3, 4], pads, [4, 5, 7])(other, g, out);
    expect(Array.from(out)).toEqual(Array.from(want));
    padAddStep([2, 3, 4], pads, [4, 5, 7])(other, g, other); // in place over the sum's operand
    expect(Array.from(other)).toEqual(Array.from(want));
  });
});
