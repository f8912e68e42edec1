/**
 * @file conv2d and its gradients on the WebAssembly GEMM, batched across the batch (groups = 1;
 * other convolutions stay on the library kernel). Notation of kernels/conv.ts: K = C·KH·KW,
 * P = OH·OW; col holds every sample's im2col matrix, [N][K][P], in runtime memory.
 *   forward:         y_n[O, P] = w[O, K] · col_n           one gemmBatch over n (w shared: stride 0)
 *   backward input:  dcol_n[K, P] = wᵀ · dy_n, dx = col2im  one gemmBatch, then a scatter-add
 *   backward weight: dw[O, K] = Σ_n dy_n · col_nᵀ          one accumulating gemm per sample, or
 *                    one gemm over all samples (k = N·P) when im2col is generated
 * gemmBatch splits the samples across threads. Without padding, im2col is one strided copy
 *   col[n, c, a, b, i, j] = x[n, c, i·sh + a·dh, j·sw + b·dw]
 * and col2im the same walk accumulating into x: both generated as WebAssembly (movegen.ts). With
 * padding they run in JS.
 */
import { Prim } from '../../../ir/prims';
import type { Kernel } from '../../../compile/plan';
import type { ConvParams } from '../../../ir/prims';
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

/** Every window inside x: no padding read (bottom/right padding may be unused). */
const readsNoPadding = (g: Geometry): boolean =>
  g.pt === 0 && g.pl === 0 && (g.oh - 1) * g.sh + (g.kh - 1) * g.dh < g.h && (g.ow - 1) * g.sw + (g.kw - 1) * g.dw < g.w;

/** Element strides in x of the im2col walk [N, C, KH, KW, OH, OW]. */
const xWalk = (g: Geometry): number[] => [g.c * g.h * g.w, g.h * g.w, g.dh * g.w, g.dw, g.sh * g.w, g.sw];

/** im2col (or its adjoint) as a generated function f(x, col) when there is no padding. */
function im2colWasm(g: Geometry, lib: KernelModule | undefined, adjoint: boolean): ((x: Float32Array, col: Float32Array) => void) | undefined {
  if (lib === undefined || !readsNoPadding(g)) return undefined;
  const { n: N, c: C, h: H, w: W, kh: KH, kw: KW, oh: OH, ow: OW } = g;
  const shape = [N, C, KH, KW, OH, OW];
  const xStrides = xWalk(g);
  const colStrides = [C * KH * KW * OH * OW, KH * KW * OH * OW, KW * OH * OW, OH * OW, OW, 1];
  const fn = new Fn('im2col', 2);
  const cp: StridedCopy = adjoint
    ? { from: 1, shape, src: colStrides, srcBase: 0, dst: xStrides, dstBase: 0 }
    : { from: 0, shape, src: xStrides, srcBase: 0, dst: colStrides, dstBase: 0 };
  if (adjoint) fn.emit(fillCode(fn, 0, N * C * H * W, 0));
  fn.emit(copyCode(fn, adjoint ? 0 : 1, cp, adjoint ? 'add' : 'copy'));
  const slot = lib.add(fn);
  return (x, col) => slot.f(x.byteOffset, col.byteOffset);
}

/**
 * The weight gradient as one GEMM over every sample (no padding read): x unrolled as
 * colᵀ[K][N·P] and dy transposed to dyᵀ[O][N·P] (one generated pass), then
 *   dw[O, K] = dyᵀ · colᵀᵀ   (k = N·P)
 * instead of N small accumulating products (O and K are often below one register tile).
 */
function weightGradWasm(rt: WasmRuntime, g: Geometry, lib: KernelModule | undefined): F32Step | undefined {
  if (lib === undefined || !readsNoPadding(g)) return undefined;
  const { n: N, c: C, kh: KH, kw: KW, oh: OH, ow: OW, o: O } = g;
  const K = C * KH * KW, P = OH * OW, NP = N * P;
  const colT = rt.scratch((K + O) * NP * 4), dyT = colT + K * NP * 4;
  const fn = new Fn('im2colT', 4); // (x, dy, colT, dyT)
  fn.emit(copyCode(fn, 2, { from: 0, shape: [N, C, KH, KW, OH, OW], src: xWalk(g), srcBase: 0, dst: [P, KH * KW * NP, KW * NP, NP, OW, 1], dstBase: 0 }));
  fn.emit(copyCode(fn, 3, { from: 1, shape: [N, O, P], src: [O * P, P, 1], srcBase: 0, dst: [P, NP, 1], dstBase: 0 }));
  const slot = lib.add(fn);
  return ([x, dy], dw) => {
    slot.f(x.byteOffset, dy.byteOffset, colT, dyT);
    gemm(rt, O, K, NP, dyT, NP, 1, colT, 1, NP, dw.byteOffset, K, false);
  };
}

export function convStep(rt: WasmRuntime, k: Kernel, lib?: KernelModule): F32Step | undefined {
  if (k.prim !== Prim.Conv2d && k.prim !== Prim.Conv2dBackwardInput && k.prim !== Prim.Conv2dBackwardWeight) return undefined;
  if (k.params.groups !== 1) return undefined;
  const xShape = k.prim === Prim.Conv2dBackwardInput ? k.params.inputShape : k.inputs[0].shape;
  const wShape = k.prim === Prim.Conv2dBackwardWeight ? k.params.weightShape : k.inputs[1].shape;
  const yShape = k.prim === Prim.Conv2d ? k.output.shape : k.inputs[k.prim === Prim.Conv2dBackwardInput ? 0 : 1].shape;
  const g = geometry(xShape, wShape, yShape, k.params);
  const K = g.c * g.kh * g.kw, P = g.oh * g.ow, O = g.o, N = g.n;
  if (k.prim === Prim.Conv2dBackwardWeight) {
    const whole = weightGradWasm(rt, g, lib);
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
