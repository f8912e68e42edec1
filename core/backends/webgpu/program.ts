/**
 * @file The GPU program contract: what every WGSL generator returns for one plan kernel, and the
 * helpers that declare its bindings and metadata. Kernel generators live in ./kernels; the
 * executable binds, caches (by source text) and dispatches programs.
 *
 * Conventions of every generated shader:
 *  - binding 0 is a uniform `meta` of i32 words (`m(k)` reads word k): shapes, strides and
 *    counts live there, so one compiled pipeline serves every shape of the same structure;
 *  - bindings 1… are storage buffers: `out` (read_write) first, then each distinct input buffer
 *    (read). An input that IS the output buffer (an in-place elementwise step) reads `out`;
 *    the same buffer used twice binds once;
 *  - float and bool live in `array<f32>`, i32 in `array<i32>`; arithmetic is in f32;
 *  - NaN and ±∞ cannot be WGSL constant expressions (shader creation fails), so kernels build them
 *    from a runtime word: `bitcast<f32>(0xff800000u + u32(m(0)) * 0u)` is −∞;
 *  - workgroups are 1-D in the program (`workgroups`), folded into x·y by the executable because
 *    one dispatch dimension is limited to 65 535; `wgIndex()` unfolds it.
 */
import type { BufferId, Storage } from '../../compile/plan';

/** One dispatch: the WGSL source, its operands and its metadata. */
export interface GpuProgram {
  /** short label for errors and profiles */
  name: string;
  source: string;
  /** buffers bound at 1…, in order: the output first, then distinct inputs */
  buffers: BufferId[];
  /** i32 metadata words (binding 0) */
  meta: number[];
  /** total workgroups (1-D) */
  workgroups: number;
}

/** The buffers and storage classes of one plan step, as the generators see them. */
export interface StepIo {
  inputs: { buffer: BufferId; storage: Storage }[];
  output: { buffer: BufferId; storage: Storage };
}

export const WORKGROUP = 64;

export function wgslType(s: Storage): string {
  return s === 'int' ? 'i32' : 'f32';
}

/**
 * Binding declarations for a step: returns the WGSL text, the array name of each input and the
 * bound buffer order. `used` restricts which inputs are bound (default all).
 */
export function declareIo(io: StepIo, used?: readonly number[]): { decls: string; names: string[]; buffers: BufferId[] } {
  const buffers: BufferId[] = [io.output.buffer];
  const lines = [`@group(0) @binding(1) var<storage, read_write> out: array<${wgslType(io.output.storage)}>;`];
  const names = io.inputs.map((inp, k) => {
    if (used !== undefined && !used.includes(k)) return '';
    if (inp.buffer === io.output.buffer) return 'out';
    const seen = io.inputs.findIndex((o, j) => j < k && o.buffer === inp.buffer && (used === undefined || used.includes(j)));
    if (seen >= 0) return `x${seen}`;
    buffers.push(inp.buffer);
    lines.push(`@group(0) @binding(${buffers.length}) var<storage, read> x${k}: array<${wgslType(inp.storage)}>;`);
    return `x${k}`;
  });
  return { decls: lines.join('\n'), names, buffers };
}

/** The metadata uniform (n words, padded to vec4s) and its reader `m(k)`. */
export function declareMeta(words: number): string {
  const vecs = Math.max(1, Math.ceil(words / 4));
  return `struct Meta { w: array<vec4<i32>, ${vecs}> }
@group(0) @binding(0) var<uniform> u_meta: Meta;
fn m(k: i32) -> i32 { return u_meta.w[k / 4][k % 4]; }`;
}

/** The entry point of a 1-D kernel over WORKGROUP threads; `body` sees `wg` (workgroup), `lid`, `gid`. */
export function entry(body: string, workgroupSize: number = WORKGROUP): string {
  return `@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidu: u32) {
  let wg = i32(wid.x + wid.y * nwg.x);
  let lid = i32(lidu);
  let gid = wg * ${workgroupSize} + lid;
${body}
}`;
}

/** A f32 read of `name[idx]` whatever the storage. */
export function loadF32(name: string, storage: Storage, idx: string): string {
  return storage === 'int' ? `f32(${name}[${idx}])` : `${name}[${idx}]`;
}

/** Row-major strides of a shape. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Workgroups for one thread per element. */
export function groupsFor(n: number, size: number = WORKGROUP): number {
  return Math.max(1, Math.ceil(n / size));
}

/** An f32 as the i32 word with the same bits (for metadata such as a pad value). */
export function f32Bits(v: number): number {
  const f = new Float32Array([v]);
  return new Int32Array(f.buffer)[0];
}

/**
 * sin and cos to a few f32 ulps for moderate |x| (WGSL's builtins only promise 2⁻¹¹ absolute,
 * and SwiftShader's miss the CPU by 2·10⁻⁴): x = q·π/2 + r by Cody–Waite (π/2 split into the f32
 * nearest 1.5707963705062866 minus 4.371139·10⁻⁸), |r| ≤ π/4, Taylor to r⁹ (sin, error < 2·10⁻⁹)
 * and r⁸ (cos, < 3·10⁻⁸), then the quadrant q mod 4 picks (±sin r, ±cos r).
 */
export const SINCOS = `fn sincos_(x: f32) -> vec2<f32> {
  let q = round(x * 0.6366197723675814);
  let r = (x - q * 1.5707963705062866) + q * 4.371139e-8;
  let r2 = r * r;
  let s = r * (1.0 + r2 * (-0.16666666666666666 + r2 * (0.008333333333333333 + r2 * (-0.0001984126984126984 + r2 * 2.7557319223985893e-6))));
  let c = 1.0 + r2 * (-0.5 + r2 * (0.041666666666666664 + r2 * (-0.001388888888888889 + r2 * 2.48015873015873e-5)));
  let k = i32(q) & 3;
  if (k == 0) { return vec2<f32>(s, c); }
  if (k == 1) { return vec2<f32>(c, -s); }
  if (k == 2) { return vec2<f32>(-s, -c); }
  return vec2<f32>(-c, s);
}`;
