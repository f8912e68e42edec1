/**
 * @file The tiled GEMM routine and the four products built on it: batched matmul (transA/transB,
 * broadcast batch dims) and convolution as implicit GEMM with its two gradients.
 *
 * C[b, i, j] = Σ_p A(b, i, p) · B(b, p, j) for i < M, j < N, p < K, b < batch. A workgroup of
 * 8×8 threads owns a 32×32 tile of C; each thread keeps a 4×4 register tile (16 accumulators).
 * Per step of TK = 16 along p, the workgroup stages A[32×16] and B[16×32] in workgroup memory
 * (each thread loads 8 + 8 values), then every thread does 16·16 fused multiply-adds from 4 + 4
 * reads per p: 2 reads per FMA become 0.5. Out-of-range tile entries load 0.
 * A product supplies `loadA`, `loadB` (f32 reads, only called in range) and `store`; indices are
 * i32. Metadata words 0–3 are [batch, M, N, K]; a product's own words follow from word 4.
 *
 * Convolution (geometry in ../../cpu/kernels/conv.ts; g = group, Cg/Og channels per group):
 *   forward            batch N·G,  M = Og, N = OH·OW, K = Cg·KH·KW; B is im2col(x) read in place
 *   backward input     batch N·G,  M = Cg, N = H·W,   K = Og·KH·KW; dx[c, y, x] gathers
 *                      w[o, c, a, b]·dy[o, i, j] where i·sh − pt + a·dh = y (exact division), so
 *                      no scatter and no atomics: deterministic
 *   backward weight    batch G,    M = Og, N = Cg·KH·KW, K = N·OH·OW; the batch sum is the K loop
 */
import type { ConvParams } from '../../../ir/prims';
import { type GpuProgram, type StepIo, declareIo, declareMeta, sizeOfShape, strides } from '../program';

const TILE = 32;
const TK = 16;

interface Product {
  name: string;
  io: StepIo;
  batch: number; m: number; n: number; k: number;
  /** words from meta index 4 */
  extra: number[];
  /** WGSL functions loadA(b, i, p), loadB(b, p, j) -> f32 and store(b, i, j, v), over `names` */
  functions: (names: string[]) => string;
}

function tiled(p: Product): GpuProgram {
  const { decls, names, buffers } = declareIo(p.io);
  const meta = [p.batch, p.m, p.n, p.k, ...p.extra];
  const tiles = Math.ceil(p.m / TILE) * Math.ceil(p.n / TILE);
  const body = `
var<workgroup> As: array<f32, ${TILE * TK}>;
var<workgroup> Bs: array<f32, ${TILE * TK}>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidu: u32) {
  let wg = i32(wid.x + wid.y * nwg.x);
  let lid = i32(lidu);
  let M = m(1); let N = m(2); let K = m(3);
  let tilesN = (N + ${TILE - 1}) / ${TILE};
  let perBatch = ((M + ${TILE - 1}) / ${TILE}) * tilesN;
  let b = wg / perBatch;
  if (b >= m(0)) { return; }
  let t = wg % perBatch;
  let i0 = (t / tilesN) * ${TILE};
  let j0 = (t % tilesN) * ${TILE};
  let tr = lid / 8;
  let tc = lid % 8;
  var acc: array<f32, 16>;
  for (var p0 = 0; p0 < K; p0 += ${TK}) {
    for (var e = lid; e < ${TILE * TK}; e += 64) {
      // As is [p][i], Bs is [p][j]
      let pp = e / ${TILE};
      let q = e % ${TILE};
      var va = 0.0;
      if (i0 + q < M && p0 + pp < K) { va = loadA(b, i0 + q, p0 + pp); }
      As[e] = va;
      var vb = 0.0;
      if (j0 + q < N && p0 + pp < K) { vb = loadB(b, p0 + pp, j0 + q); }
      Bs[e] = vb;
    }
    workgroupBarrier();
    for (var pp = 0; pp < ${TK}; pp++) {
      let a = vec4<f32>(As[pp * ${TILE} + tr * 4], As[pp * ${TILE} + tr * 4 + 1], As[pp * ${TILE} + tr * 4 + 2], As[pp * ${TILE} + tr * 4 + 3]);
      let c = vec4<f32>(Bs[pp * ${TILE} + tc * 4], Bs[pp * ${TILE} + tc * 4 + 1], Bs[pp * ${TILE} + tc * 4 + 2], Bs[pp * ${TILE} + tc * 4 + 3]);
      for (var r = 0; r < 4; r++) {
        for (var s = 0; s < 4; s++) { acc[r * 4 + s] = fma(a[r], c[s], acc[r * 4 + s]); }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0; r < 4; r++) {
    for (var s = 0; s < 4; s++) {
      let i = i0 + tr * 4 + r;
      let j = j0 + tc * 4 + s;
      if (i < M && j < N) { store(b, i, j, acc[r * 4 + s]); }
    }
  }
}`;
  return {
    name: p.name,
    source: `${declareMeta(meta.length)}\n${decls}\n${p.functions(names)}\n${body}`,
    buffers,
    meta,
    workgroups: Math.max(1, p.batch * tiles),
  };
}

