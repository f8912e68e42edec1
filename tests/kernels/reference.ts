/**
 * @file Test helpers for the kernel suites: a seeded PRNG independent of core/random, random
 * shapes and tensors, index arithmetic for naive reference loops, and closeness checks.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;
export const FLOAT_TYPES: readonly FloatCtor[] = [Float32Array, Float64Array];

/** mulberry32: a tiny seeded generator for test data (not the engine's RNG on purpose). */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function randomArray(Ctor: FloatCtor, n: number, rng: () => number, lo = -2, hi = 2): Float32Array | Float64Array {
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng();
  return a;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Multi-index of flat index `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < shape.length; i++) f = f * shape[i] + idx[i];
  return f;
}

/** Flat index into a tensor of `shape` broadcast against an output multi-index (align right). */
export function broadcastIndex(outIdx: readonly number[], shape: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  let f = 0;
  for (let i = 0; i < shape.length; i++) f = f * shape[i] + (shape[i] === 1 ? 0 : outIdx[lead + i]);
  return f;
}

/** A random shape of rank in [minRank, maxRank], dims in [0|1, maxDim] (zeros only if allowZero). */
export function randomShape(rng: () => number, minRank: number, maxRank: number, maxDim: number, allowZero = false): number[] {
  const rank = randInt(rng, minRank, maxRank);
  return Array.from({ length: rank }, () => (allowZero && rng() < 0.08 ? 0 : randInt(rng, 1, maxDim)));
}

/** A shape that broadcasts to `shape`: drop some leading dims, set some dims to 1. */
export function broadcastableTo(rng: () => number, shape: readonly number[]): number[] {
  const drop = randInt(rng, 0, shape.length);
  return shape.slice(drop).map((d) => (rng() < 0.35 ? 1 : d));
}

/** Elementwise |actual − expected| ≤ atol + rtol·|expected| (NaN matches NaN, ±∞ must match). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`${label}[${i}]: expected NaN, got ${a}`);
      continue;
    }
    if (!Number.isFinite(e)) {
      if (a !== e) expect.fail(`${label}[${i}]: expected ${e}, got ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) expect.fail(`${label}[${i}]: expected ${e}, got ${a} (|diff| ${Math.abs(a - e)})`);
  }
}

/** Tolerance for a float type: f32 results vs an f64 reference loop. */
export function tol(Ctor: FloatCtor): { rtol: number; atol: number } {
  return Ctor === Float32Array ? { rtol: 2e-6, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-12 };
}

/** Reads a JSON fixture from tests/fixtures/torch (written by make_conv_fixtures.py). */
export function readTorchFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/torch/${name}`, import.meta.url), 'utf8')) as T;
}

export interface ConvFixture {
  name: string; xShape: number[]; wShape: number[]; yShape: number[];
  stride: number[]; padding: number[]; dilation: number[]; groups: number;
  x: number[]; w: number[]; dy: number[]; y: number[]; dx: number[]; dw: number[];
}

export interface PoolFixture {
  name: string; xShape: number[]; yShape: number[]; kernel: number[]; stride: number[]; padding: number[];
  x: number[]; dy: number[]; y: number[]; dx: number[];
}
