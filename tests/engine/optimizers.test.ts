/**
 * @file Each optimizer (and the gradient transforms) traced into a plan and run three steps in f64,
 * against the same update computed by hand. loss = sum(p * c), so the raw gradient is c.
 */
import { expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { compile } from '../../core/compile';
import { constant } from '../../core/tensor';
import type { GradientTransform, OptimizerConfig } from '../../core/train/optimizers';
import { traceTrainStep } from '../../core/train/step';

const P0 = [1, -2, 0.5];
const C = [0.3, -0.7, 1.1];
const LR = 0.1;
const STEPS = 3;

type Vec = number[];
const map = (a: Vec, f: (x: number, i: number) => number): Vec => a.map(f);

/** Hand-written reference: one update of p given g, with a state bag, at t = step + 1. */
type Reference = (p: Vec, g: Vec, s: Record<string, Vec>, t: number) => Vec;

function adamRef(b1: number, b2: number, eps: number): Reference {
  return (p, g, s, t) => {
    s.m = map(g, (gi, i) => b1 * (s.m?.[i] ?? 0) + (1 - b1) * gi);
    s.v = map(g, (gi, i) => b2 * (s.v?.[i] ?? 0) + (1 - b2) * gi * gi);
    return map(p, (pi, i) => pi - (LR * (s.m[i] / (1 - b1 ** t))) / (Math.sqrt(s.v[i] / (1 - b2 ** t)) + eps));
  };
}

const cases: { label: string; config: OptimizerConfig; tf?: GradientTransform; ref: Reference }[] = [
  { label: 'sgd', config: { kind: 'sgd' }, ref: (p, g) => map(p, (pi, i) => pi - LR * g[i]) },
  {
    label: 'sgd momentum', config: { kind: 'sgd', momentum: 0.9 },
    ref: (p, g, s) => {
      s.v = map(g, (gi, i) => 0.9 * (s.v?.[i] ?? 0) + gi);
      return map(p, (pi, i) => pi - LR * s.v[i]);
    },
  },
  {
    label: 'sgd nesterov', config: { kind: 'sgd', momentum: 0.9, nesterov: true },
    ref: (p, g, s) => {
      s.v = map(g, (gi, i) => 0.9 * (s.v?.[i] ?? 0) + gi);
      return map(p, (pi, i) => pi - LR * (g[i] + 0.9 * s.v[i]));
    },
  },
  { label: 'adam', config: { kind: 'adam' }, ref: adamRef(0.9, 0.999, 1e-8) },
  {
    label: 'adamw', config: { kind: 'adamw', weightDecay: 0.1, beta1: 0.8 },
    ref: (p, g, s, t) => adamRef(0.8, 0.999, 1e-8)(map(p, (pi) => pi * (1 - LR * 0.1)), g, s, t),
  },
  {
    label: 'rmsprop', config: { kind: 'rmsprop' },
    ref: (p, g, s) => {
      s.v = map(g, (gi, i) => 0.99 * (s.v?.[i] ?? 0) + 0.01 * gi * gi);
      return map(p, (pi, i) => pi - (LR * g[i]) / (Math.sqrt(s.v[i]) + 1e-8));
    },
  },
  {
    label: 'rmsprop momentum', config: { kind: 'rmsprop', momentum: 0.5, alpha: 0.9 },
    ref: (p, g, s) => {
      s.v = map(g, (gi, i) => 0.9 * (s.v?.[i] ?? 0) + 0.1 * gi * gi);
      s.b = map(g, (gi, i) => 0.5 * (s.b?.[i] ?? 0) + gi / (Math.sqrt(s.v[i]) + 1e-8));
      return map(p, (pi, i) => pi - LR * s.b[i]);
    },
  },
];

/** Gradient transforms, checked through plain SGD. */
const transforms: { label: string; tf: GradientTransform; g: (p: Vec) => Vec }[] = [
  { label: 'l2', tf: { l2: 0.05 }, g: (p) => map(C, (c, i) => c + 0.05 * p[i]) },
  { label: 'l1', tf: { l1: 0.05 }, g: (p) => map(C, (c, i) => c + 0.05 * Math.sign(p[i])) },
  {
    label: 'clip by global norm', tf: { clipNorm: 0.5 },
    g: () => {
      const norm = Math.sqrt(C.reduce((n, c) => n + c * c, 0));
      return map(C, (c) => c * Math.min(1, 0.5 / (norm + 1e-6)));
    },
  },
];

async function runPlan(config: OptimizerConfig, tf?: GradientTransform): Promise<Vec[]> {
  const graph = traceTrainStep({
    forward: (t) => t.param('p', [3], { init: { kind: 'zeros' }, stream: 1 }).mul(constant(C)).sum(),
    optimizer: config,
    gradients: tf,
  });
  const exe = createBackend('cpu', { mode: 'f64' }).prepare(compile(graph));
  exe.writeVariable('p', P0);
  const trajectory: Vec[] = [];
  for (let step = 0; step < STEPS; step++) {
    await exe.run({ lr: [LR], step: [step] });
    trajectory.push(Array.from(await exe.readVariable('p')));
  }
  return trajectory;
}

function expectClose(got: Vec[], want: Vec[]): void {
  got.forEach((row, k) => row.forEach((v, i) => expect(Math.abs(v - want[k][i])).toBeLessThan(1e-12)));
}

test.each(cases)('$label matches the hand-computed update', async ({ config, ref }) => {
  const want: Vec[] = [];
  let p = P0;
  const state: Record<string, Vec> = {};
  for (let step = 0; step < STEPS; step++) want.push((p = ref(p, C, state, step + 1)));
  expectClose(await runPlan(config), want);
});

test.each(transforms)('gradient transform $label', async ({ tf, g }) => {
  const want: Vec[] = [];
  let p = P0;
  for (let step = 0; step < STEPS; step++) {
    const grad = g(p);
    want.push((p = map(p, (pi, i) => pi - LR * grad[i])));
  }
  expectClose(await runPlan({ kind: 'sgd' }, tf), want);
});
