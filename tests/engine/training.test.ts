/**
 * @file A 2-layer MLP traced, differentiated and updated by Adam in ONE plan, trained 50 steps on a
 * tiny synthetic set in f64 and f32: the loss decreases and the two precisions agree.
 */
import { expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import type { DtypeMode } from '../../core/backends/backend';
import { compile } from '../../core/compile';
import { streamId } from '../../core/random';
import { oneHot, trace } from '../../core/tensor';
import { traceTrainStep } from '../../core/train/step';
import { rng } from './support';

const N = 16;
const D = 4;
const H = 12;
const C = 3;

/** Three Gaussian blobs in 4-D. */
function dataset(): { x: number[]; y: number[] } {
  const r = rng(5);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < N; i++) {
    const c = i % C;
    y.push(c);
    for (let d = 0; d < D; d++) x.push((d === c ? 2 : 0) + (r() - 0.5));
  }
  return { x, y };
}

function mlpPlan() {
  return compile(traceTrainStep({
    forward: (t) => {
      const x = t.input('x', [N, D]);
      const y = t.input('y', [N], 'i32');
      const w1 = t.param('fc1.kernel', [D, H], { init: { kind: 'glorotUniform' }, stream: streamId('fc1', 'kernel') });
      const b1 = t.param('fc1.bias', [H], { init: { kind: 'zeros' }, stream: streamId('fc1', 'bias') });
      const w2 = t.param('fc2.kernel', [H, C], { init: { kind: 'glorotUniform' }, stream: streamId('fc2', 'kernel') });
      const b2 = t.param('fc2.bias', [C], { init: { kind: 'zeros' }, stream: streamId('fc2', 'bias') });
      const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
      // cross entropy: -mean(sum(onehot * logSoftmax))
      return logits.logSoftmax().mul(oneHot(y, C)).sum(-1).mean().neg();
    },
    optimizer: { kind: 'adam' },
  }));
}

async function train(mode: DtypeMode): Promise<number[]> {
  const exe = createBackend('cpu', { mode }).prepare(mlpPlan(), { seed: 42 });
  const { x, y } = dataset();
  const losses: number[] = [];
  for (let step = 0; step < 50; step++) losses.push((await exe.run({ x, y, lr: [0.02], step: [step] })).loss[0]);
  return losses;
}

test('MLP + Adam in one plan: loss decreases, f32 tracks f64', async () => {
  const [l64, l32] = [await train('f64'), await train('f32')];
  expect(l64[49]).toBeLessThan(0.5 * l64[0]);
  expect(l32[49]).toBeLessThan(0.5 * l32[0]);
  for (let i = 0; i < 50; i++) expect(Math.abs(l32[i] - l64[i])).toBeLessThan(1e-4 * (1 + l64[i]));
});

test('one plan holds forward, backward and update; variables persist and are readable', async () => {
  const plan = mlpPlan();
  expect(plan.outputs.map((o) => o.name)).toEqual(['loss']);
  expect(plan.inputs.map((i) => i.name).sort()).toEqual(['lr', 'step', 'x', 'y']);
  expect(plan.variables.filter((v) => v.kind === 'param').map((v) => v.name)).toEqual(['fc1.kernel', 'fc1.bias', 'fc2.kernel', 'fc2.bias']);
  expect(plan.variables.filter((v) => v.kind === 'state')).toHaveLength(8); // m, v per param
  const exe = createBackend('cpu', { mode: 'f64' }).prepare(plan, { seed: 42 });
  const before = await exe.readVariable('fc1.kernel');
  const { x, y } = dataset();
  await exe.run({ x, y, lr: [0.02], step: [0] });
  const after = await exe.readVariable('fc1.kernel');
  expect(after).not.toEqual(before);
  exe.writeVariable('fc1.kernel', before);
  expect(await exe.readVariable('fc1.kernel')).toEqual(before);
  exe.initialize(42);
  expect(await exe.readVariable('fc1.kernel')).toEqual(before);
});

test('an evaluation plan shares the training plan parameters', async () => {
  const backend = createBackend('cpu', { mode: 'f64' });
  const train = backend.prepare(mlpPlan(), { seed: 42 });
  const evalPlan = compile(trace((t) => {
    const x = t.input('x', [N, D]);
    const w1 = t.param('fc1.kernel', [D, H], { init: { kind: 'zeros' }, stream: 0 });
    t.output('h', x.matmul(w1));
  }));
  const evaluate = backend.prepare(evalPlan, { shareVariablesWith: train });
  const { x, y } = dataset();
  const before = (await evaluate.run({ x })).h;
  expect(before.some((v) => v !== 0)).toBe(true); // not re-initialised with zeros
  await train.run({ x, y, lr: [0.02], step: [0] });
  const after = (await evaluate.run({ x })).h;
  expect(after).not.toEqual(before);
});
