/**
 * @file Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011): a counter-based generator. Output block = bijection(counter; key), so any element of
 * any stream is computable independently, on the CPU and (later) in a WGSL kernel, bit for bit.
 *
 * One round on counter (c0, c1, c2, c3) with key (k0, k1):
 *   (hi0, lo0) = M0 · c0,  (hi1, lo1) = M1 · c2          (32×32 → 64-bit products)
 *   c ← (hi1 ⊕ c1 ⊕ k0,  lo1,  hi0 ⊕ c3 ⊕ k1,  lo0)
 * and between rounds the key is bumped: k0 += W0, k1 += W1 (mod 2³²). Ten rounds.
 * M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9 (golden ratio), W1 = 0xBB67AE85 (√3 − 1).
 * Known answer (Random123 kat_vectors): counter 0, key 0 → 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
 *
 * ## The engine's mapping (what a GPU kernel must reproduce)
 *   value(seed, stream, counter, index):
 *     key     = (seed mod 2³², stream mod 2³²)
 *     block   = Philox4x32-10(counter words (⌊index/4⌋ mod 2³², counter mod 2³², 0, 0); key)
 *     word    = block[index mod 4]
 *   uniform  u(word) = (word >>> 8) · 2⁻²⁴ ∈ [0, 1)  (top 24 bits; exact in f32)
 *   normal   element index uses the same block; pair q = ⌊(index mod 4)/2⌋ takes words
 *            (w₁, w₂) = (block[2q], block[2q+1]) and, Box–Muller,
 *              r = √(−2 ln(1 − u(w₁))),  θ = 2π · u(w₂)
 *              value = r·cos θ for even index, r·sin θ for odd index.
 *            (1 − u ∈ (0, 1], so the log is finite; |value| ≤ √(−2 ln 2⁻²⁴) ≈ 5.77.)
 *   Uniforms are bit-exact across backends; normals agree to the platform's log/cos/sin
 *   rounding (computed here in f64, then rounded to the output type).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the unsigned 64-bit product a·b (a, b uint32), from 16-bit limbs (exact in doubles). */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16;
  const bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh; // each < 2³²
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff); // < 3·2¹⁶
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * Philox4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1), written to out[0..3] as uint32.
 * All inputs are taken mod 2³².
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  c0 >>>= 0; c1 >>>= 0; c2 >>>= 0; c3 >>>= 0; k0 >>>= 0; k1 >>>= 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

const TWO_PI = 2 * Math.PI;
const INV_2_24 = 1 / 16777216;

/** uniform [0, 1) from the top 24 bits of a 32-bit word. */
export function uniformFromWord(word: number): number {
  return (word >>> 8) * INV_2_24;
}

/** Box–Muller on two words: r·cos θ (sine = false) or r·sin θ (sine = true); see file doc. */
export function normalFromWords(w1: number, w2: number, sine: boolean): number {
  const r = Math.sqrt(-2 * Math.log(1 - uniformFromWord(w1)));
  const theta = TWO_PI * uniformFromWord(w2);
  return sine ? r * Math.sin(theta) : r * Math.cos(theta);
}

const block = new Uint32Array(4);

/** The 32-bit word for (seed, stream, counter, index): see "The engine's mapping". */
export function value(seed: number, stream: number, counter: number, index: number): number {
  philox4x32(Math.floor(index / 4), counter, 0, 0, seed, stream, block);
  return block[index % 4];
}

/** Element `index` of the uniform [0, 1) sequence of (seed, stream, counter). */
export function uniformAt(seed: number, stream: number, counter: number, index: number): number {
  return uniformFromWord(value(seed, stream, counter, index));
}

/** Element `index` of the standard normal sequence of (seed, stream, counter). */
export function normalAt(seed: number, stream: number, counter: number, index: number): number {
  philox4x32(Math.floor(index / 4), counter, 0, 0, seed, stream, block);
  const q = (index % 4) & 2; // word pair 0–1 or 2–3
  return normalFromWords(block[q], block[q + 1], (index & 1) === 1);
}

/**
 * Fills out[i] = shift + scale·d(i), d(i) the uniform (or normal) element i of (seed, stream,
 * counter), one Philox block per 4 elements; the affine map is applied in f64 before the single
 * rounding to the output type. With scale 1, shift 0: the numbers uniformAt / normalAt give.
 */
export function fillRandom(dist: 'uniform' | 'normal', seed: number, stream: number, counter: number, out: Float32Array | Float64Array, scale = 1, shift = 0): void {
  const n = out.length;
  const normal = dist === 'normal';
  for (let i0 = 0; i0 < n; i0 += 4) {
    philox4x32(i0 / 4, counter, 0, 0, seed, stream, block);
    const end = Math.min(n, i0 + 4);
    for (let i = i0, lane = 0; i < end; i++, lane++) {
      const d = normal ? normalFromWords(block[lane & 2], block[(lane & 2) + 1], (lane & 1) === 1) : uniformFromWord(block[lane]);
      out[i] = shift + scale * d;
    }
  }
}
