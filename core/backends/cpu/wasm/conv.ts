/**
 * @file conv2d and its gradients on the WebAssembly GEMM, batched across the batch (groups = 1;
 * other convolutions stay on the library kernel). Notation of kernels/conv.ts: K = C·KH·KW,
 * P = OH·OW; col holds every sample's im2col matrix, [N][K][P], in runtime memory.
 *   forward:         y_n[O, P] = w[O, K] · col_n           one gemmBatch over n (w shared: stride 0)
 *   backward input:  dcol_n[K, P] = wᵀ · dy_n, dx = col2im  one GEMM over all samples (generated:
 *                    dy transposed, k = O; unfused: one gemmBatch), then a scatter-add
 *   backward weight: dw[O, K] = Σ_n dy_n · col_nᵀ          one accumulating gemm per sample (generated,
 *                    unfused: one gemm over all samples, k = N·P)
 * gemmBatch splits the samples across threads. With a KernelModule (generated code), the forward
 * and the weight gradient never write col: im2col is fused into the GEMM's packing (convGemm.ts,
 * convWeightGemm.ts; same sums in the same order). col2im, a scatter, stays a separate pass: one
 * strided copy per kernel tap
 *   col[n, c, a, b, i, j] = x[n, c, i·sh − pt + a·dh, j·sw − pl + b·dw]   (0 where that is padding)
 * over the outputs whose tap reads inside x, accumulating into x, generated as WebAssembly
 * (movegen.ts); the JS walks below are the fallback without a KernelModule (and `fuse` = false).
 */
import { Prim } from '../../../ir/prims';
import type { Kernel } from '../../../compile/plan';
import type { ConvParams } from '../../../ir/prims';
import { fusedConvForward } from './convGemm';
import { fusedConvWeightGrad } from './convWeightGemm';
import { gemm, gemmBatch } from './gemm';
import type { KernelModule } from './kernelModule';
import type { F32Step } from './matmul';
import { copyCode, fillCode, type StridedCopy } from './movegen';
import { Fn } from './emit';
import type { WasmRuntime } from './runtime';

interface Geometry {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number; oh: number; ow: number;
  sh: number; sw: number; pt: number; pl: number; dh: number; dw: number;
}

function geometry(x: readonly number[], wt: readonly number[], y: readonly number[], p: ConvParams): Geometry {
  return {
    n: x[0], c: x[1], h: x[2], w: x[3], o: wt[0], kh: wt[2], kw: wt[3], oh: y[2], ow: y[3],
    sh: p.stride[0], sw: p.stride[1], pt: p.padding[0], pl: p.padding[2], dh: p.dilation[0], dw: p.dilation[1],
  };
}

/** col[n][(c·KH + a)·KW + b][i·OW + j] = x[n, c, i·sh − pt + a·dh, j·sw − pl + b·dw] (0 outside), or the adjoint (add into x). */
function im2col(g: Geometry, x: Float32Array, col: Float32Array, adjoint: boolean): void {
  const { n: N, c: C, h: H, w: W, kh: KH, kw: KW, oh: OH, ow: OW, sh, sw, pt, pl, dh, dw } = g;
  if (adjoint) x.fill(0);
  let d = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let a = 0; a < KH; a++) {
        for (let b = 0; b < KW; b++) {
          for (let i = 0; i < OH; i++) {
            const yy = i * sh - pt + a * dh;
            if (yy < 0 || yy >= H) {
              if (!adjoint) col.fill(0, d, d + OW);
              d += OW;
              continue;
            }
            const row = plane + yy * W;
            for (let j = 0, xx = b * dw - pl; j < OW; j++, xx += sw, d++) {
              if (adjoint) {
                if (xx >= 0 && xx < W) x[row + xx] += col[d];
              } else col[d] = xx >= 0 && xx < W ? x[row + xx] : 0;
            }
          }
        }
      }
    }
  }
}

/** One kernel tap's part of the im2col walk: a box [N, C, rows, cols] with its strides and bases in x and col. */
interface Tap {
  shape: number[];
  x: number[];
  xBase: number;
  col: number[];
  colBase: number;
}

/**
 * The im2col walk as one strided copy per kernel tap (a, b), over the outputs whose tap reads
 * inside x: rows i with 0 ≤ i·sh − pt + a·dh < H, i.e. i ∈ [⌈(pt − a·dh)/sh⌉, ⌊(H − 1 + pt − a·dh)/sh⌋ + 1)
 * ∩ [0, OH), columns likewise. `padded`: some outputs read padding (their col entries are 0).
 * colN, colC: col's element strides over n and c; tap(a, b): col's offset of the tap at output 0.
 */
