/**
 * @file The WebAssembly SIMD elementwise and reduction kernels (simdgen.ts) against the float64
 * library kernels, on odd sizes (vector body + scalar tail) and every broadcast pattern: + − × ÷,
 * min, max, compares, where and √ exact to f32 rounding (1 ulp); exp and sigmoid within 2.5e-7
 * relative, tanh within 5e-7; sums within 1e-6·terms. Also: a fused chain equals its steps run
 * one by one, and kernels with the same code are compiled once. Movement kernels (movegen.ts:
 * transpose, broadcast, slice, pad, concat) copy exactly what the library kernels copy.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import * as K from '../../core/backends/cpu/kernels';
import { fastKernel, fusedKernel, padAddKernel } from '../../core/backends/cpu/wasm/fast';
import { KernelModule } from '../../core/backends/cpu/wasm/kernelModule';
import type { F32Step } from '../../core/backends/cpu/wasm/matmul';
import { simdElementwise } from '../../core/backends/cpu/wasm/simdgen';
import type { Kernel } from '../../core/compile/plan';
import { Prim, type BinaryPrim, type ComparePrim, type UnaryPrim } from '../../core/ir/prims';
import { kernel, rng, runFast, size } from './support';

const backend = new CpuBackend('f32');
const rt = backend.runtime!;

function simdStep(k: Kernel): F32Step {
  const lib = new KernelModule();
  const step = fastKernel(rt, k, lib);
  expect(lib.size, `${k.prim} has a SIMD kernel`).toBe(1);
  lib.link(rt);
  return step!;
}

function data(shape: number[], seed: number, lo: number, hi: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: size(shape) }, (_, i) => Math.fround(i % 5 === 0 ? 0.5 : lo + r() * (hi - lo)));
}

function close(fast: Float32Array, ref: Float64Array, what: string, rel: number, abs = 1e-30): void {
  for (let i = 0; i < ref.length; i++) {
    if (Number.isNaN(ref[i])) expect(Number.isNaN(fast[i]), `${what} at ${i}`).toBe(true);
    else if (!Number.isFinite(ref[i])) expect(fast[i], `${what} at ${i}`).toBe(ref[i]);
    else expect(Math.abs(fast[i] - ref[i]), `${what} at ${i}: ${fast[i]} vs ${ref[i]}`).toBeLessThanOrEqual(rel * Math.abs(ref[i]) + abs);
  }
}

const OUT = [3, 5, 7];
const BROADCASTS: number[][] = [[3, 5, 7], [7], [5, 7], [3, 1, 1], [3, 5, 1], [1], [], [1, 5, 1], [5, 1]];
const TOL: Partial<Record<UnaryPrim, number>> = { [Prim.Exp]: 2.5e-7, [Prim.Sigmoid]: 2.5e-7, [Prim.Tanh]: 5e-7 };

describe('WebAssembly SIMD elementwise kernels vs the float64 kernels', () => {
  it('unary ops, including extremes (±∞, NaN, overflow and underflow of exp)', () => {
    const special = [0, -0, 1e-8, -1e-8, 0.2499, 0.25, 30, -30, 88.7, 88.8, -86.4, -87, -104, Infinity, -Infinity, NaN];
    for (const op of [Prim.Neg, Prim.Recip, Prim.Sqrt, Prim.Abs, Prim.Sign, Prim.Exp, Prim.Sigmoid, Prim.Tanh] as UnaryPrim[]) {
      const x = data([3, 43], 1, op === Prim.Sqrt ? 0 : -12, 12);
      special.forEach((s, i) => { x[7 * i] = Math.fround(s); });
      const ref = new Float64Array(x.length);
      K.unary(op, x, ref);
      const out = runFast(backend, simdStep(kernel(op, {}, [[3, 43]], [3, 43])), [x], x.length);
      // exp below −86.5 is flushed to 0 (true value < 3e-38)
      close(out, Float64Array.from(ref, (v) => Math.fround(v)), op, TOL[op] ?? 6e-8, op === Prim.Exp ? 3e-38 : 1e-30);
    }
  });

  it('binary ops and compares over same-shape, row, column, middle (per-channel) and scalar broadcasts (either side)', () => {
    const ops: (BinaryPrim | ComparePrim)[] = [Prim.Add, Prim.Sub, Prim.Mul, Prim.Div, Prim.Max, Prim.Min, Prim.Lt, Prim.Le, Prim.Gt, Prim.Ge, Prim.Eq, Prim.Ne];
    for (const op of ops) {
      for (const bs of BROADCASTS) {
        for (const swap of [false, true]) {
          const [aS, bS] = swap ? [bs, OUT] : [OUT, bs];
          const a = data(aS, 2, -2, 2), b = data(bS, 3, -2, 2);
          const ref = new Float64Array(size(OUT));
          K.binary(op, a, aS, b, bS, ref, OUT);
          const out = runFast(backend, simdStep(kernel(op, {}, [aS, bS], OUT)), [a, b], ref.length);
          close(out, Float64Array.from(ref, (v) => Math.fround(v)), `${op} [${aS}] [${bS}]`, 6e-8);
        }
      }
    }
  });

  it('cast from float storage to f32 (the value) and to bool (x ≠ 0, NaN true)', () => {
    const x = Float64Array.from([0, -0, 1.5, -2, NaN, Infinity, 3e-30, 7]);
    for (const dtype of ['f32', 'bool'] as const) {
      const ref = new Float64Array(x.length);
      K.cast(x, ref, dtype);
      const k = kernel(Prim.Cast, { dtype }, [[8]], [8], dtype);
      close(runFast(backend, simdStep({ ...k, inputs: [{ shape: [8], dtype: 'f32' }] } as Kernel), [x], 8), Float64Array.from(ref, (v) => Math.fround(v)), `cast ${dtype}`, 0);
    }
  });

  it('where with a broadcast condition (NaN counts as true)', () => {
    const c = Float64Array.from({ length: 15 }, (_, i) => (i % 3 === 0 ? 1 : i === 4 ? NaN : 0));
    const a = data(OUT, 4, -1, 1), b = data([7], 5, -1, 1);
    const ref = new Float64Array(size(OUT));
    K.where(c, [3, 5, 1], a, OUT, b, [7], ref, OUT);
    close(runFast(backend, simdStep(kernel(Prim.Where, {}, [[3, 5, 1], OUT, [7]], OUT)), [c, a, b], ref.length), ref, 'where', 0);
  });

  it('sum and reduceMax over trailing and leading axes, NaN propagating through max', () => {
    const shape = [5, 6, 11];
    const x = data(shape, 6, -2, 2);
    x[17] = NaN;
    for (const op of [Prim.Sum, Prim.ReduceMax] as const) {
      for (const axes of [[2], [1, 2], [0], [0, 1], [-1], [0, 1, 2], [0, 2]]) {
        const outShape = K.reducedShape(shape, axes);
        const ref = new Float64Array(size(outShape));
        K.reduce(op, x, shape, axes, ref);
        const out = runFast(backend, simdStep(kernel(op, { axes }, [shape], outShape)), [x], ref.length);
        close(out, ref, `${op} axes ${axes}`, op === Prim.Sum ? 1e-6 * 330 : 0, op === Prim.Sum ? 1e-6 * 330 : 1e-30);
      }
    }
  });

  it('reduceMax over long rows (four accumulators): exactly the maximum, NaN anywhere in a row gives NaN, +0 above −0', () => {
    const shape = [6, 83];
    const x = data(shape, 21, -3, 3);
    x[1 * 83 + 70] = NaN; // in the blocks of 16
    x[2 * 83 + 81] = NaN; // in the tail
    for (let j = 0; j < 83; j++) x[3 * 83 + j] = j % 2 === 0 ? -0 : -1;
    x[3 * 83 + 40] = 0;
    for (let j = 0; j < 83; j++) x[4 * 83 + j] = -Infinity;
    x[5 * 83 + 3] = Math.fround(1e30); // the maximum in the first block
    const ref = new Float64Array(6);
    K.reduce(Prim.ReduceMax, x, shape, [1], ref);
    const out = runFast(backend, simdStep(kernel(Prim.ReduceMax, { axes: [1] }, [shape], [6])), [x], 6);
    close(out, ref, 'reduceMax rows', 0);
    expect(Object.is(out[3], 0)).toBe(true);
  });

  it('sum and reduceMax around kept middle axes (a conv bias gradient: N, H, W of NCHW)', () => {
    const shape = [3, 4, 5, 7];
    const x = data(shape, 13, -2, 2);
    for (const op of [Prim.Sum, Prim.ReduceMax] as const) {
      for (const axes of [[0, 2, 3], [0, 3], [0, 1, 3]]) {
        const outShape = K.reducedShape(shape, axes);
        const ref = new Float64Array(size(outShape));
        K.reduce(op, x, shape, axes, ref);
        const out = runFast(backend, simdStep(kernel(op, { axes }, [shape], outShape)), [x], ref.length);
        close(out, ref, `${op} axes ${axes}`, op === Prim.Sum ? 1e-6 * 105 : 0, op === Prim.Sum ? 1e-6 * 105 : 1e-30);
      }
    }
  });

  it('a fused chain gives the steps run one by one (every step rounds to f32)', () => {
    // y = exp(a − b) · c + a, b a row broadcast
    const S = [4, 9];
    const ks = [kernel(Prim.Sub, {}, [S, [9]], S), kernel(Prim.Exp, {}, [S], S), kernel(Prim.Mul, {}, [S, S], S), kernel(Prim.Add, {}, [S, S], S)];
    const a = data(S, 7, -3, 3), b = data([9], 8, -1, 1), c = data(S, 9, -1, 1);
    const lib = new KernelModule();
    const fused = fusedKernel(ks, [[{ leaf: 0 }, { leaf: 1 }], [{ node: 0 }], [{ node: 1 }, { leaf: 2 }], [{ node: 2 }, { leaf: 0 }]], [S, [9], S], lib)!;
    lib.link(rt);
    const chained = runFast(backend, fused, [a, b, c], size(S));
    const d = runFast(backend, simdStep(ks[0]), [a, b], size(S));
    const e = runFast(backend, simdStep(ks[1]), [Float64Array.from(d)], size(S));
    const m = runFast(backend, simdStep(ks[2]), [Float64Array.from(e), c], size(S));
    const y = runFast(backend, simdStep(ks[3]), [Float64Array.from(m), a], size(S));
    expect([...chained]).toEqual([...y]);
  });

  it('compiles identical kernels once and leaves ops it lacks to the JS loops', () => {
    const lib = new KernelModule();
    const k = kernel(Prim.Add, {}, [[8, 8], [8, 8]], [8, 8]);
    fastKernel(rt, k, lib);
    fastKernel(rt, k, lib);
    expect(lib.size).toBe(1);
    expect(simdElementwise(kernel(Prim.Log, {}, [[8]], [8]))).toBeUndefined();
    expect(fastKernel(rt, kernel(Prim.Log, {}, [[8]], [8]), lib)).toBeDefined(); // the JS loop
    expect(lib.size).toBe(1);
  });

  it('movement kernels: transpose, broadcast, slice, pad and concat give the library results exactly', () => {
    const X = [3, 5, 6];
    const x = data(X, 10, -1, 1);
    const cases: { k: Kernel; ref: (out: Float64Array) => void; inputs: Float64Array[] }[] = [];
    for (const perm of [[0, 2, 1], [2, 1, 0], [1, 0, 2], [0, 1, 2]]) {
      const outShape = perm.map((p) => X[p]);
      cases.push({ k: kernel(Prim.Transpose, { perm }, [X], outShape), ref: (o) => K.transpose(x, X, perm, o), inputs: [x] });
    }
    for (const [from, to] of [[[5, 1], [3, 5, 7]], [[1, 6], [4, 5, 6]], [[3, 1, 6], [3, 5, 6]], [[1], [2, 9]]]) {
      const b = data(from, 11, -1, 1);
      cases.push({ k: kernel(Prim.Broadcast, { shape: to }, [from], to), ref: (o) => K.broadcast(b, from, to, o), inputs: [b] });
    }
    for (const [starts, ends, steps] of [[[0, 1, 0], [3, 5, 6], [1, 1, 1]], [[1, 0, 1], [3, 5, 6], [1, 2, 2]], [[0, 0, 2], [3, 5, 5], [1, 1, 1]]]) {
      const outShape = K.sliceShape(starts, ends, steps);
      cases.push({ k: kernel(Prim.Slice, { starts, ends, steps }, [X], outShape), ref: (o) => K.slice(x, X, starts, ends, steps, o), inputs: [x] });
    }
    for (const pads of [[[0, 0], [2, 1], [0, 0]], [[1, 0], [0, 0], [3, 2]]] as [number, number][][]) {
      cases.push({ k: kernel(Prim.Pad, { pads, value: 0.25 }, [X], K.padShape(X, pads)), ref: (o) => K.pad(x, X, pads, 0.25, o), inputs: [x] });
    }
    for (const axis of [0, 1, -1]) {
      const other = X.map((d, i) => (i === (axis + 3) % 3 ? 2 : d));
      const y = data(other, 12, -1, 1);
      const outShape = X.map((d, i) => (i === (axis + 3) % 3 ? 2 * d + 2 : d));
      cases.push({ k: kernel(Prim.Concat, { axis }, [X, other, X], outShape), ref: (o) => K.concat([x, y, x], [X, other, X], axis, o), inputs: [x, y, x] });
    }
    for (const { k, ref, inputs } of cases) {
      const expected = new Float64Array(size(k.output.shape));
      ref(expected);
      const out = runFast(backend, simdStep(k), inputs, expected.length);
      expect([...out], `${k.prim} ${JSON.stringify(k.params)}`).toEqual([...expected]);
    }
  });

  it('pad + add as a generated strided add equals pad then add, into another buffer and in place', () => {
    const gS = [2, 3, 5], outS = [4, 5, 9];
    const pads: [number, number][] = [[1, 1], [0, 2], [3, 1]];
    const g = data(gS, 14, -1, 1), other = data(outS, 15, -1, 1);
    const padded = new Float64Array(size(outS));
    K.pad(g, gS, pads, 0, padded);
    const want = Float32Array.from(other, (v, i) => v + Math.fround(padded[i]));
    const lib = new KernelModule();
    const run = padAddKernel(gS, pads, outS, lib);
    lib.link(rt);
    const o = runFast(backend, ([a, b], out) => run(a, b, out), [other, g], size(outS));
    expect([...o]).toEqual([...want]);
    const v = rt.f32(rt.alloc(other.length * 4), other.length), gv = rt.f32(rt.alloc(g.length * 4), g.length);
    v.set(other);
    gv.set(g);
    run(v, gv, v);
    expect([...v]).toEqual([...want]);
  });
});
