/**
 * @file Row-wise patterns, as an analysis of a lowered Plan: the step groups that softmax,
 * log-softmax and layer norm (core/tensor, core/layers/ops) lower to, over the last axis. A
 * backend may run a group as one row kernel (reductions in fast memory, one pass over a row per
 * reduction) that writes the group's result and only those intermediates read after the group.
 * The Plan is unchanged; a backend without the kernel runs the steps as they are.
 *
 * Templates (x is [..., C], row reductions are over the last axis with keepDims):
 *   softmax      m = max x;  d = x − m;  e = exp d;  s = Σ e;  y = e / s
 *   logSoftmax   m = max x;  d = x − m;  e = exp d;  s = Σ e;  l = log s;  t = l + m;  y = x − t
 *   layerNorm    s = Σ x;  μ = s·(1/C);  c = x − μ;  q = c·c;  v = Σ q;  v' = v·(1/C);  w = v' + ε;
 *                σ = √w;  r = 1/σ;  y = c·r  [· γ]  [+ β]      (γ, β of shape [C])
 * Matching: the group's `run` steps are consecutive in the plan (alloc/free may interleave) and
 * every operand resolves, by buffer, to the template node that last wrote it inside the group or
 * to the expected outside operand. Safety: a buffer the kernel writes (the result, a live
 * intermediate) may coincide with an operand it reads only when both are full [rows, C] tensors
 * (same-index access by one thread).
 */
import { Prim } from '../ir/prims';
import type { BufferId, Kernel, Plan, Step } from './plan';

export type RowPatternKind = 'softmax' | 'logSoftmax' | 'layerNorm';

/** A template operand: the row input, an earlier node, a scalar constant, or a [C] vector. */
type Ref = { x: true } | { node: number } | { scalar: 'invC' | 'any' } | { vector: 'gamma' | 'beta' };

interface TemplateNode {
  prim: Prim;
  args: Ref[];
  /** reductions: over the last axis, keepDims */
  reduce?: true;
}

const X: Ref = { x: true };
const n = (node: number): Ref => ({ node });

const TEMPLATES: Record<RowPatternKind, TemplateNode[]> = {
  softmax: [
    { prim: Prim.ReduceMax, args: [X], reduce: true }, { prim: Prim.Sub, args: [X, n(0)] }, { prim: Prim.Exp, args: [n(1)] },
    { prim: Prim.Sum, args: [n(2)], reduce: true }, { prim: Prim.Div, args: [n(2), n(3)] },
  ],
  logSoftmax: [
    { prim: Prim.ReduceMax, args: [X], reduce: true }, { prim: Prim.Sub, args: [X, n(0)] }, { prim: Prim.Exp, args: [n(1)] },
    { prim: Prim.Sum, args: [n(2)], reduce: true }, { prim: Prim.Log, args: [n(3)] }, { prim: Prim.Add, args: [n(4), n(0)] },
    { prim: Prim.Sub, args: [X, n(5)] },
  ],
  layerNorm: [
    { prim: Prim.Sum, args: [X], reduce: true }, { prim: Prim.Mul, args: [n(0), { scalar: 'invC' }] }, { prim: Prim.Sub, args: [X, n(1)] },
    { prim: Prim.Mul, args: [n(2), n(2)] }, { prim: Prim.Sum, args: [n(3)], reduce: true }, { prim: Prim.Mul, args: [n(4), { scalar: 'invC' }] },
    { prim: Prim.Add, args: [n(5), { scalar: 'any' }] }, { prim: Prim.Sqrt, args: [n(6)] }, { prim: Prim.Recip, args: [n(7)] },
    { prim: Prim.Mul, args: [n(2), n(8)] },
  ],
};

/** Optional layer-norm tail: · γ, then + β. */
const AFFINE: TemplateNode[] = [{ prim: Prim.Mul, args: [n(9), { vector: 'gamma' }] }, { prim: Prim.Add, args: [n(10), { vector: 'beta' }] }];

export interface RowPattern {
  kind: RowPatternKind;
  /** indices into plan.steps of the group's run steps, in template order; the last writes `output` */
  steps: number[];
  x: BufferId;
  rows: number;
  /** the row length (last axis) */
  width: number;
  output: BufferId;
  /** layer norm: ε, and the [C] scale and shift when present */
  epsilon?: number;
  gamma?: BufferId;
  beta?: BufferId;
  /** intermediates read after the group: template node → the buffer to write its value to */
  live: { node: number; buffer: BufferId }[];
}

type RunStep = Extract<Step, { op: 'run' }>;

const isCommutative = (p: Prim): boolean => p === Prim.Add || p === Prim.Mul;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Whether `buffer` is read by a step after index `from` before a step overwrites it. */
export function readAfter(steps: readonly Step[], buffer: BufferId, from: number): boolean {
  for (let i = from + 1; i < steps.length; i++) {
    const s = steps[i];
    if (s.op === 'run') {
      if (s.inputs.includes(buffer)) return true;
      if (s.output === buffer) return false;
    } else if (s.op === 'copy') {
      if (s.from === buffer) return true;
      if (s.to === buffer) return false;
    }
  }
  return false;
}

function scalarConstant(plan: Plan, buffer: BufferId, k: Kernel, arg: number): number | undefined {
  if (k.inputs[arg].shape.some((d) => d !== 1)) return undefined;
  const c = plan.constants.find((x) => x.buffer === buffer);
  return c !== undefined && c.value.length === 1 ? c.value[0] : undefined;
}