/**
 * Batched matmul: out[..., i, j] = Σ_p opA[..., i, p] · opB[..., p, j], batch dims broadcast.
 * Extra words: [rank, outBatchDims…, aBatchStrides…, bBatchStrides…] (0 on broadcast dims).
 */
export function matmulProgram(io: StepIo, aShape: readonly number[], transA: boolean, bShape: readonly number[], transB: boolean, outShape: readonly number[]): GpuProgram {
  const r = outShape.length - 2;
  const [m, n] = outShape.slice(-2);
  const k = transA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const batchDims = outShape.slice(0, r);
  const batchStrides = (s: readonly number[]): number[] => {
    const own = strides(s.slice(0, -2)).map((v) => v * s[s.length - 2] * s[s.length - 1]);
    const lead = r - (s.length - 2);
    return batchDims.map((_, d) => (d < lead || s[d - lead] === 1 ? 0 : own[d - lead]));
  };
  const extra = [r, ...batchDims, ...batchStrides(aShape), ...batchStrides(bShape)];
  // opA(i, p): A stored [m, k] (row i, col p) or, transposed, [k, m]
  const aIdx = transA ? 'p * m(1) + i' : 'i * m(3) + p';
  const bIdx = transB ? 'j * m(3) + p' : 'p * m(2) + j';
  const offsets = `fn batchOffsets(b: i32) -> vec2<i32> {
  var rest = b;
  var o = vec2<i32>(0, 0);
  for (var d = ${r - 1}; d >= 0; d--) {
    let dim = m(5 + d);
    let c = rest % dim;
    rest = rest / dim;
    o += c * vec2<i32>(m(${5 + r} + d), m(${5 + 2 * r} + d));
  }
  return o;
}`;
  return tiled({
    name: 'matmul', io, batch: sizeOfShape(batchDims), m, n, k, extra,
    functions: ([a, b]) => `${offsets}
fn loadA(bt: i32, i: i32, p: i32) -> f32 { return ${a}[batchOffsets(bt).x + ${aIdx}]; }
fn loadB(bt: i32, p: i32, j: i32) -> f32 { return ${b}[batchOffsets(bt).y + ${bIdx}]; }
fn store(bt: i32, i: i32, j: i32, v: f32) { out[(bt * m(1) + i) * m(2) + j] = v; }`,
  });
}

/** Conv geometry words (extra meta) and WGSL names for them. */
function convWords(xShape: readonly number[], wShape: readonly number[], outHW: readonly number[], p: ConvParams): number[] {
  const [n, c, h, w] = xShape;
  const [o, cg, kh, kw] = wShape;
  const g = p.groups;
  return [n, c, h, w, o, kh, kw, outHW[0], outHW[1], g, cg, o / g, p.stride[0], p.stride[1], p.padding[0], p.padding[2], p.dilation[0], p.dilation[1]];
}

const CONV_LETS = `fn geo(k: i32) -> i32 { return m(4 + k); }
// 0 N, 1 C, 2 H, 3 W, 4 O, 5 KH, 6 KW, 7 OH, 8 OW, 9 G, 10 Cg, 11 Og, 12 sh, 13 sw, 14 pt, 15 pl, 16 dh, 17 dw
fn im2col(xb: i32, c: i32, r: i32, pix: i32) -> vec2<i32> {
  // (x index, valid) of kernel tap r = a·KW + b of channel c at output pixel pix = i·OW + j; xb = plane base of channel 0
  let a = r / geo(6); let bb = r % geo(6);
  let i = pix / geo(8); let j = pix % geo(8);
  let y = i * geo(12) - geo(14) + a * geo(16);
  let x = j * geo(13) - geo(15) + bb * geo(17);
  let ok = y >= 0 && y < geo(2) && x >= 0 && x < geo(3);
  return vec2<i32>(((xb + c) * geo(2) + y) * geo(3) + x, select(0, 1, ok));
}`;

