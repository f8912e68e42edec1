/**
 * @file 2-D convolution (NCHW) and its two gradients, by im2col + gemm.
 *
 * x [N, C, H, W], w [O, C/g, KH, KW], y [N, O, OH, OW], groups g (Cg = C/g, Og = O/g);
 *   OH = ⌊(H + pt + pb − dh·(KH−1) − 1)/sh⌋ + 1 (same for OW with pl, pr, dw, sw);
 *   y[n, o, i, j] = Σ_{c<Cg, a<KH, b<KW} w[o, c, a, b] · x[n, g(o)·Cg + c, i·sh − pt + a·dh, j·sw − pl + b·dw]
 * (x is 0 outside [0,H)×[0,W)). This is cross-correlation, like PyTorch/ONNX Conv.
 *
 * Per (n, group): col[K, P] with K = Cg·KH·KW rows (c, a, b) and P = OH·OW columns,
 *   col[(c·KH + a)·KW + b, i·OW + j] = x[n, g·Cg + c, i·sh − pt + a·dh, j·sw − pl + b·dw], then
 *   forward:          y_g[Og, P]  = w_g[Og, K] · col                       (gemm)
 *   backward input:   dcol[K, P]  = w_gᵀ · dy_g,  dx += col2im(dcol)        (gemm, scatter-add)
 *   backward weight:  dw_g[Og, K] += dy_g · colᵀ, summed over n           (gemm, accumulate)
 * col is a module-level Float64Array that only grows. A 1×1, stride-1, unpadded conv skips im2col.
 */
import type { ConvParams } from '../../../ir/prims';
import { gemm } from './matmul';
import type { FloatArray, Shape } from './shape';

let colScratch = new Float64Array(0);

function colBuffer(size: number): Float64Array {
  if (colScratch.length < size) colScratch = new Float64Array(size);
  return colScratch;
}

/** Output shape [N, O, OH, OW] of conv2d for input [N, C, H, W] and weight [O, C/g, KH, KW]. */
export function conv2dShape(xShape: Shape, wShape: Shape, p: ConvParams): number[] {
  const [n, , h, w] = xShape;
  const [o, , kh, kw] = wShape;
  const oh = Math.floor((h + p.padding[0] + p.padding[1] - p.dilation[0] * (kh - 1) - 1) / p.stride[0]) + 1;
  const ow = Math.floor((w + p.padding[2] + p.padding[3] - p.dilation[1] * (kw - 1) - 1) / p.stride[1]) + 1;
  return [n, o, Math.max(0, oh), Math.max(0, ow)];
}

/** Geometry shared by the three kernels. */
interface Geometry {
  n: number; c: number; h: number; w: number;
  o: number; kh: number; kw: number; oh: number; ow: number;
  g: number; cg: number; og: number; k: number; p: number;
  direct: boolean;
}

function geometry(xShape: Shape, wShape: Shape, params: ConvParams): Geometry {
  const [n, c, h, w] = xShape;
  const [o, cg, kh, kw] = wShape;
  const [, , oh, ow] = conv2dShape(xShape, wShape, params);
  const g = params.groups;
  if (cg * g !== c || o % g !== 0) throw new Error(`conv2d: channels ${c}/${o} do not split into ${g} groups of ${cg}`);
  const pd = params.padding;
  const direct = kh === 1 && kw === 1 && params.stride[0] === 1 && params.stride[1] === 1 && pd[0] === 0 && pd[1] === 0 && pd[2] === 0 && pd[3] === 0;
  return { n, c, h, w, o, kh, kw, oh, ow, g, cg, og: o / g, k: cg * kh * kw, p: oh * ow, direct };
}

/** col ← im2col of x[n, group] (see file doc); positions in the padding read 0. */
function im2col(x: FloatArray, ni: number, gi: number, s: Geometry, params: ConvParams, col: Float64Array): void {
  const [sh, sw] = params.stride;
  const [dh, dw] = params.dilation;
  const pt = params.padding[0], pl = params.padding[2];
  const { h, w, kh, kw, oh, ow, cg, c } = s;
  let row = 0;
  for (let ci = 0; ci < cg; ci++) {
    const plane = (ni * c + gi * cg + ci) * h * w;
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++, row++) {
        let dst = row * oh * ow;
        for (let i = 0; i < oh; i++) {
          const y = i * sh - pt + a * dh;
          if (y < 0 || y >= h) {
            for (let j = 0; j < ow; j++) col[dst++] = 0;
            continue;
          }
          const src = plane + y * w;
          for (let j = 0, xx = b * dw - pl; j < ow; j++, xx += sw) col[dst++] = xx >= 0 && xx < w ? x[src + xx] : 0;
        }
      }
    }
  }
}

