/**
 * @file Model-level shapes: like IR shapes, but axis 0 may be the symbolic batch `'B'`
 * (a plan is compiled for one batch size; the canvas shows every size that works).
 * Only axis 0 is ever symbolic; every layer keeps the batch on axis 0.
 */
import type { DType } from './types';

export const BATCH = 'B';
export type Dim = number | typeof BATCH;
export type Shape = readonly Dim[];

/** `[B, 1, 28, 28]`. */
export const formatShape = (s: Shape): string => `[${s.join(', ')}]`;

/** The shape with the batch replaced by a concrete size. */
export const concreteShape = (s: Shape, batch: number): number[] => s.map((d) => (d === BATCH ? batch : d));

/** The dims after the batch, which are always concrete. */
export const featureDims = (s: Shape): number[] => s.slice(1).map((d) => (d === BATCH ? 1 : d));

/** The last dim as a number (the batch counts as unknown: 0). */
export const lastDim = (s: Shape): number => {
  const d = s[s.length - 1];
  return typeof d === 'number' ? d : 0;
};

/** Product of concrete dims; the batch counts as one (per-example sizes). */
export const numel = (s: Shape): number => s.reduce<number>((n, d) => n * (d === BATCH ? 1 : d), 1);

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Normalises a possibly negative axis; null when out of range. */
export function normAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

export interface PortType {
  readonly shape: Shape;
  readonly dtype: DType;
}
