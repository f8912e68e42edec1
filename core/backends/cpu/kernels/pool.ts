/**
 * @file 2-D max and average pooling (NCHW) and their gradients.
 *
 * x [N, C, H, W] → y [N, C, OH, OW], OH = ⌊(H + pt + pb − KH)/sh⌋ + 1 (same for OW with pl, pr).
 * Window (i, j) covers rows i·sh − pt … + KH − 1 and columns j·sw − pl … + KW − 1.
 *  - max: over the window's in-bounds elements (padding never wins; an all-padding window gives
 *    −∞). Ties: the first maximum in row-major window order wins and alone receives the gradient;
 *    NaN wins as soon as it is met (PyTorch CPU semantics).
 *  - avg: Σ(in-bounds elements) / (KH·KW): padding counts as zeros in the divisor
 *    (PyTorch count_include_pad=True; with floor output sizes every window lies inside the padded
 *    image, so the divisor is always the full window).
 */
import type { PoolParams } from '../../../ir/prims';
import type { FloatArray, Shape } from './shape';

/** Output shape [N, C, OH, OW] of pooling over x [N, C, H, W]. */
export function pool2dShape(xShape: Shape, p: PoolParams): number[] {
  const [n, c, h, w] = xShape;
  const oh = Math.floor((h + p.padding[0] + p.padding[1] - p.kernel[0]) / p.stride[0]) + 1;
  const ow = Math.floor((w + p.padding[2] + p.padding[3] - p.kernel[1]) / p.stride[1]) + 1;
  return [n, c, Math.max(0, oh), Math.max(0, ow)];
}

/**
 * Visits every output position with its window clipped to the image:
 * visit(planeOffset, outIndex, y0, y1, x0, x1) with rows [y0, y1) and columns [x0, x1).
 */
function forEachWindow(xShape: Shape, p: PoolParams, visit: (plane: number, out: number, y0: number, y1: number, x0: number, x1: number) => void): void {
  const [n, c, h, w] = xShape;
  const [, , oh, ow] = pool2dShape(xShape, p);
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const pt = p.padding[0], pl = p.padding[2];
  let out = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < oh; i++) {
      const ys = i * sh - pt;
      const y0 = Math.max(0, ys), y1 = Math.min(h, ys + kh);
      for (let j = 0; j < ow; j++, out++) {
        const xs = j * sw - pl;
        visit(base, out, y0, y1, Math.max(0, xs), Math.min(w, xs + kw));
      }
    }
  }
}

/** Flat index into x of the window's first maximum, or −1 for an all-padding window. */
function argmaxWindow(x: FloatArray, w: number, base: number, y0: number, y1: number, x0: number, x1: number): number {
  let best = -1;
  let m = -Infinity;
  for (let y = y0; y < y1; y++) {
    const row = base + y * w;
    for (let xx = x0; xx < x1; xx++) {
      const v = x[row + xx];
      if (best < 0 || v > m || v !== v) {
        best = row + xx;
        m = v;
        if (v !== v) return best;
      }
    }
  }
  return best;
}

/** y = maxPool2d(x) (see file doc). */
export function maxPool2d(x: FloatArray, xShape: Shape, p: PoolParams, y: FloatArray): void {
  const w = xShape[3];
  forEachWindow(xShape, p, (base, o, y0, y1, x0, x1) => {
    const at = argmaxWindow(x, w, base, y0, y1, x0, x1);
    y[o] = at < 0 ? -Infinity : x[at];
  });
}

/** dx = zeros(x); dx[argmax of window] += dy[window] (argmax recomputed from x, first max wins). */
export function maxPool2dBackward(x: FloatArray, xShape: Shape, dy: FloatArray, p: PoolParams, dx: FloatArray): void {
  const w = xShape[3];
  dx.fill(0);
  forEachWindow(xShape, p, (base, o, y0, y1, x0, x1) => {
    const at = argmaxWindow(x, w, base, y0, y1, x0, x1);
    if (at >= 0) dx[at] += dy[o];
  });
}

/** y = avgPool2d(x) with count_include_pad (see file doc). */
export function avgPool2d(x: FloatArray, xShape: Shape, p: PoolParams, y: FloatArray): void {
  const w = xShape[3];
  const count = p.kernel[0] * p.kernel[1];
  forEachWindow(xShape, p, (base, o, y0, y1, x0, x1) => {
    let acc = 0;
    for (let yy = y0; yy < y1; yy++) {
      const row = base + yy * w;
      for (let xx = x0; xx < x1; xx++) acc += x[row + xx];
    }
    y[o] = acc / count;
  });
}

/** dx = zeros(inputShape); every in-bounds element of window o gets dy[o] / (KH·KW). */
export function avgPool2dBackward(dy: FloatArray, p: PoolParams, inputShape: Shape, dx: FloatArray): void {
  const w = inputShape[3];
  const count = p.kernel[0] * p.kernel[1];
  dx.fill(0);
  forEachWindow(inputShape, p, (base, o, y0, y1, x0, x1) => {
    const g = dy[o] / count;
    for (let yy = y0; yy < y1; yy++) {
      const row = base + yy * w;
      for (let xx = x0; xx < x1; xx++) dx[row + xx] += g;
    }
  });
}
