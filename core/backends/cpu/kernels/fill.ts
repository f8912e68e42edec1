/**
 * @file Source kernels: `random` (Philox draws, see core/random/philox.ts for the exact mapping)
 * and `constant` (a flat row-major literal).
 */
import { fillRandom } from '../../../random/philox';
import type { AnyArray, FloatArray } from './shape';

/**
 * out[i] = element i of the `dist` sequence of (seed, stream, counter): uniform [0, 1) from
 * 24 bits, or standard normal by Box–Muller. `counter` is the random prim's scalar input (the step).
 */
export function random(dist: 'uniform' | 'normal', seed: number, stream: number, counter: number, out: FloatArray): void {
  fillRandom(dist, seed, stream, counter, out);
}

/**
 * out[i] = value[i] (flat row-major); a single-element `value` fills all of out.
 * Writing into an Int32Array truncates toward zero; bool stores 1 for any non-zero value.
 */
export function constant(value: readonly number[], dtype: 'f32' | 'i32' | 'bool', out: AnyArray): void {
  const n = out.length;
  if (value.length !== 1 && value.length !== n) throw new Error(`constant: ${value.length} values for ${n} elements`);
  const toBool = dtype === 'bool';
  for (let i = 0; i < n; i++) {
    const v = value.length === 1 ? value[0] : value[i];
    out[i] = toBool ? (v !== 0 ? 1 : 0) : v;
  }
}
