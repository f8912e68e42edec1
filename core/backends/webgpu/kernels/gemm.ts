/**
 * @file The tiled GEMM routine and the four products built on it: batched matmul (transA/transB,
 * broadcast batch dims) and convolution as implicit GEMM with its two gradients.
 *
 * C[b, i, j] = Σ_p A(b, i, p) · B(b, p, j) for i < M, j < N, p < K, b < batch. A workgroup owns
 * a TM×TN tile of C, each thread an RM×RN register tile; per step of TK = 16 along p the
 * workgroup stages A[TM×16] and B[16×TN] in workgroup memory, then each thread does RM·RN fused
 * multiply-adds per p from RM + RN reads. Out-of-range tile entries load 0. Tiles by shape
 * (`pickTile`): 64×64 (256 threads of 4×4; 64 threads of 8×8 where a workgroup may not have 256)
 * for M, N ≥ 64; 16×64 (128 threads of 2×4) for M ≤ 16 < N; else 32×32 (64 threads of 4×4).
 * Matmul loads vec4s from global memory along an operand's contiguous axis (K for A and for Bᵀ,
 * M for Aᵀ, N for B) when that length is a multiple of 4, and stores vec4s when N is; otherwise
 * scalars. A product supplies `loadA`, `loadB` (f32 reads, only called in range; `loadA4`/`loadB4`
 * with vec4 loads) and `store`/`store4`; indices are i32. Metadata words 0–3 are
 * [batch, M, N, K]; a product's own words follow from word 4.
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

/** A tile shape: the workgroup owns TM×TN of C, each thread RM×RN; TK is the depth per stage. */
export interface TileShape {
  name: string;
  tm: number; tn: number; rm: number; rn: number;
}

const TK = 16;
/** M ≥ 64 and N ≥ 64: 256 threads of 4×4 (or, where a workgroup may not have 256, 64 of 8×8) */
const LARGE: TileShape = { name: 'large', tm: 64, tn: 64, rm: 4, rn: 4 };
const LARGE_FEW: TileShape = { name: 'large-8x8', tm: 64, tn: 64, rm: 8, rn: 8 };
/** M ≤ 16 (small batches through a Dense layer): a wide flat tile, 128 threads of 2×4 */
const SMALL_M: TileShape = { name: 'small-m', tm: 16, tn: 64, rm: 2, rn: 4 };
const MEDIUM: TileShape = { name: 'medium', tm: 32, tn: 32, rm: 4, rn: 4 };

/** The tile for an M×N product; `maxInvocations`: the device's threads per workgroup. */
export function pickTile(m: number, n: number, maxInvocations: number = 256): TileShape {
  if (m >= 64 && n >= 64) return maxInvocations >= 256 ? LARGE : LARGE_FEW;
  if (m <= 16 && n > 32) return SMALL_M;
  return MEDIUM;
}

/** Which operand axis a vec4 global load runs along ('p' is the inner dimension). */
export type VecAxis = 'none' | 'i' | 'p' | 'j';

interface Product {
  name: string;
  io: StepIo;
  batch: number; m: number; n: number; k: number;
  /** words from meta index 4 */
  extra: number[];
  /** WGSL functions loadA(b, i, p), loadB(b, p, j) -> f32 and store(b, i, j, v), over `names`;
   * with vec4 loads also loadA4 / loadB4 (4 consecutive values along the vec axis, from the
   * given first index) and with vec4 stores store4(b, i, j, v: vec4<f32>) */
  functions: (names: string[]) => string;
  /** storage declarations (default: declareIo's scalar arrays) */
  declare?: { decls: string; names: string[]; buffers: number[] };
  vecA?: VecAxis;
  vecB?: VecAxis;
  store4?: boolean;
  tile?: TileShape;
}

const unroll = (n: number, f: (c: number) => string): string => Array.from({ length: n }, (_, c) => f(c)).join(' ');