export function conv2dProgram(io: StepIo, xShape: readonly number[], wShape: readonly number[], outShape: readonly number[], p: ConvParams): GpuProgram {
  const words = convWords(xShape, wShape, outShape.slice(2), p);
  const [n, , , , , kh, kw, oh, ow, g, cg, og] = words;
  return tiled({
    name: 'conv2d', io, batch: n * g, m: og, n: oh * ow, k: cg * kh * kw, extra: words,
    functions: ([x, w]) => `${CONV_LETS}
fn loadA(b: i32, i: i32, p: i32) -> f32 { let g = b % geo(9); return ${w}[(g * geo(11) + i) * m(3) + p]; }
fn loadB(b: i32, p: i32, j: i32) -> f32 {
  let n = b / geo(9); let g = b % geo(9);
  let taps = geo(5) * geo(6);
  let at = im2col(n * geo(1) + g * geo(10), p / taps, p % taps, j);
  if (at.y == 0) { return 0.0; }
  return ${x}[at.x];
}
fn store(b: i32, i: i32, j: i32, v: f32) {
  let n = b / geo(9); let g = b % geo(9);
  out[(n * geo(4) + g * geo(11) + i) * m(2) + j] = v;
}`,
  });
}

export function conv2dBackwardInputProgram(io: StepIo, dyShape: readonly number[], wShape: readonly number[], inputShape: readonly number[], p: ConvParams): GpuProgram {
  const words = convWords(inputShape, wShape, dyShape.slice(2), p);
  const [n, , h, w, , kh, kw, , , g, cg, og] = words;
  return tiled({
    name: 'conv2dBackwardInput', io, batch: n * g, m: cg, n: h * w, k: og * kh * kw, extra: words,
    functions: ([dy, wt]) => `${CONV_LETS}
fn loadA(b: i32, c: i32, p: i32) -> f32 {
  // w[g·Og + o, c, a, b] with p = o·KH·KW + tap
  let g = b % geo(9); let taps = geo(5) * geo(6);
  return ${wt}[((g * geo(11) + p / taps) * geo(10) + c) * taps + p % taps];
}
fn loadB(b: i32, p: i32, pix: i32) -> f32 {
  let n = b / geo(9); let g = b % geo(9); let taps = geo(5) * geo(6);
  let o = p / taps; let r = p % taps;
  let a = r / geo(6); let bb = r % geo(6);
  let ty = pix / geo(3) + geo(14) - a * geo(16);
  let tx = pix % geo(3) + geo(15) - bb * geo(17);
  if (ty < 0 || tx < 0 || ty % geo(12) != 0 || tx % geo(13) != 0) { return 0.0; }
  let i = ty / geo(12); let j = tx / geo(13);
  if (i >= geo(7) || j >= geo(8)) { return 0.0; }
  return ${dy}[((n * geo(4) + g * geo(11) + o) * geo(7) + i) * geo(8) + j];
}
fn store(b: i32, c: i32, pix: i32, v: f32) {
  let n = b / geo(9); let g = b % geo(9);
  out[(n * geo(1) + g * geo(10) + c) * m(2) + pix] = v;
}`,
  });
}

export function conv2dBackwardWeightProgram(io: StepIo, xShape: readonly number[], dyShape: readonly number[], weightShape: readonly number[], p: ConvParams): GpuProgram {
  const words = convWords(xShape, weightShape, dyShape.slice(2), p);
  const [n, , , , , kh, kw, oh, ow, g, cg, og] = words;
  return tiled({
    name: 'conv2dBackwardWeight', io, batch: g, m: og, n: cg * kh * kw, k: n * oh * ow, extra: words,
    functions: ([x, dy]) => `${CONV_LETS}
fn loadA(g: i32, o: i32, p: i32) -> f32 {
  // dy[n, g·Og + o, pix] with p = n·OH·OW + pix
  let P = geo(7) * geo(8);
  return ${dy}[((p / P) * geo(4) + g * geo(11) + o) * P + p % P];
}
fn loadB(g: i32, p: i32, col: i32) -> f32 {
  let P = geo(7) * geo(8); let taps = geo(5) * geo(6);
  let at = im2col((p / P) * geo(1) + g * geo(10), col / taps, col % taps, p % P);
  if (at.y == 0) { return 0.0; }
  return ${x}[at.x];
}
fn store(g: i32, o: i32, col: i32, v: f32) { out[(g * geo(11) + o) * m(2) + col] = v; }`,
  });
}