/** dx[n, group] += col2im(col): the adjoint of im2col (overlapping windows add up). */
function col2im(col: Float64Array, ni: number, gi: number, s: Geometry, params: ConvParams, dx: FloatArray): void {
  const [sh, sw] = params.stride;
  const [dh, dw] = params.dilation;
  const pt = params.padding[0], pl = params.padding[2];
  const { h, w, kh, kw, oh, ow, cg, c } = s;
  let row = 0;
  for (let ci = 0; ci < cg; ci++) {
    const plane = (ni * c + gi * cg + ci) * h * w;
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++, row++) {
        let src = row * oh * ow;
        for (let i = 0; i < oh; i++) {
          const y = i * sh - pt + a * dh;
          if (y < 0 || y >= h) {
            src += ow;
            continue;
          }
          const dst = plane + y * w;
          for (let j = 0, xx = b * dw - pl; j < ow; j++, xx += sw, src++) if (xx >= 0 && xx < w) dx[dst + xx] += col[src];
        }
      }
    }
  }
}

/** y = conv2d(x, w) (see file doc). y has conv2dShape(xShape, wShape, params). */
export function conv2d(x: FloatArray, xShape: Shape, w: FloatArray, wShape: Shape, params: ConvParams, y: FloatArray): void {
  const s = geometry(xShape, wShape, params);
  if (s.p === 0 || s.n === 0 || s.o === 0) return;
  const col = s.direct ? null : colBuffer(s.k * s.p);
  for (let ni = 0; ni < s.n; ni++) {
    for (let gi = 0; gi < s.g; gi++) {
      const yOff = (ni * s.o + gi * s.og) * s.p;
      if (col === null) {
        gemm(s.og, s.p, s.k, w, gi * s.og * s.k, false, x, (ni * s.c + gi * s.cg) * s.p, false, y, yOff, false);
      } else {
        im2col(x, ni, gi, s, params, col);
        gemm(s.og, s.p, s.k, w, gi * s.og * s.k, false, col, 0, false, y, yOff, false);
      }
    }
  }
}

/**
 * dx = ∂⟨dy, conv2d(x, w)⟩/∂x for x of `inputShape` [N, C, H, W] (also ConvTranspose2d's forward).
 * dy is [N, O, OH, OW] with OH, OW = conv2dShape(inputShape, wShape, params).
 */
export function conv2dBackwardInput(dy: FloatArray, w: FloatArray, wShape: Shape, params: ConvParams, inputShape: Shape, dx: FloatArray): void {
  const s = geometry(inputShape, wShape, params);
  if (s.direct) {
    // dx_g[Cg, P] = w_gᵀ[Cg, Og] · dy_g[Og, P]
    for (let ni = 0; ni < s.n; ni++) {
      for (let gi = 0; gi < s.g; gi++) {
        gemm(s.cg, s.p, s.og, w, gi * s.og * s.k, true, dy, (ni * s.o + gi * s.og) * s.p, false, dx, (ni * s.c + gi * s.cg) * s.p, false);
      }
    }
    return;
  }
  dx.fill(0);
  if (s.p === 0) return;
  const col = colBuffer(s.k * s.p);
  for (let ni = 0; ni < s.n; ni++) {
    for (let gi = 0; gi < s.g; gi++) {
      gemm(s.k, s.p, s.og, w, gi * s.og * s.k, true, dy, (ni * s.o + gi * s.og) * s.p, false, col, 0, false);
      col2im(col, ni, gi, s, params, dx);
    }
  }
}

/** dw = ∂⟨dy, conv2d(x, w)⟩/∂w for w of `weightShape` [O, C/g, KH, KW], summed over the batch. */
export function conv2dBackwardWeight(x: FloatArray, xShape: Shape, dy: FloatArray, params: ConvParams, weightShape: Shape, dw: FloatArray): void {
  const s = geometry(xShape, weightShape, params);
  if (s.n === 0 || s.p === 0) {
    dw.fill(0);
    return;
  }
  const col = s.direct ? null : colBuffer(s.k * s.p);
  for (let ni = 0; ni < s.n; ni++) {
    for (let gi = 0; gi < s.g; gi++) {
      const dyOff = (ni * s.o + gi * s.og) * s.p;
      const dwOff = gi * s.og * s.k;
      if (col === null) {
        gemm(s.og, s.k, s.p, dy, dyOff, false, x, (ni * s.c + gi * s.cg) * s.p, true, dw, dwOff, ni > 0);
      } else {
        im2col(x, ni, gi, s, params, col);
        gemm(s.og, s.k, s.p, dy, dyOff, false, col, 0, true, dw, dwOff, ni > 0);
      }
    }
  }
}