/** WGSL staging one operand tile into workgroup memory `S` ([p][q], q < Q along i or j). */
function stage(S: string, Q: number, threads: number, vec: VecAxis, q0: string, qMax: string, load: string, qAxisFirst: boolean): string {
  const call = (q: string, p: string): string => (qAxisFirst ? `${load}(b, ${q}, ${p})` : `${load}(b, ${p}, ${q})`);
  if (vec === 'p') {
    return `for (var e = lid; e < ${(Q * TK) / 4}; e += ${threads}) {
      let q = e / ${TK / 4}; let pv = (e % ${TK / 4}) * 4;
      var v = vec4<f32>(0.0);
      if (${q0} + q < ${qMax} && p0 + pv < K) { v = ${call(`${q0} + q`, 'p0 + pv').replace(load, `${load}4`)}; }
      ${unroll(4, (c) => `${S}[(pv + ${c}) * ${Q} + q] = v[${c}];`)}
    }`;
  }
  if (vec === 'i' || vec === 'j') {
    return `for (var e = lid; e < ${(Q * TK) / 4}; e += ${threads}) {
      let pp = e / ${Q / 4}; let qv = (e % ${Q / 4}) * 4;
      var v = vec4<f32>(0.0);
      if (${q0} + qv < ${qMax} && p0 + pp < K) { v = ${call(`${q0} + qv`, 'p0 + pp').replace(load, `${load}4`)}; }
      ${unroll(4, (c) => `${S}[pp * ${Q} + qv + ${c}] = v[${c}];`)}
    }`;
  }
  return `for (var e = lid; e < ${Q * TK}; e += ${threads}) {
      let pp = e / ${Q}; let q = e % ${Q};
      var v = 0.0;
      if (${q0} + q < ${qMax} && p0 + pp < K) { v = ${call(`${q0} + q`, 'p0 + pp')}; }
      ${S}[e] = v;
    }`;
}

