/**
 * @file Row kernels for the groups of core/compile/rowPatterns.ts (softmax, log-softmax, layer
 * norm over the last axis): one workgroup of 64 threads per row.
 *
 * Thread t owns the row elements t, t + 64, …; each reduction folds them in that order into a
 * private value, then combines the 64 partials pairwise in workgroup memory — the same order as
 * ./reduce.ts, so a fused group gives the unfused steps' bits. Rows up to CACHE elements are read
 * from global memory once into workgroup memory (each thread re-reads only its own elements, so
 * no barrier guards the cache); longer rows are re-read per pass. The last pass writes the result
 * and the live intermediates (each thread writes the indices it read; thread 0 the row values).
 * Metadata: [rows, C, bits of ε, bits of f32(1/C)] (the constant the plan multiplies by).
 */
import type { RowPattern } from '../../../compile/rowPatterns';
import { isRowNode } from '../../../compile/rowPatterns';
import type { BufferId } from '../../../compile/plan';
import { type GpuProgram, WORKGROUP, declareMeta, f32Bits } from '../program';

const CACHE = 1024;

/** WGSL value of each template node: full nodes in terms of `v` (x at the element), row nodes by name. */
const NODES: Record<RowPattern['kind'], string[]> = {
  softmax: ['mx', 'v - mx', 'exp(v - mx)', 'se', 'exp(v - mx) / se'],
  logSoftmax: ['mx', 'v - mx', 'exp(v - mx)', 'se', 'lse0', 'lse', 'v - lse'],
  layerNorm: ['s1', 'mu', 'v - mu', '(v - mu) * (v - mu)', 's2', 'var0', 'var1', 'sd', 'rs', '(v - mu) * rs', '((v - mu) * rs) * g', '(((v - mu) * rs) * g) + bt'],
};

/** The reductions: row name, per-element term, combine, identity. */
function passes(kind: RowPattern['kind']): { name: string; term: string; max: boolean }[] {
  return kind === 'layerNorm'
    ? [{ name: 's1', term: 'v', max: false }, { name: 's2', term: '(v - mu) * (v - mu)', max: false }]
    : [{ name: 'mx', term: 'v', max: true }, { name: 'se', term: 'exp(v - mx)', max: false }];
}

/** Row values derived after each pass. */
function derived(kind: RowPattern['kind'], pass: number): string {
  if (kind === 'layerNorm') {
    return pass === 0
      ? '  let mu = s1 * invC;'
      : `  let var0 = s2 * invC;
  let var1 = var0 + bitcast<f32>(m(2));
  let sd = sqrt(var1);
  let rs = 1.0 / sd;`;
  }
  return pass === 1 && kind === 'logSoftmax' ? '  let lse0 = log(se);\n  let lse = lse0 + mx;' : '';
}

export function rowProgram(p: RowPattern, maxBindings: number): GpuProgram | undefined {
  const nodes = NODES[p.kind];
  const last = p.steps.length - 1;
  // bindings: out, x (unless in place), γ, β, live intermediates
  const buffers: BufferId[] = [p.output];
  const bind = (b: BufferId): number => {
    const at = buffers.indexOf(b);
    return at >= 0 ? at : buffers.push(b) - 1;
  };
  const xName = `b${bind(p.x)}`;
  const g = p.gamma !== undefined && last >= 10 ? `b${bind(p.gamma)}` : undefined;
  const bt = p.beta !== undefined && last >= 11 ? `b${bind(p.beta)}` : undefined;
  const live = p.live.map((l) => ({ ...l, name: `b${bind(l.buffer)}`, row: isRowNode(p.kind, l.node) }));
  if (buffers.length > maxBindings) return undefined;
  const written = new Set([0, ...live.map((l) => buffers.indexOf(l.buffer))]);
  const decls = buffers.map((_, i) => `@group(0) @binding(${i + 1}) var<storage, ${written.has(i) ? 'read_write' : 'read'}> b${i}: array<f32>;`).join('\n');
  const cached = p.width <= CACHE;
  const load = (e: string): string => (cached ? `rowv[${e}]` : `${xName}[base + ${e}]`);
  const reductions = passes(p.kind).map((r, i) => `  var acc${i} = ${r.max ? 'bitcast<f32>(0xff800000u + u32(m(0)) * 0u)' : '0.0'};
  for (var e = lid; e < C; e += ${WORKGROUP}) {
    let v = ${i === 0 ? `${xName}[base + e]` : load('e')};${i === 0 && cached ? '\n    rowv[e] = v;' : ''}
    acc${i} = ${r.max ? `max_(acc${i}, ${r.term})` : `acc${i} + ${r.term}`};
  }
  part${i}[lid] = acc${i};
  workgroupBarrier();
  for (var s = ${WORKGROUP / 2}; s > 0; s = s / 2) {
    if (lid < s) { part${i}[lid] = ${r.max ? `max_(part${i}[lid], part${i}[lid + s])` : `part${i}[lid] + part${i}[lid + s]`}; }
    workgroupBarrier();
  }
  let ${r.name} = part${i}[0];
${derived(p.kind, i)}`).join('\n');
  const fullWrites = live.filter((l) => !l.row).map((l) => `    ${l.name}[base + e] = ${nodes[l.node]};`);
  const rowWrites = live.filter((l) => l.row).map((l) => `    ${l.name}[row] = ${nodes[l.node]};`);
  const body = `  let row = wg;
  if (row >= m(0)) { return; }
  let C = m(1);
  let base = row * C;
  let invC = bitcast<f32>(m(3));
${reductions}
  for (var e = lid; e < C; e += ${WORKGROUP}) {
    let v = ${load('e')};${g !== undefined ? `\n    let g = ${g}[e];` : ''}${bt !== undefined ? `\n    let bt = ${bt}[e];` : ''}
${fullWrites.join('\n')}
    b0[base + e] = ${nodes[last]};
  }
  if (lid == 0) {
${rowWrites.join('\n')}
  }`;
  const meta = [p.rows, p.width, f32Bits(p.epsilon ?? 0), f32Bits(1 / p.width)];
  // one partials array per pass: a row value stays readable while the next pass reduces
  const helpers = `var<workgroup> part0: array<f32, ${WORKGROUP}>;
var<workgroup> part1: array<f32, ${WORKGROUP}>;
${cached ? `var<workgroup> rowv: array<f32, ${CACHE}>;` : ''}
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn max_(a: f32, b: f32) -> f32 { if (isnan_(a)) { return a; } if (isnan_(b)) { return b; } return max(a, b); }`;
  const entry = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidu: u32) {
  let wg = i32(wid.x + wid.y * nwg.x);
  let lid = i32(lidu);
${body}
}`;
  return { name: `fused ${p.kind}`, source: `${declareMeta(meta.length)}\n${decls}\n${helpers}\n${entry}`, buffers, meta, workgroups: Math.max(1, p.rows) };
}
