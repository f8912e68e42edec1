/**
 * @file Matrix products: `gemm` (one 2-D product, the building block conv also uses) and the
 * batched, batch-broadcasting `matmul` primitive.
 *
 * gemm computes C[m,n] (+)= op(A)[m,k] · op(B)[k,n], op = identity or transpose, in the
 * GotoBLAS shape, scaled down to scalar JS:
 *  - k is cut into blocks of KC; per block, op(A) is packed into row panels of MR = 4 rows
 *    (k-major: panel[p·4 + r] = A[i0+r, p]) and op(B) into column panels of NR = 4 columns
 *    (panel[p·4 + q] = B[p, j0+q]), both in Float64Array scratch, zero-padded at the edges.
 *    Packing absorbs transA/transB, so the inner loop never sees a stride.
 *  - the micro-kernel keeps a 4×4 tile of C in 16 double locals: per p it loads 4 + 4 values and
 *    does 16 multiply-adds (vs 2 loads + 1 store per multiply-add for a plain i-k-j loop).
 * Accumulation is in double within a k block; f32 outputs are rounded once per k block.
 * Tiny products skip packing (the copy would cost as much as the arithmetic).
 */
import { type FloatArray, type Shape, broadcastShapes, sizeOf, stridesOf } from './shape';

const MR = 4;
const NR = 4;
/** k block: a 4×KC A panel (8 KiB) stays in L1 while B panels stream through it. */
const KC = 256;
/** Below this many multiply-adds the unpacked loop is faster. */
const SMALL = 4096;

let packedA = new Float64Array(MR * KC);
let packedB = new Float64Array(NR * KC);
const edgeTile = new Float64Array(MR * NR);

/**
 * C[cOff + i·n + j] (+)= Σ_p opA(i,p)·opB(p,j), for i < m, j < n (C row-major, contiguous).
 * opA(i,p) = transA ? a[aOff + p·m + i] : a[aOff + i·k + p]   (A stored [k,m] or [m,k]);
 * opB(p,j) = transB ? b[bOff + j·k + p] : b[bOff + p·n + j]   (B stored [n,k] or [k,n]).
 * accumulate = false overwrites C; true adds to it. C must not alias A or B.
 */
export function gemm(
  m: number, n: number, k: number,
  a: FloatArray, aOff: number, transA: boolean,
  b: FloatArray, bOff: number, transB: boolean,
  c: FloatArray, cOff: number, accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOff, cOff + m * n);
    return;
  }
  if (m * n * k <= SMALL) {
    gemmSmall(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, accumulate);
    return;
  }
  const mp = Math.ceil(m / MR) * MR;
  const np = Math.ceil(n / NR) * NR;
  const kcMax = Math.min(KC, k);
  if (packedA.length < mp * kcMax) packedA = new Float64Array(mp * kcMax);
  if (packedB.length < np * kcMax) packedB = new Float64Array(np * kcMax);
  const pa = packedA;
  const pb = packedB;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    packA(m, k, kc, p0, a, aOff, transA, pa);
    packB(n, k, kc, p0, b, bOff, transB, pb);
    const add = accumulate || p0 > 0;
    for (let i0 = 0; i0 < m; i0 += MR) {
      const ia0 = i0 * kc;
      for (let j0 = 0; j0 < n; j0 += NR) {
        const ib0 = j0 * kc;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = 0, ia = ia0, ib = ib0; p < kc; p++, ia += MR, ib += NR) {
          const a0 = pa[ia], a1 = pa[ia + 1], a2 = pa[ia + 2], a3 = pa[ia + 3];
          const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        if (i0 + MR <= m && j0 + NR <= n) {
          let o = cOff + i0 * n + j0;
          if (add) {
            c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += n;
            c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += n;
            c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += n;
            c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
          } else {
            c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
            c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
            c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
            c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
          }
        } else {
          const t = edgeTile;
          t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
          t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23; t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
          const rows = Math.min(MR, m - i0);
          const cols = Math.min(NR, n - j0);
          for (let r = 0; r < rows; r++) {
            const o = cOff + (i0 + r) * n + j0;
            for (let q = 0; q < cols; q++) {
              if (add) c[o + q] += t[r * NR + q];
              else c[o + q] = t[r * NR + q];
            }
          }
        }
      }
    }
  }
}

/** Pack opA[:, p0:p0+kc] into 4-row panels: pa[i0·kc + p·4 + r] = opA(i0+r, p0+p), 0 past m. */
function packA(m: number, k: number, kc: number, p0: number, a: FloatArray, aOff: number, transA: boolean, pa: Float64Array): void {
  for (let i0 = 0; i0 < m; i0 += MR) {
    const base = i0 * kc;
    for (let r = 0; r < MR; r++) {
      const i = i0 + r;
      if (i >= m) {
        for (let p = 0; p < kc; p++) pa[base + p * MR + r] = 0;
      } else if (transA) {
        for (let p = 0, s = aOff + p0 * m + i; p < kc; p++, s += m) pa[base + p * MR + r] = a[s];
      } else {
        for (let p = 0, s = aOff + i * k + p0; p < kc; p++, s++) pa[base + p * MR + r] = a[s];
      }
    }
  }
}