/** Matches `template` at the run steps `at` (consecutive run steps from some index). */
function match(plan: Plan, kind: RowPatternKind, template: TemplateNode[], at: number[]): RowPattern | undefined {
  const first = plan.steps[at[0]] as RunStep;
  const xBuffer = first.inputs[0];
  const xShape = first.kernel.inputs[0].shape;
  if (xShape.length < 1 || first.kernel.output.dtype !== 'f32' || first.kernel.inputs[0].dtype !== 'f32') return undefined;
  const width = xShape[xShape.length - 1];
  const rows = xShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const rowShape = [...xShape.slice(0, -1), 1];
  const writer = new Map<BufferId, number>(); // buffer → template node that last wrote it
  const found: Partial<RowPattern> = {};
  for (let t = 0; t < template.length; t++) {
    const node = template[t];
    const s = plan.steps[at[t]] as RunStep;
    const k = s.kernel;
    if (k.prim !== node.prim || s.inputs.length !== node.args.length) return undefined;
    if (node.reduce === true) {
      const p = k.params as { axes: number[]; keepDims: boolean };
      if (!p.keepDims || p.axes.length !== 1 || p.axes[0] !== xShape.length - 1) return undefined;
    }
    const full = node.reduce !== true && sameShape(k.output.shape, xShape);
    if (!full && !sameShape(k.output.shape, rowShape)) return undefined;
    const fits = (order: number[]): boolean => order.every((j, a) => {
      const ref = node.args[a];
      const b = s.inputs[j];
      const w = writer.get(b);
      if ('node' in ref) return w === ref.node;
      if (w !== undefined) return false;
      if ('x' in ref) return b === xBuffer && sameShape(k.inputs[j].shape, xShape);
      if ('scalar' in ref) {
        const v = scalarConstant(plan, b, k, j);
        if (v === undefined) return false;
        if (ref.scalar === 'invC') return Math.abs(v * width - 1) < 1e-6;
        found.epsilon = v;
        return true;
      }
      const shape = k.inputs[j].shape;
      if (shape[shape.length - 1] !== width || shape.some((d, i) => i < shape.length - 1 && d !== 1) || b === xBuffer) return false;
      found[ref.vector] = b;
      return true;
    });
    const order = node.args.map((_, i) => i);
    if (!fits(order) && !(isCommutative(k.prim) && fits([...order].reverse()))) return undefined;
    writer.set(s.output, t);
  }
  const last = at[at.length - 1];
  const output = (plan.steps[last] as RunStep).output;
  const live: RowPattern['live'] = [];
  for (const [buffer, node] of writer) {
    if (buffer === output) continue;
    if (plan.buffers[buffer].role !== 'slot' || readAfter(plan.steps, buffer, last)) live.push({ node, buffer });
  }
  // written buffers vs read ones: only full-shape pairs may coincide
  const reads: { buffer: BufferId; full: boolean }[] = [{ buffer: xBuffer, full: true }];
  if (found.gamma !== undefined) reads.push({ buffer: found.gamma, full: false });
  if (found.beta !== undefined) reads.push({ buffer: found.beta, full: false });
  const writes = [{ buffer: output, full: true }, ...live.map((l) => ({ buffer: l.buffer, full: (template[l.node].reduce !== true && !isRowNode(kind, l.node)) }))];
  for (const w of writes) for (const r of reads) if (w.buffer === r.buffer && !(w.full && r.full)) return undefined;
  return { kind, steps: at, x: xBuffer, rows, width, output, live, ...found };
}

/** Template nodes with one value per row (reductions and what is computed from them alone). */
export function isRowNode(kind: RowPatternKind, node: number): boolean {
  switch (kind) {
    case 'softmax': return node === 0 || node === 3;
    case 'logSoftmax': return node === 0 || node === 3 || node === 4 || node === 5;
    case 'layerNorm': return node <= 1 || (node >= 4 && node <= 8);
    default: return kind satisfies never;
  }
}

/** Every non-overlapping row-pattern group of the plan, in step order. */
export function rowPatterns(plan: Plan): RowPattern[] {
  const runs: number[] = [];
  plan.steps.forEach((s, i) => { if (s.op === 'run') runs.push(i); });
  const out: RowPattern[] = [];
  for (let r = 0; r < runs.length; r++) {
    const k = (plan.steps[runs[r]] as RunStep).kernel.prim;
    if (k !== Prim.ReduceMax && k !== Prim.Sum) continue;
    const candidates: [RowPatternKind, TemplateNode[]][] = k === Prim.ReduceMax
      ? [['logSoftmax', TEMPLATES.logSoftmax], ['softmax', TEMPLATES.softmax]]
      : [['layerNorm', [...TEMPLATES.layerNorm, ...AFFINE]], ['layerNorm', [...TEMPLATES.layerNorm, AFFINE[0]]], ['layerNorm', TEMPLATES.layerNorm]];
    for (const [kind, template] of candidates) {
      if (r + template.length > runs.length) continue;
      const p = match(plan, kind, template, runs.slice(r, r + template.length));
      if (p === undefined) continue;
      out.push(p);
      r += template.length - 1;
      break;
    }
  }
  return out;
}