function taps(g: Geometry, colN: number, colC: number, tap: (a: number, b: number) => number): { taps: Tap[]; padded: boolean } {
  const { n: N, c: C, h: H, w: W, kh: KH, kw: KW, oh: OH, ow: OW, sh, sw, pt, pl, dh, dw } = g;
  const out: Tap[] = [];
  let padded = false;
  for (let a = 0; a < KH; a++) {
    const i0 = Math.max(0, Math.ceil((pt - a * dh) / sh)), i1 = Math.min(OH, Math.floor((H - 1 + pt - a * dh) / sh) + 1);
    for (let b = 0; b < KW; b++) {
      const j0 = Math.max(0, Math.ceil((pl - b * dw) / sw)), j1 = Math.min(OW, Math.floor((W - 1 + pl - b * dw) / sw) + 1);
      if (i0 > 0 || i1 < OH || j0 > 0 || j1 < OW) padded = true;
      if (i1 <= i0 || j1 <= j0) continue;
      out.push({
        shape: [N, C, i1 - i0, j1 - j0],
        x: [C * H * W, H * W, sh * W, sw],
        xBase: (i0 * sh - pt + a * dh) * W + (j0 * sw - pl + b * dw),
        col: [colN, colC, OW, 1],
        colBase: tap(a, b) + i0 * OW + j0,
      });
    }
  }
  return { taps: out, padded };
}

/** im2col f(x, col) into [N][K][P], or its adjoint f(dx, col) (dx zeroed, then col added in), generated. */
function im2colWasm(g: Geometry, lib: KernelModule | undefined, adjoint: boolean): ((x: Float32Array, col: Float32Array) => void) | undefined {
  if (lib === undefined) return undefined;
  const { n: N, c: C, h: H, w: W, kh: KH, kw: KW, oh: OH, ow: OW } = g;
  const P = OH * OW;
  const walk = taps(g, C * KH * KW * P, KH * KW * P, (a, b) => (a * KW + b) * P);
  const fn = new Fn('im2col', 2); // (x, col)
  if (adjoint) fn.emit(fillCode(fn, 0, N * C * H * W, 0));
  else if (walk.padded) fn.emit(fillCode(fn, 1, N * C * KH * KW * P, 0));
  for (const t of walk.taps) {
    const cp: StridedCopy = adjoint
      ? { from: 1, shape: t.shape, src: t.col, srcBase: t.colBase, dst: t.x, dstBase: t.xBase }
      : { from: 0, shape: t.shape, src: t.x, srcBase: t.xBase, dst: t.col, dstBase: t.colBase };
    fn.emit(copyCode(fn, adjoint ? 0 : 1, cp, adjoint ? 'add' : 'copy'));
  }
  const slot = lib.add(fn);
  return (x, col) => slot.f(x.byteOffset, col.byteOffset);
}

/**
 * The weight gradient as one GEMM over every sample: x unrolled as colᵀ[K][N·P] and dy transposed
 * to dyᵀ[O][N·P] (one generated pass), then
 *   dw[O, K] = dyᵀ · colᵀᵀ   (k = N·P)
 * instead of N small accumulating products (O and K are often below one register tile).
 */
function weightGradWasm(rt: WasmRuntime, g: Geometry, lib: KernelModule | undefined): F32Step | undefined {
  if (lib === undefined) return undefined;
  const { n: N, c: C, kh: KH, kw: KW, oh: OH, ow: OW, o: O } = g;
  const K = C * KH * KW, P = OH * OW, NP = N * P;
  const colT = rt.scratch((K + O) * NP * 4), dyT = colT + K * NP * 4;
  const walk = taps(g, P, KH * KW * NP, (a, b) => (a * KW + b) * NP);
  const fn = new Fn('im2colT', 4); // (x, dy, colT, dyT)
  if (walk.padded) fn.emit(fillCode(fn, 2, K * NP, 0));
  for (const t of walk.taps) fn.emit(copyCode(fn, 2, { from: 0, shape: t.shape, src: t.x, srcBase: t.xBase, dst: t.col, dstBase: t.colBase }));
  fn.emit(copyCode(fn, 3, { from: 1, shape: [N, O, P], src: [O * P, P, 1], srcBase: 0, dst: [P, NP, 1], dstBase: 0 }));
  const slot = lib.add(fn);
  return ([x, dy], dw) => {
    slot.f(x.byteOffset, dy.byteOffset, colT, dyT);
    gemm(rt, O, K, NP, dyT, NP, 1, colT, 1, NP, dw.byteOffset, K, false);
  };
}