function tiled(p: Product, maxInvocations?: number): GpuProgram {
  const { decls, names, buffers } = p.declare ?? declareIo(p.io);
  const t = p.tile ?? pickTile(p.m, p.n, maxInvocations);
  const cols = t.tn / t.rn;
  const threads = (t.tm / t.rm) * cols;
  const meta = [p.batch, p.m, p.n, p.k, ...p.extra];
  const tiles = Math.ceil(p.m / t.tm) * Math.ceil(p.n / t.tn);
  const store = p.store4 === true && t.rn % 4 === 0
    ? `for (var r = 0; r < ${t.rm}; r++) {
    let i = i0 + tr * ${t.rm} + r;
    for (var s = 0; s < ${t.rn}; s += 4) {
      let j = j0 + tc * ${t.rn} + s;
      if (i < M && j < N) { store4(b, i, j, vec4<f32>(acc[r * ${t.rn} + s], acc[r * ${t.rn} + s + 1], acc[r * ${t.rn} + s + 2], acc[r * ${t.rn} + s + 3])); }
    }
  }`
    : `for (var r = 0; r < ${t.rm}; r++) {
    for (var s = 0; s < ${t.rn}; s++) {
      let i = i0 + tr * ${t.rm} + r;
      let j = j0 + tc * ${t.rn} + s;
      if (i < M && j < N) { store(b, i, j, acc[r * ${t.rn} + s]); }
    }
  }`;
  const body = `
var<workgroup> As: array<f32, ${t.tm * TK}>;
var<workgroup> Bs: array<f32, ${t.tn * TK}>;
@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidu: u32) {
  let wg = i32(wid.x + wid.y * nwg.x);
  let lid = i32(lidu);
  let M = m(1); let N = m(2); let K = m(3);
  let tilesN = (N + ${t.tn - 1}) / ${t.tn};
  let perBatch = ((M + ${t.tm - 1}) / ${t.tm}) * tilesN;
  let b = wg / perBatch;
  if (b >= m(0)) { return; }
  let t = wg % perBatch;
  let i0 = (t / tilesN) * ${t.tm};
  let j0 = (t % tilesN) * ${t.tn};
  let tr = lid / ${cols};
  let tc = lid % ${cols};
  var acc: array<f32, ${t.rm * t.rn}>;
  var a: array<f32, ${t.rm}>;
  var c: array<f32, ${t.rn}>;
  for (var p0 = 0; p0 < K; p0 += ${TK}) {
    // As is [p][i], Bs is [p][j]
    ${stage('As', t.tm, threads, p.vecA ?? 'none', 'i0', 'M', 'loadA', true)}
    ${stage('Bs', t.tn, threads, p.vecB ?? 'none', 'j0', 'N', 'loadB', false)}
    workgroupBarrier();
    for (var pp = 0; pp < ${TK}; pp++) {
      for (var r = 0; r < ${t.rm}; r++) { a[r] = As[pp * ${t.tm} + tr * ${t.rm} + r]; }
      for (var s = 0; s < ${t.rn}; s++) { c[s] = Bs[pp * ${t.tn} + tc * ${t.rn} + s]; }
      for (var r = 0; r < ${t.rm}; r++) {
        for (var s = 0; s < ${t.rn}; s++) { acc[r * ${t.rn} + s] = fma(a[r], c[s], acc[r * ${t.rn} + s]); }
      }
    }
    workgroupBarrier();
  }
  ${store}
}`;
  return {
    name: `${p.name} ${t.name}${p.vecA !== undefined && p.vecA !== 'none' ? ` vecA:${p.vecA}` : ''}${p.vecB !== undefined && p.vecB !== 'none' ? ` vecB:${p.vecB}` : ''}`,
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
export function matmulProgram(io: StepIo, aShape: readonly number[], transA: boolean, bShape: readonly number[], transB: boolean, outShape: readonly number[], maxInvocations?: number): GpuProgram {
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
  // vec4 global loads along an operand's contiguous axis when its length is a multiple of 4
  // (then the batch offsets are too); an operand bound twice (a·a) keeps one declaration
  let vecA: VecAxis = transA ? (m % 4 === 0 ? 'i' : 'none') : (k % 4 === 0 ? 'p' : 'none');
  let vecB: VecAxis = transB ? (k % 4 === 0 ? 'p' : 'none') : (n % 4 === 0 ? 'j' : 'none');
  const same = io.inputs[0].buffer === io.inputs[1].buffer;
  if (same && (vecA === 'none' || vecB === 'none')) vecA = vecB = 'none';
  const store4 = n % 4 === 0;
  const type = (vec: boolean): string => (vec ? 'array<vec4<f32>>' : 'array<f32>');
  const buffers = same ? [io.output.buffer, io.inputs[0].buffer] : [io.output.buffer, io.inputs[0].buffer, io.inputs[1].buffer];
  const decls = [
    `@group(0) @binding(1) var<storage, read_write> out: ${type(store4)};`,
    `@group(0) @binding(2) var<storage, read> x0: ${type(vecA !== 'none')};`,
    ...(same ? [] : [`@group(0) @binding(3) var<storage, read> x1: ${type(vecB !== 'none')};`]),
  ].join('\n');
  const a = 'x0', b = same ? 'x0' : 'x1';
  return tiled({
    name: 'matmul', io, batch: sizeOfShape(batchDims), m, n, k, extra, vecA, vecB, store4,
    declare: { decls, names: [a, b], buffers },
    functions: () => `${offsets}
${vecA === 'none'
    ? `fn loadA(bt: i32, i: i32, p: i32) -> f32 { return ${a}[batchOffsets(bt).x + ${aIdx}]; }`
    : `fn loadA4(bt: i32, i: i32, p: i32) -> vec4<f32> { return ${a}[(batchOffsets(bt).x + ${aIdx}) / 4]; }`}
${vecB === 'none'
    ? `fn loadB(bt: i32, p: i32, j: i32) -> f32 { return ${b}[batchOffsets(bt).y + ${bIdx}]; }`
    : `fn loadB4(bt: i32, p: i32, j: i32) -> vec4<f32> { return ${b}[(batchOffsets(bt).y + ${bIdx}) / 4]; }`}
${store4
    ? 'fn store4(bt: i32, i: i32, j: i32, v: vec4<f32>) { out[((bt * m(1) + i) * m(2) + j) / 4] = v; }'
    : 'fn store(bt: i32, i: i32, j: i32, v: f32) { out[(bt * m(1) + i) * m(2) + j] = v; }'}`,
  }, maxInvocations);
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

export function conv2dProgram(io: StepIo, xShape: readonly number[], wShape: readonly number[], outShape: readonly number[], p: ConvParams, maxInvocations?: number): GpuProgram {
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
  }, maxInvocations);
}

export function conv2dBackwardInputProgram(io: StepIo, dyShape: readonly number[], wShape: readonly number[], inputShape: readonly number[], p: ConvParams, maxInvocations?: number): GpuProgram {
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
  }, maxInvocations);
}

export function conv2dBackwardWeightProgram(io: StepIo, xShape: readonly number[], dyShape: readonly number[], weightShape: readonly number[], p: ConvParams, maxInvocations?: number): GpuProgram {
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
  }, maxInvocations);
}
