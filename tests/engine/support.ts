/** @file Shared helpers of the engine tests: a seeded PRNG, input generators, compile-and-run. */
import { createBackend, type HostArray } from '../../core/backends';
import type { DtypeMode } from '../../core/backends/backend';
import { compile } from '../../core/compile';
import { vjp } from '../../core/autograd';
import { sizeOf, type Graph } from '../../core/ir/graph';
import { Tracer, constant, type Tensor } from '../../core/tensor';
import { rng } from '../support/rng';
export { rng };

export type Gen = 'normal' | 'positive' | 'nonzero' | 'bool' | { int: number };

export function generate(n: number, gen: Gen, r: () => number): number[] {
  return Array.from({ length: n }, () => {
    if (gen === 'normal') return r() * 3 - 1.5;
    if (gen === 'positive') return 0.5 + r() * 1.5;
    if (gen === 'nonzero') return (r() < 0.5 ? -1 : 1) * (0.2 + r() * 1.3);
    if (gen === 'bool') return r() < 0.5 ? 1 : 0;
    return Math.floor(r() * gen.int);
  });
}

/** Compiles and runs a graph once on the CPU backend. */
export async function runOnce(graph: Graph, inputs: Record<string, ArrayLike<number>>, mode: DtypeMode = 'f64'): Promise<Record<string, HostArray>> {
  const exe = createBackend('cpu', { mode }).prepare(compile(graph));
  return exe.run(inputs);
}

/**
 * Central finite-difference check (f64) of d(sum(f(xs) * R))/dxs against reverse mode, for a
 * function of f32 inputs of the given shapes. Returns the worst relative error.
 */
export async function gradCheck(
  f: (xs: Tensor[]) => Tensor,
  shapes: number[][],
  seed = 1,
  eps = 1e-6,
): Promise<number> {
  const r = rng(seed);
  const values = shapes.map((s) => generate(sizeOf(s), 'normal', r));
  const feed = (vals: number[][]) => Object.fromEntries(vals.map((v, i) => [`x${i}`, v]));
  let proj: number[] = [];
  const build = (withGrad: boolean) => {
    const t = new Tracer();
    t.run(() => {
      const xs = shapes.map((s, i) => t.input(`x${i}`, s));
      const y = f(xs);
      if (proj.length === 0) proj = generate(y.size, 'normal', r);
      const loss = y.mul(constant(proj, y.shape)).sum();
      t.output('loss', loss);
      if (withGrad) vjp(loss, xs).forEach((g, i) => t.output(`g${i}`, g));
    });
    return createBackend('cpu', { mode: 'f64' }).prepare(compile(t.graph));
  };
  const analytic = await build(true).run(feed(values));
  const forward = build(false);
  let worst = 0;
  for (let k = 0; k < shapes.length; k++) {
    for (let e = 0; e < values[k].length; e++) {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[k][e] += eps;
      minus[k][e] -= eps;
      const numeric = ((await forward.run(feed(plus))).loss[0] - (await forward.run(feed(minus))).loss[0]) / (2 * eps);
      const a = analytic[`g${k}`][e];
      worst = Math.max(worst, Math.abs(numeric - a) / (1e-1 + Math.abs(numeric)));
    }
  }
  return worst;
}
