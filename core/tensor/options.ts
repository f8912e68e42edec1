/** @file Convolution and pooling options of the Tensor API, normalised into prim params. */
import type { ConvParams, Pads4, Pair, PoolParams } from '../ir/prims';

export interface ConvOptions {
  /** default 1 */
  stride?: number | Pair;
  /** number: all four sides; [ph, pw]: symmetric; [top, bottom, left, right]. Default 0. */
  padding?: number | Pair | Pads4;
  /** default 1 */
  dilation?: number | Pair;
  /** default 1 */
  groups?: number;
}

export interface PoolOptions {
  kernel: number | Pair;
  /** default: the kernel size */
  stride?: number | Pair;
  /** as in ConvOptions; default 0 */
  padding?: number | Pair | Pads4;
}

export function toPair(v: number | Pair): Pair {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

export function toPads4(v: number | Pair | Pads4): Pads4 {
  if (typeof v === 'number') return [v, v, v, v];
  if (v.length === 2) return [v[0], v[0], v[1], v[1]];
  return [v[0], v[1], v[2], v[3]];
}

export function convParams(o: ConvOptions): ConvParams {
  return {
    stride: toPair(o.stride ?? 1),
    padding: toPads4(o.padding ?? 0),
    dilation: toPair(o.dilation ?? 1),
    groups: o.groups ?? 1,
  };
}

export function poolParams(o: PoolOptions): PoolParams {
  const kernel = toPair(o.kernel);
  return { kernel, stride: toPair(o.stride ?? kernel), padding: toPads4(o.padding ?? 0) };
}
