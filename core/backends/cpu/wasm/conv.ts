/**
 * @file conv2d and its gradients on the WebAssembly GEMM, batched across the batch (groups = 1;
 * other convolutions stay on the library kernel). Notation of kernels/conv.ts: K = C·KH·KW,
 * P = OH·OW; col holds every sample's im2col matrix, [N][K][P], in runtime memory.
 *   forward:         y_n[O, P] = w[O, K] · col_n           one gemmBatch over n (w shared: stride 0)
 *   backward input:  dcol_n[K, P] = wᵀ · dy_n, dx = col2im  one gemmBatch, then a scatter-add
 *   backward weight: dw[O, K] = Σ_n dy_n · col_nᵀ          one accumulating gemm per sample
 * gemmBatch splits the samples across threads. im2col / col2im run in JS (memory-bound).
 */
import { Prim } from '../../../ir/prims';
import type { Kernel } from '../../../compile/plan';
import type { ConvParams } from '../../../ir/prims';
import { gemm, gemmBatch } from './gemm';
import type { F32Step } from './matmul';
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

export function convStep(rt: WasmRuntime, k: Kernel): F32Step | undefined {
  if (k.prim !== Prim.Conv2d && k.prim !== Prim.Conv2dBackwardInput && k.prim !== Prim.Conv2dBackwardWeight) return undefined;
  if (k.params.groups !== 1) return undefined;
  const xShape = k.prim === Prim.Conv2dBackwardInput ? k.params.inputShape : k.inputs[0].shape;
  const wShape = k.prim === Prim.Conv2dBackwardWeight ? k.params.weightShape : k.inputs[1].shape;
  const yShape = k.prim === Prim.Conv2d ? k.output.shape : k.inputs[k.prim === Prim.Conv2dBackwardInput ? 0 : 1].shape;
  const g = geometry(xShape, wShape, yShape, k.params);
  const K = g.c * g.kh * g.kw, P = g.oh * g.ow, O = g.o, N = g.n;
  const colPtr = rt.scratch(N * K * P * 4);
  const col = rt.f32(colPtr, N * K * P);
  switch (k.prim) {
    case Prim.Conv2d:
      return ([x, w], y) => {
        im2col(g, x, col, false);
        gemmBatch(rt, N, 0, K * P, O * P, O, P, K, w.byteOffset, K, 1, colPtr, P, 1, y.byteOffset);
      };
    case Prim.Conv2dBackwardInput:
      return ([dy, w], dx) => {
        gemmBatch(rt, N, 0, O * P, K * P, K, P, O, w.byteOffset, 1, K, dy.byteOffset, P, 1, colPtr);
        im2col(g, dx, col, true);
      };
    case Prim.Conv2dBackwardWeight:
      return ([x, dy], dw) => {
        im2col(g, x, col, false);
        for (let n = 0; n < N; n++) gemm(rt, O, K, P, dy.byteOffset + n * O * P * 4, P, 1, colPtr + n * K * P * 4, 1, P, dw.byteOffset, K, n > 0);
      };
  }
}