/**
 * The input gradient (ConvTranspose2D's forward) as one GEMM over every sample: dy transposed to
 * dyᵀ[O][N·P] (one generated pass), then
 *   dcolᵀ[K, N·P] = wᵀ · dyᵀ   (k = O)
 * and col2im from that layout; per-sample products have P columns only (49 on a 7×7 map), far
 * under the GEMM's tiles, while N·P fills them.
 */
function inputGradWasm(rt: WasmRuntime, g: Geometry, lib: KernelModule | undefined): F32Step | undefined {
  if (lib === undefined) return undefined;
  const { n: N, c: C, kh: KH, kw: KW, oh: OH, ow: OW, o: O } = g;
  const K = C * KH * KW, P = OH * OW, NP = N * P;
  const colT = rt.scratch((K + O) * NP * 4), dyT = colT + K * NP * 4;
  const walk = taps(g, P, KH * KW * NP, (a, b) => (a * KW + b) * NP);
  const transpose = new Fn('dyT', 2); // (dy, dyT)
  transpose.emit(copyCode(transpose, 1, { from: 0, shape: [N, O, P], src: [O * P, P, 1], srcBase: 0, dst: [P, NP, 1], dstBase: 0 }));
  const col2im = new Fn('col2imT', 2); // (dx, colT)
  col2im.emit(fillCode(col2im, 0, N * C * g.h * g.w, 0));
  for (const t of walk.taps) col2im.emit(copyCode(col2im, 0, { from: 1, shape: t.shape, src: t.col, srcBase: t.colBase, dst: t.x, dstBase: t.xBase }, 'add'));
  const before = lib.add(transpose), after = lib.add(col2im);
  return ([dy, w], dx) => {
    before.f(dy.byteOffset, dyT);
    gemm(rt, K, NP, O, w.byteOffset, 1, K, dyT, NP, 1, colT, NP, false);
    after.f(dx.byteOffset, colT);
  };
}

/** `fuse`: the generated forward packs straight from x (convGemm.ts); false keeps im2col + GEMM (benchmarks compare the two). */
export function convStep(rt: WasmRuntime, k: Kernel, lib?: KernelModule, fuse = true): F32Step | undefined {
  if (k.prim !== Prim.Conv2d && k.prim !== Prim.Conv2dBackwardInput && k.prim !== Prim.Conv2dBackwardWeight) return undefined;
  if (k.params.groups !== 1) return undefined;
  const xShape = k.prim === Prim.Conv2dBackwardInput ? k.params.inputShape : k.inputs[0].shape;
  const wShape = k.prim === Prim.Conv2dBackwardWeight ? k.params.weightShape : k.inputs[1].shape;
  const yShape = k.prim === Prim.Conv2d ? k.output.shape : k.inputs[k.prim === Prim.Conv2dBackwardInput ? 0 : 1].shape;
  const g = geometry(xShape, wShape, yShape, k.params);
  const K = g.c * g.kh * g.kw, P = g.oh * g.ow, O = g.o, N = g.n;
  if (k.prim === Prim.Conv2dBackwardWeight && lib !== undefined && fuse) return fusedConvWeightGrad(rt, g);
  if (k.prim === Prim.Conv2dBackwardWeight) {
    const whole = weightGradWasm(rt, g, lib);
    if (whole !== undefined) return whole;
  }
  if (k.prim === Prim.Conv2d && lib !== undefined && fuse) return fusedConvForward(rt, g);
  if (k.prim === Prim.Conv2dBackwardInput && fuse) {
    const whole = inputGradWasm(rt, g, lib);
    if (whole !== undefined) return whole;
  }
  const colPtr = rt.scratch(N * K * P * 4);
  const col = rt.f32(colPtr, N * K * P);
  const adjoint = k.prim === Prim.Conv2dBackwardInput;
  const walk = im2colWasm(g, lib, adjoint) ?? ((x: Float32Array, c: Float32Array) => im2col(g, x, c, adjoint));
  switch (k.prim) {
    case Prim.Conv2d:
      return ([x, w], y) => {
        walk(x, col);
        gemmBatch(rt, N, 0, K * P, O * P, O, P, K, w.byteOffset, K, 1, colPtr, P, 1, y.byteOffset);
      };
    case Prim.Conv2dBackwardInput:
      return ([dy, w], dx) => {
        gemmBatch(rt, N, 0, O * P, K * P, K, P, O, w.byteOffset, 1, K, dy.byteOffset, P, 1, colPtr);
        walk(dx, col);
      };
    case Prim.Conv2dBackwardWeight:
      return ([x, dy], dw) => {
        walk(x, col);
        for (let n = 0; n < N; n++) gemm(rt, O, K, P, dy.byteOffset + n * O * P * 4, P, 1, colPtr + n * K * P * 4, 1, P, dw.byteOffset, K, n > 0);
      };
  }
}
