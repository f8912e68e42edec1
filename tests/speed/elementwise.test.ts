/**
 * @file Generated elementwise and reduction loops (fast path) against the float64 library kernels:
 * every unary, binary, compare op and where, on same-shape, row, column and scalar broadcasts;
 * sum and reduceMax over trailing and leading axes. Tolerance: 2 ulp of f32 relative (1.2e-7·|ref|)
 * plus 1e-6·(terms) for sums; compares and where are exact.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import * as K from '../../core/backends/cpu/kernels';
import { elementwiseStep, reduceStep } from '../../core/backends/cpu/wasm/jsgen';
import { Prim, type BinaryPrim, type ComparePrim, type UnaryPrim } from '../../core/ir/prims';
import { kernel, rng, runFast, size } from './support';

const UNARY: UnaryPrim[] = [Prim.Neg, Prim.Recip, Prim.Exp, Prim.Log, Prim.Sqrt, Prim.Abs, Prim.Sign, Prim.Tanh, Prim.Sigmoid, Prim.Erf, Prim.Sin, Prim.Cos];
const BINARY: (BinaryPrim | ComparePrim)[] = [Prim.Add, Prim.Sub, Prim.Mul, Prim.Div, Prim.Pow, Prim.Max, Prim.Min, Prim.Lt, Prim.Le, Prim.Gt, Prim.Ge, Prim.Eq, Prim.Ne];
const OUT = [3, 5, 7];
const BROADCASTS: number[][] = [[3, 5, 7], [7], [5, 7], [3, 1, 1], [3, 5, 1], [1], []];

function data(shape: number[], seed: number, positive: boolean): Float64Array {
  const r = rng(seed);
  // a few exact repeats so == and != see equal operands
  return Float64Array.from({ length: size(shape) }, (_, i) => Math.fround(i % 5 === 0 ? 0.5 : positive ? 0.1 + r() * 2 : r() * 4 - 2));
}

function close(fast: Float32Array, ref: Float64Array, what: string, terms = 1): void {
  for (let i = 0; i < ref.length; i++) {
    const tol = 1.2e-7 * Math.abs(ref[i]) * terms + 1e-6 * (terms > 1 ? terms : 0) + 1e-30;
    if (Number.isNaN(ref[i])) expect(Number.isNaN(fast[i]), what).toBe(true);
    else expect(Math.abs(fast[i] - ref[i]), `${what} at ${i}: ${fast[i]} vs ${ref[i]}`).toBeLessThanOrEqual(tol);
  }
}

describe('generated elementwise loops vs the float64 kernels', () => {
  const backend = new CpuBackend('f32');

  it('unary ops', () => {
    for (const op of UNARY) {
      const x = data(OUT, 1, op === Prim.Log || op === Prim.Sqrt);
      const ref = new Float64Array(x.length);
      K.unary(op, x, ref);
      const ref32 = Float64Array.from(ref, (v) => Math.fround(v));
      const step = elementwiseStep(kernel(op, {}, [OUT], OUT));
      expect(step, op).toBeDefined();
      close(runFast(backend, step!, [x], x.length), ref32, op);
    }
  });

  it('binary ops and compares over same-shape, row, column and scalar broadcasts (either side)', () => {
    for (const op of BINARY) {
      for (const bs of BROADCASTS) {
        for (const swap of [false, true]) {
          const [aS, bS] = swap ? [bs, OUT] : [OUT, bs];
          const a = data(aS, 2, op === Prim.Pow), b = data(bS, 3, false);
          const ref = new Float64Array(size(OUT));
          K.binary(op, a, aS, b, bS, ref, OUT);
          const step = elementwiseStep(kernel(op, {}, [aS, bS], OUT));
          expect(step, `${op} ${aS} ${bS}`).toBeDefined();
          close(runFast(backend, step!, [a, b], ref.length), Float64Array.from(ref, (v) => Math.fround(v)), `${op} [${aS}] [${bS}]`);
        }
      }
    }
  });

  it('where with a broadcast condition', () => {
    const c = Float64Array.from({ length: 15 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const a = data(OUT, 4, false), b = data([7], 5, false);
    const ref = new Float64Array(size(OUT));
    K.where(c, [3, 5, 1], a, OUT, b, [7], ref, OUT);
    const step = elementwiseStep(kernel(Prim.Where, {}, [[3, 5, 1], OUT, [7]], OUT));
    close(runFast(backend, step!, [c, a, b], ref.length), ref, 'where');
  });

  it('leaves patterns it does not cover to the library (no silent wrong answer)', () => {
    // [3,1,7] + [1,5,1]: no single split makes both operands row or column broadcasts
    expect(elementwiseStep(kernel(Prim.Add, {}, [[3, 1, 7], [1, 5, 1]], OUT))).toBeUndefined();
    expect(reduceStep(kernel(Prim.Sum, { axes: [1] }, [OUT], [3, 1, 7]) as never)).toBeUndefined();
  });

  it('sum and reduceMax over trailing and leading axes', () => {
    const shape = [4, 6, 9];
    const x = data(shape, 6, false);
    x[17] = NaN; // reduceMax propagates NaN like the library
    for (const op of [Prim.Sum, Prim.ReduceMax] as const) {
      for (const axes of [[2], [1, 2], [0], [0, 1], [-1], [0, 1, 2]]) {
        const outShape = K.reducedShape(shape, axes);
        const ref = new Float64Array(size(outShape));
        K.reduce(op, x, shape, axes, ref);
        const step = reduceStep(kernel(op, { axes }, [shape], outShape) as never);
        expect(step, `${op} ${axes}`).toBeDefined();
        close(runFast(backend, step!, [x], ref.length), ref, `${op} axes ${axes}`, op === Prim.Sum ? 216 : 1);
      }
    }
  });
});
