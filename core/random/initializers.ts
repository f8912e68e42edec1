/**
 * @file Weight initializers: fill a weight deterministically from (seed, stream), counter 0,
 * element i of the flat row-major weight drawing element i of the Philox sequence (see philox.ts).
 *
 * Fans (PyTorch's rule, adapted to our Dense layout):
 *   rank 0        fanIn = fanOut = 1
 *   rank 1        fanIn = fanOut = shape[0]                        (bias-like)
 *   rank 2        Dense [in, out]: fanIn = in, fanOut = out         (note: PyTorch Linear is [out, in])
 *   rank ≥ 3      conv [out, in/g, kh, kw…]: r = Π shape[2:],
 *                 fanIn = shape[1]·r (= in/g·kh·kw), fanOut = shape[0]·r (= out·kh·kw)
 * Distributions (PyTorch xavier_/kaiming_ with gain √2 for He, a = 0):
 *   glorotUniform U(−l, l), l = √(6/(fanIn + fanOut))     glorotNormal N(0, 2/(fanIn + fanOut))
 *   heUniform     U(−l, l), l = √(6/fanIn)                heNormal     N(0, 2/fanIn)
 *   uniform       U(−limit, limit)                        normal       N(mean, std²)
 * U(a, b) = a + (b − a)·u with u the 24-bit uniform; normals are untruncated Box–Muller draws.
 */
import { fillRandom } from './philox';

export type Initializer =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; limit: number }
  | { kind: 'normal'; std: number; mean?: number }
  | { kind: 'glorotUniform' }
  | { kind: 'glorotNormal' }
  | { kind: 'heUniform' }
  | { kind: 'heNormal' };

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** fanIn / fanOut of a weight shape (see file doc). */
export function fans(shape: readonly number[]): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/** Theoretical (mean, variance) an initializer draws from, for the given weight shape. */
export function initializerMoments(init: Initializer, shape: readonly number[]): { mean: number; variance: number } {
  const { fanIn, fanOut } = fans(shape);
  switch (init.kind) {
    case 'zeros': return { mean: 0, variance: 0 };
    case 'ones': return { mean: 1, variance: 0 };
    case 'constant': return { mean: init.value, variance: 0 };
    case 'uniform': return { mean: 0, variance: (init.limit * init.limit) / 3 };
    case 'normal': return { mean: init.mean ?? 0, variance: init.std * init.std };
    case 'glorotUniform':
    case 'glorotNormal': return { mean: 0, variance: 2 / (fanIn + fanOut) };
    case 'heUniform':
    case 'heNormal': return { mean: 0, variance: 2 / fanIn };
    default: return init satisfies never;
  }
}

/**
 * Fills `out` (a weight of `shape`) with `init`, drawing from (seed, stream, counter 0); the
 * scaling happens in f64 before the one rounding to the output type.
 */
export function initialize(init: Initializer, shape: readonly number[], seed: number, stream: number, out: Float32Array | Float64Array): void {
  const { fanIn, fanOut } = fans(shape);
  switch (init.kind) {
    case 'zeros': out.fill(0); return;
    case 'ones': out.fill(1); return;
    case 'constant': out.fill(init.value); return;
    case 'uniform':
      fillRandom('uniform', seed, stream, 0, out, 2 * init.limit, -init.limit);
      return;
    case 'normal':
      fillRandom('normal', seed, stream, 0, out, init.std, init.mean ?? 0);
      return;
    case 'glorotUniform': {
      const l = Math.sqrt(6 / (fanIn + fanOut));
      fillRandom('uniform', seed, stream, 0, out, 2 * l, -l);
      return;
    }
    case 'glorotNormal':
      fillRandom('normal', seed, stream, 0, out, Math.sqrt(2 / (fanIn + fanOut)), 0);
      return;
    case 'heUniform': {
      const l = Math.sqrt(6 / fanIn);
      fillRandom('uniform', seed, stream, 0, out, 2 * l, -l);
      return;
    }
    case 'heNormal':
      fillRandom('normal', seed, stream, 0, out, Math.sqrt(2 / fanIn), 0);
      return;
    default:
      init satisfies never;
  }
}
