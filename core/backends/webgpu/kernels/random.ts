/**
 * @file `random`: Philox4x32-10 in WGSL, the mapping of core/random/philox.ts bit for bit.
 * Element i: block = Philox((⌊i/4⌋, counter, 0, 0); (seed, stream)), word = block[i mod 4];
 * uniform = (word >> 8)·2⁻²⁴ (exact in f32, so uniforms equal the CPU's bit for bit); normal =
 * Box–Muller on the block's word pair ⌊(i mod 4)/2⌋ (f32 log/cos/sin: within a few ulps).
 * WGSL has no 64-bit product, so mulhi is assembled from 16-bit limbs exactly as on the CPU.
 * Metadata: [n, seed bits, stream bits]; the counter is the i32 scalar input.
 */
import { type GpuProgram, SINCOS, type StepIo, declareIo, declareMeta, entry, groupsFor, loadF32 } from '../program';

const PHILOX = `fn mulhi(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu; let ah = a >> 16u; let bl = b & 0xffffu; let bh = b >> 16u;
  let ll = al * bl; let lh = al * bh; let hl = ah * bl; let hh = ah * bh;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}
fn philox(c: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var x = c;
  var k = key;
  for (var round = 0; round < 10; round++) {
    let hi0 = mulhi(0xd2511f53u, x.x); let lo0 = 0xd2511f53u * x.x;
    let hi1 = mulhi(0xcd9e8d57u, x.z); let lo1 = 0xcd9e8d57u * x.z;
    x = vec4<u32>(hi1 ^ x.y ^ k.x, lo1, hi0 ^ x.w ^ k.y, lo0);
    k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  }
  return x;
}
fn uniformOf(w: u32) -> f32 { return f32(w >> 8u) * (1.0 / 16777216.0); }`;

export function randomProgram(io: StepIo, dist: 'uniform' | 'normal', n: number, seed: number, stream: number): GpuProgram {
  const { decls, names, buffers } = declareIo(io);
  const meta = [n, seed | 0, stream | 0];
  const value = dist === 'uniform'
    ? 'uniformOf(b[lane])'
    : `sampleNormal(b[lane & 2], b[(lane & 2) + 1], (lane & 1) == 1)`;
  const normal = dist === 'normal'
    ? `fn sampleNormal(w1: u32, w2: u32, sine: bool) -> f32 {
  let r = sqrt(-2.0 * log(1.0 - uniformOf(w1)));
  let theta = 6.283185307179586 * uniformOf(w2);
  let sc = sincos_(theta);
  return select(r * sc.y, r * sc.x, sine);
}`
    : '';
  const body = `  if (gid >= m(0)) { return; }
  let counter = u32(${loadF32(names[0], io.inputs[0].storage, '0').replace(/^f32\((.*)\)$/, '$1')});
  let b = philox(vec4<u32>(u32(gid / 4), counter, 0u, 0u), vec2<u32>(bitcast<u32>(m(1)), bitcast<u32>(m(2))));
  let lane = gid % 4;
  out[gid] = ${value};`;
  return { name: `random ${dist}`, source: `${declareMeta(meta.length)}\n${decls}\n${PHILOX}\n${dist === 'normal' ? SINCOS : ''}\n${normal}\n${entry(body)}`, buffers, meta, workgroups: groupsFor(n) };
}
