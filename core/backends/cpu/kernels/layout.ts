/**
 * @file Movement kernels: transpose, broadcast, slice, concat, pad. They copy values and never
 * look at them, so they take any storage (f32/f64 floats, bool, i32 indices); input and output
 * must be the same array kind. Each is one strided walk: read offsets follow the source through
 * permuted / zeroed / stepped strides while the output is written contiguously.
 * (`reshape` has no kernel: the storage is unchanged; the backend copies or aliases.)
 */
import { forEachRun } from './walk';
import { type AnyArray, type Shape, broadcastStrides, coalesce, normalizeAxis, sizeOf, stridesOf } from './shape';

/** Copies a strided view of `x` (walking `shape`, source strides `srcStrides` from `srcBase`) into `out` contiguously from `outBase`. */
function copyStrided(x: AnyArray, srcBase: number, srcStrides: readonly number[], out: AnyArray, outBase: number, outStrides: readonly number[], shape: Shape): void {
  if (shape.length === 0) {
    out[outBase] = x[srcBase];
    return;
  }
  const c = coalesce(shape, [outStrides, srcStrides]);
  const r = c.shape.length - 1;
  const so = c.strides[0][r];
  const sx = c.strides[1][r];
  forEachRun(
    c.shape,
    c.strides,
    (off, n) => {
      for (let i = 0, io = off[0], ix = off[1]; i < n; i++, io += so, ix += sx) out[io] = x[ix];
    },
    [outBase, srcBase],
  );
}

/** Shape of transpose: out.shape[i] = shape[perm[i]]. */
export function transposeShape(shape: Shape, perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]);
}

/** out[i₀…] = x[j…] with j[perm[d]] = i[d], i.e. out axis d is x axis perm[d] (NumPy/ONNX transpose). */
export function transpose(x: AnyArray, shape: Shape, perm: readonly number[], out: AnyArray): void {
  const xs = stridesOf(shape);
  const outShape = transposeShape(shape, perm);
  copyStrided(x, 0, perm.map((p) => xs[p]), out, 0, stridesOf(outShape), outShape);
}

/** out = x broadcast to `outShape` (NumPy rules: align right, 1 stretches). */
export function broadcast(x: AnyArray, shape: Shape, outShape: Shape, out: AnyArray): void {
  if (x.length === out.length) {
    for (let i = 0; i < out.length; i++) out[i] = x[i];
    return;
  }
  copyStrided(x, 0, broadcastStrides(shape, outShape), out, 0, stridesOf(outShape), outShape);
}

/** Shape of slice: per axis ceil((end − start)/step), 0 if end ≤ start. */
export function sliceShape(starts: readonly number[], ends: readonly number[], steps: readonly number[]): number[] {
  return starts.map((s, d) => Math.max(0, Math.ceil((ends[d] - s) / (steps[d] ?? 1))));
}

/**
 * out[i…] = x[starts[d] + i[d]·steps[d] …]: half-open [start, end) per axis with step ≥ 1;
 * indices already normalised (0 ≤ start ≤ end ≤ dim), as the IR guarantees.
 */
export function slice(x: AnyArray, shape: Shape, starts: readonly number[], ends: readonly number[], steps: readonly number[], out: AnyArray): void {
  const xs = stridesOf(shape);
  const outShape = sliceShape(starts, ends, steps);
  let base = 0;
  for (let d = 0; d < shape.length; d++) base += starts[d] * xs[d];
  copyStrided(x, base, xs.map((s, d) => s * (steps[d] ?? 1)), out, 0, stridesOf(outShape), outShape);
}

/**
 * out = inputs joined along `axis` (all other dims equal). Viewing each input as
 * [outer, dᵢ·inner], the output row is the inputs' rows back to back.
 */
export function concat(inputs: readonly AnyArray[], shapes: readonly Shape[], axis: number, out: AnyArray): void {
  const rank = shapes[0].length;
  const ax = normalizeAxis(axis, rank);
  const outer = sizeOf(shapes[0].slice(0, ax));
  const inner = sizeOf(shapes[0].slice(ax + 1));
  let rowLen = 0;
  for (const s of shapes) rowLen += s[ax] * inner;
  let col = 0;
  for (let t = 0; t < inputs.length; t++) {
    const x = inputs[t];
    const len = shapes[t][ax] * inner;
    for (let o = 0; o < outer; o++) {
      const src = o * len;
      const dst = o * rowLen + col;
      for (let i = 0; i < len; i++) out[dst + i] = x[src + i];
    }
    col += len;
  }
}

/** Shape of pad: dim + before + after per axis. */
export function padShape(shape: Shape, pads: readonly (readonly [number, number])[]): number[] {
  return shape.map((d, i) => d + pads[i][0] + pads[i][1]);
}

/** out = x surrounded by `value`: out[i…] = x[i − before…] where inside, else value (pads ≥ 0). */
export function pad(x: AnyArray, shape: Shape, pads: readonly (readonly [number, number])[], value: number, out: AnyArray): void {
  const outShape = padShape(shape, pads);
  out.fill(value);
  if (x.length === 0) return;
  const os = stridesOf(outShape);
  let base = 0;
  for (let d = 0; d < shape.length; d++) base += pads[d][0] * os[d];
  copyStrided(x, 0, stridesOf(shape), out, base, os, shape);
}
