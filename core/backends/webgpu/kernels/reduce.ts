/**
 * @file Reductions `sum` and `reduceMax`: one workgroup per output element, a workgroup tree.
 *
 * The kept axes index the output row-major (reduced axes have size 1 there, so they vanish from
 * the flat index); the reduced axes form an index space of R elements. Thread t of the workgroup
 * folds elements t, t + 64, … into a private f32, then the 64 partials are combined pairwise in
 * workgroup memory (log₂ 64 = 6 barriers). Empty reductions give 0 / −∞; max propagates NaN.
 * Metadata: [outputs, R, keptRank, reducedRank, keptDims…, keptStrides…, redDims…, redStrides…]
 * (strides in elements of x).
 */
import { Prim, type ReducePrim } from '../../../ir/prims';
import { type GpuProgram, type StepIo, WORKGROUP, declareIo, declareMeta, entry, loadF32, sizeOfShape, strides } from '../program';

export function reduceProgram(op: ReducePrim, io: StepIo, shape: readonly number[], axes: readonly number[]): GpuProgram {
  const { decls, names, buffers } = declareIo(io);
  const rank = shape.length;
  const reduced = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const st = strides(shape);
  const kept = shape.map((_, d) => d).filter((d) => !reduced.has(d));
  const red = shape.map((_, d) => d).filter((d) => reduced.has(d));
  const outputs = sizeOfShape(kept.map((d) => shape[d]));
  const r = sizeOfShape(red.map((d) => shape[d]));
  const kr = kept.length, rr = red.length;
  const meta = [outputs, r, kr, rr, ...kept.map((d) => shape[d]), ...kept.map((d) => st[d]), ...red.map((d) => shape[d]), ...red.map((d) => st[d])];
  const isSum = op === Prim.Sum;
  const identity = isSum ? '0.0' : 'bitcast<f32>(0xff800000u + u32(m(0)) * 0u)';
  const combine = isSum ? (a: string, b: string) => `${a} + ${b}` : (a: string, b: string) => `max_(${a}, ${b})`;
  const body = `  if (wg >= m(0)) { return; }
  // base offset of this output in x, from its kept-axis coordinates
  var rest = wg;
  var base = 0;
  for (var d = ${kr - 1}; d >= 0; d--) {
    let dim = m(4 + d);
    base += (rest % dim) * m(4 + ${kr} + d);
    rest = rest / dim;
  }
  var acc = ${identity};
  for (var e = lid; e < m(1); e += ${WORKGROUP}) {
    var q = e;
    var off = base;
    for (var d = ${rr - 1}; d >= 0; d--) {
      let dim = m(${4 + 2 * kr} + d);
      off += (q % dim) * m(${4 + 2 * kr + rr} + d);
      q = q / dim;
    }
    let v = ${loadF32(names[0], io.inputs[0].storage, 'off')};
    acc = ${combine('acc', 'v')};
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var s = ${WORKGROUP / 2}; s > 0; s = s / 2) {
    if (lid < s) { part[lid] = ${combine('part[lid]', 'part[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0) { out[wg] = part[0]; }`;
  const helpers = `var<workgroup> part: array<f32, ${WORKGROUP}>;
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn max_(a: f32, b: f32) -> f32 { if (isnan_(a)) { return a; } if (isnan_(b)) { return b; } return max(a, b); }`;
  return {
    name: op,
    source: `${declareMeta(meta.length)}\n${decls}\n${helpers}\n${entry(body)}`,
    buffers,
    meta,
    workgroups: Math.max(1, outputs),
  };
}
