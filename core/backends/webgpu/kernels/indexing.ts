/**
 * @file gather / scatterAdd along one axis (x viewed as [outer, A, inner], I indices):
 *   gather      out[o, i, q] = x[o, idx[i], q]                     one thread per output
 *   scatterAdd  out[o, a, q] = Σ_{i : idx[i] = a} upd[o, i, q]       one thread per output, i ascending
 * scatterAdd is written as a gather over the indices (no atomics), so it is deterministic and
 * sums in the CPU's order; it costs I reads per output, fine for labels and small embeddings.
 * Out-of-range indices read 0 (gather) or are never matched (scatterAdd); the CPU throws.
 * Metadata: [total, I, inner, A].
 */
import { type GpuProgram, type StepIo, declareIo, declareMeta, entry, groupsFor, loadF32 } from '../program';

function inner(shape: readonly number[], axis: number): number {
  let n = 1;
  for (let d = axis + 1; d < shape.length; d++) n *= shape[d];
  return n;
}

export function gatherProgram(io: StepIo, xShape: readonly number[], count: number, axis: number, total: number): GpuProgram {
  const { decls, names, buffers } = declareIo(io);
  const meta = [total, count, inner(xShape, axis), xShape[axis]];
  const int = io.output.storage === 'int';
  const body = `  if (gid >= m(0)) { return; }
  let q = gid % m(2);
  let i = (gid / m(2)) % m(1);
  let o = gid / (m(2) * m(1));
  let a = ${loadF32(names[1], io.inputs[1].storage, 'i')};
  let ai = i32(a);
  var v = ${int ? '0' : '0.0'};
  if (ai >= 0 && ai < m(3)) { v = ${names[0]}[(o * m(3) + ai) * m(2) + q]; }
  out[gid] = v;`;
  return { name: 'gather', source: `${declareMeta(meta.length)}\n${decls}\n${entry(body)}`, buffers, meta, workgroups: groupsFor(total) };
}

export function scatterAddProgram(io: StepIo, shape: readonly number[], count: number, axis: number, total: number): GpuProgram {
  const { decls, names, buffers } = declareIo(io);
  const meta = [total, count, inner(shape, axis), shape[axis]];
  const body = `  if (gid >= m(0)) { return; }
  let q = gid % m(2);
  let a = (gid / m(2)) % m(3);
  let o = gid / (m(2) * m(3));
  var acc = 0.0;
  for (var i = 0; i < m(1); i++) {
    if (i32(${loadF32(names[1], io.inputs[1].storage, 'i')}) == a) { acc += ${names[0]}[(o * m(1) + i) * m(2) + q]; }
  }
  out[gid] = acc;`;
  return { name: 'scatterAdd', source: `${declareMeta(meta.length)}\n${decls}\n${entry(body)}`, buffers, meta, workgroups: groupsFor(total) };
}