/** Pack opB[p0:p0+kc, :] into 4-column panels: pb[j0·kc + p·4 + q] = opB(p0+p, j0+q), 0 past n. */
function packB(n: number, k: number, kc: number, p0: number, b: FloatArray, bOff: number, transB: boolean, pb: Float64Array): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const base = j0 * kc;
    for (let q = 0; q < NR; q++) {
      const j = j0 + q;
      if (j >= n) {
        for (let p = 0; p < kc; p++) pb[base + p * NR + q] = 0;
      } else if (transB) {
        for (let p = 0, s = bOff + j * k + p0; p < kc; p++, s++) pb[base + p * NR + q] = b[s];
      } else {
        for (let p = 0, s = bOff + p0 * n + j; p < kc; p++, s += n) pb[base + p * NR + q] = b[s];
      }
    }
  }
}

/** Unpacked dot-product loop for tiny products (same contract as gemm). */
function gemmSmall(
  m: number, n: number, k: number,
  a: FloatArray, aOff: number, transA: boolean,
  b: FloatArray, bOff: number, transB: boolean,
  c: FloatArray, cOff: number, accumulate: boolean,
): void {
  const sai = transA ? 1 : k, sap = transA ? m : 1;
  const sbp = transB ? 1 : n, sbj = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0, ia = aOff + i * sai, ib = bOff + j * sbj; p < k; p++, ia += sap, ib += sbp) acc += a[ia] * b[ib];
      const o = cOff + i * n + j;
      c[o] = accumulate ? c[o] + acc : acc;
    }
  }
}

/**
 * Output shape of matmul: broadcast(batch(a), batch(b)) ++ [m, n], where a is [..., m, k]
 * ([..., k, m] if transA) and b is [..., k, n] ([..., n, k] if transB). Both ranks ≥ 2.
 */
export function matmulShape(aShape: Shape, bShape: Shape, transA: boolean, transB: boolean): number[] {
  const ra = aShape.length, rb = bShape.length;
  if (ra < 2 || rb < 2) throw new Error('matmul: operands must have rank ≥ 2');
  const m = transA ? aShape[ra - 1] : aShape[ra - 2];
  const ka = transA ? aShape[ra - 2] : aShape[ra - 1];
  const kb = transB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transB ? bShape[rb - 2] : bShape[rb - 1];
  if (ka !== kb) throw new Error(`matmul: inner dims differ (${ka} vs ${kb})`);
  return [...broadcastShapes(aShape.slice(0, -2), bShape.slice(0, -2)), m, n];
}

/**
 * out = op(a) · op(b) per batch element, batch dims broadcast (NumPy matmul rules, ranks ≥ 2);
 * transA/transB transpose the last two dims. `out` has matmulShape(...) and must not alias a or b.
 */
export function matmul(
  a: FloatArray, aShape: Shape, transA: boolean,
  b: FloatArray, bShape: Shape, transB: boolean,
  out: FloatArray,
): void {
  const outShape = matmulShape(aShape, bShape, transA, transB);
  const rank = outShape.length;
  const m = outShape[rank - 2], n = outShape[rank - 1];
  const k = transA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const batchShape = outShape.slice(0, -2);
  const batch = sizeOf(batchShape);
  const aBatch = sizeOf(aShape.slice(0, -2));
  const bBatch = sizeOf(bShape.slice(0, -2));
  if (batch === 0) return;
  // Shared right operand, plain left: the batch folds into the rows (one big gemm, B packed once).
  if (bBatch === 1 && !transA && aBatch === batch) {
    gemm(batch * m, n, k, a, 0, false, b, 0, transB, out, 0, false);
    return;
  }
  // Batch strides in matrices (0 on broadcast axes), walked with an odometer over batchShape.
  const aStr = batchStrides(aShape.slice(0, -2), batchShape);
  const bStr = batchStrides(bShape.slice(0, -2), batchShape);
  const aSize = m * k, bSize = k * n, oSize = m * n;
  const index = new Array<number>(batchShape.length).fill(0);
  let ai = 0, bi = 0;
  for (let t = 0; t < batch; t++) {
    gemm(m, n, k, a, ai * aSize, transA, b, bi * bSize, transB, out, t * oSize, false);
    for (let d = batchShape.length - 1; d >= 0; d--) {
      index[d]++;
      ai += aStr[d];
      bi += bStr[d];
      if (index[d] < batchShape[d]) break;
      ai -= aStr[d] * batchShape[d];
      bi -= bStr[d] * batchShape[d];
      index[d] = 0;
    }
  }
}

/** Strides (in matrices) of batch dims `own` read as broadcast to `full`: 0 where stretched or missing. */
function batchStrides(own: Shape, full: Shape): number[] {
  const s = stridesOf(own);
  const out = new Array<number>(full.length).fill(0);
  const lead = full.length - own.length;
  for (let i = 0; i < own.length; i++) out[lead + i] = own[i] === 1 ? 0 : s[i];
  return out;
}
