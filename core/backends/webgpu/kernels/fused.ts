/**
 * @file One program for an elementwise chain of core/compile/fuse.ts: each leaf is read once at
 * its broadcast offset, the chain's steps are evaluated in registers (f32, as the unfused steps
 * store them) and only the last result is written. Same-size leaves index by the element, scalar
 * leaves read element 0, the others unfold the output index with their broadcast strides.
 * Metadata: [total, rank, outShape…, strides of each unfolded leaf…].
 */
import type { Operand } from '../../../compile/fuse';
import type { BufferId, Kernel } from '../../../compile/plan';
import { isBinary, isCompare, isUnary, Prim } from '../../../ir/prims';
import { type GpuProgram, SINCOS, declareMeta, entry, groupsFor, sizeOfShape, strides } from '../program';
import { binaryExpr, HELPERS, unaryExpr } from './elementwise';

export interface FusedLeaf {
  buffer: BufferId;
  shape: readonly number[];
}

function stepExpr(k: Kernel, args: string[]): string {
  const p = k.prim;
  if (isUnary(p)) return unaryExpr[p](args[0]);
  if (isBinary(p) || isCompare(p)) return binaryExpr[p](args[0], args[1]);
  if (p === Prim.Where) return `select(${args[2]}, ${args[1]}, ${args[0]} != 0.0 || isnan_(${args[0]}))`;
  throw new Error(`webgpu: ${p} cannot be part of a fused elementwise chain`);
}

/** Distinct storage bindings the chain's program needs (the output, then leaves not in place). */
export function chainBindings(leaves: readonly FusedLeaf[], output: BufferId): BufferId[] {
  const buffers: BufferId[] = [output];
  for (const l of leaves) if (!buffers.includes(l.buffer)) buffers.push(l.buffer);
  return buffers;
}

export function fusedChainProgram(kernels: readonly Kernel[], operands: readonly Operand[][], leaves: readonly FusedLeaf[], output: BufferId): GpuProgram {
  const outShape = kernels[kernels.length - 1].output.shape;
  const total = sizeOfShape(outShape);
  const rank = outShape.length;
  const buffers = chainBindings(leaves, output);
  const decls = buffers.map((_, i) => `@group(0) @binding(${i + 1}) var<storage, ${i === 0 ? 'read_write' : 'read'}> ${i === 0 ? 'out' : `x${i}`}: array<f32>;`).join('\n');
  const arrayOf = (l: FusedLeaf): string => (l.buffer === output ? 'out' : `x${buffers.indexOf(l.buffer)}`);
  const meta = [total, rank, ...outShape];
  const unfolded: number[] = [];
  const offsets = leaves.map((l, i) => {
    const n = sizeOfShape(l.shape);
    if (n === total) return 'gid';
    if (n === 1) return '0';
    const own = strides(l.shape);
    const lead = rank - l.shape.length;
    meta.push(...outShape.map((_, d) => (d < lead || l.shape[d - lead] === 1 ? 0 : own[d - lead])));
    unfolded.push(i);
    return `o${i}`;
  });
  const unfold = unfolded.length === 0 ? '' : `  var rest = gid;
  ${unfolded.map((i) => `var o${i} = 0;`).join(' ')}
  for (var d = ${rank - 1}; d >= 0; d--) {
    let dim = m(2 + d);
    let c = rest % dim;
    rest = rest / dim;
${unfolded.map((i, u) => `    o${i} += c * m(${2 + rank * (u + 1)} + d);`).join('\n')}
  }`;
  const lines = leaves.map((l, i) => `  let l${i} = ${arrayOf(l)}[${offsets[i]}];`);
  kernels.forEach((k, t) => {
    const args = operands[t].map((o) => ('leaf' in o ? `l${o.leaf}` : `t${o.node}`));
    lines.push(`  let t${t} = ${stepExpr(k, args)};`);
  });
  const body = `  if (gid >= m(0)) { return; }
${unfold}
${lines.join('\n')}
  out[gid] = t${kernels.length - 1};`;
  return {
    name: `fused(${kernels.map((k) => k.prim).join('+')})`,
    source: `${declareMeta(meta.length)}\n${decls}\n${HELPERS}\n${SINCOS}\n${entry(body)}`,
    buffers,
    meta,
    workgroups: groupsFor(total),
  };
}
