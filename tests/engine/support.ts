/** @file Shared helpers of the engine tests: a seeded PRNG, input generators, compile-and-run. */
import { createBackend, type HostArray } from '../../core/backends';
import type { DtypeMode } from '../../core/backends/backend';
import { compile } from '../../core/compile';
import type { Graph } from '../../core/ir/graph';

/** mulberry32: small deterministic PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
