/**
 * @file The matmul primitive on the WebAssembly GEMM (f32 buffers living in the runtime's memory):
 * shapes are analysed once at prepare, so a run is one or a few calls with integer arguments.
 * Same contract as kernels/matmul.ts: batch dims broadcast, transA/transB on the last two dims.
 */
import { Prim } from '../../../ir/prims';
import type { PrimKernel } from '../../../compile/plan';
import { broadcastShapes, sizeOf, stridesOf } from '../kernels/shape';
import { gemm, gemmBatch } from './gemm';
import type { WasmRuntime } from './runtime';

export type F32Step = (inputs: readonly Float32Array[], out: Float32Array) => void;

export function matmulStep(rt: WasmRuntime, kernel: PrimKernel<Prim.MatMul>): F32Step {
  const { transA, transB } = kernel.params;
  const aShape = kernel.inputs[0].shape, bShape = kernel.inputs[1].shape, outShape = kernel.output.shape;
  const r = outShape.length;
  const m = outShape[r - 2], n = outShape[r - 1];
  const k = transA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const sai = transA ? 1 : k, sap = transA ? m : 1;
  const sbp = transB ? 1 : n, sbj = transB ? k : 1;
  const batchShape = outShape.slice(0, -2);
  const batch = sizeOf(batchShape);
  const aBatch = sizeOf(aShape.slice(0, -2)), bBatch = sizeOf(bShape.slice(0, -2));
  if (bBatch === 1 && !transA && aBatch === batch) {
    // shared right operand: the batch folds into the rows
    return ([a, b], out) => gemm(rt, batch * m, n, k, a.byteOffset, sai, sap, b.byteOffset, sbp, sbj, out.byteOffset, n, false);
  }
  const uniform = (x: number): boolean => x === 1 || x === batch;
  // a batch operand whose size is the output's has no stretched axis: consecutive matrices
  if (uniform(aBatch) && uniform(bBatch)) {
    const sa = aBatch === 1 ? 0 : m * k, sb = bBatch === 1 ? 0 : k * n;
    return ([a, b], out) => gemmBatch(rt, batch, sa, sb, m * n, m, n, k, a.byteOffset, sai, sap, b.byteOffset, sbp, sbj, out.byteOffset);
  }
  // general broadcast: element offsets of every batch matrix, computed once
  const offsets = batchOffsets(aShape.slice(0, -2), bShape.slice(0, -2), batchShape, m * k, k * n);
  return ([a, b], out) => {
    for (let t = 0; t < batch; t++) {
      gemm(rt, m, n, k, a.byteOffset + offsets[2 * t] * 4, sai, sap, b.byteOffset + offsets[2 * t + 1] * 4, sbp, sbj, out.byteOffset + t * m * n * 4, n, false);
    }
  };
}

function batchOffsets(aBatch: readonly number[], bBatch: readonly number[], full: readonly number[], aSize: number, bSize: number): Int32Array {
  const shape = broadcastShapes(aBatch, bBatch);
  const strides = (own: readonly number[]): number[] => {
    const s = stridesOf(own);
    const lead = shape.length - own.length;
    return shape.map((_, d) => (d < lead || own[d - lead] === 1 ? 0 : s[d - lead]));
  };
  const as = strides(aBatch), bs = strides(bBatch);
  const total = sizeOf(full);
  const out = new Int32Array(2 * total);
  const index = new Array<number>(shape.length).fill(0);
  for (let t = 0; t < total; t++) {
    let ai = 0, bi = 0;
    for (let d = 0; d < shape.length; d++) {
      ai += index[d] * as[d];
      bi += index[d] * bs[d];
    }
    out[2 * t] = ai * aSize;
    out[2 * t + 1] = bi * bSize;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}
