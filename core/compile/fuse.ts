/**
 * @file Elementwise fusion, as an analysis of a lowered Plan: chains of consecutive elementwise
 * `run` steps (unary, binary, compare, where) of one output shape, each reading the previous
 * one's result, whose intermediate results nobody else reads. A backend may run a chain as one
 * loop that reads the chain's leaves once and writes only the last result (the intermediate
 * steps are skipped; their buffers are never written). The Plan itself is unchanged, so a backend
 * without fusion runs it as is and every backend sees the same buffers.
 *
 * Safety: an intermediate buffer must be a slot read by no step other than the next chain step
 * before it is written again; leaves must not be written by the chain (in-place writes only happen
 * over operands that die there and have the output's size, i.e. same-index elementwise access).
 */
import { isBinary, isCompare, isUnary, Prim } from '../ir/prims';
import type { BufferId, Kernel, Plan, Step } from './plan';

export type Operand = { leaf: number } | { node: number };

export interface ElementwiseChain {
  /** indices into plan.steps, in order; the last one writes the chain's result */
  steps: number[];
  /** leaf buffers and the shapes they are read with */
  leaves: { buffer: BufferId; shape: number[] }[];
  /** per chain step, its operands: a leaf or the result of an earlier chain step */
  operands: Operand[][];
}

export function isFusible(k: Kernel): boolean {
  if (k.output.dtype === 'i32' || k.inputs.some((v) => v.dtype === 'i32')) return false;
  return isUnary(k.prim) || isBinary(k.prim) || isCompare(k.prim) || k.prim === Prim.Where;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Whether `buffer` is read by a step after `from` (other than `except`) before a step writes it. */
function readLater(steps: readonly Step[], buffer: BufferId, from: number, except: number): boolean {
  for (let i = from + 1; i < steps.length; i++) {
    const s = steps[i];
    if (s.op === 'run') {
      if (i !== except && s.inputs.includes(buffer)) return true;
      if (s.output === buffer) return false; // overwritten (by the chain step itself when in place)
    } else if (s.op === 'copy') {
      if (s.from === buffer) return true;
      if (s.to === buffer) return false;
    }
  }
  return false;
}

/** `exclude`: steps another rewrite already takes (they end any chain). */
export function elementwiseChains(plan: Plan, exclude: ReadonlySet<number> = new Set()): ElementwiseChain[] {
  const steps = plan.steps;
  const chains: ElementwiseChain[] = [];
  let chain: number[] = [];
  const close = (): void => {
    if (chain.length >= 2) {
      const c = build(plan, chain);
      // the one write must not land on a leaf read at other indices (a slot freed inside the
      // chain and taken again for its output): only a same-shape leaf may share the buffer
      const last = steps[chain[chain.length - 1]] as Extract<Step, { op: 'run' }>;
      if (c.leaves.every((l) => l.buffer !== last.output || sameShape(l.shape, last.kernel.output.shape))) chains.push(c);
    }
    chain = [];
  };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (s.op === 'alloc' || s.op === 'free') continue;
    if (s.op !== 'run' || !isFusible(s.kernel) || exclude.has(i)) {
      close();
      continue;
    }
    if (chain.length > 0) {
      const last = steps[chain[chain.length - 1]] as Extract<Step, { op: 'run' }>;
      const written = new Set(chain.map((j) => (steps[j] as Extract<Step, { op: 'run' }>).output));
      const ok = plan.buffers[last.output].role === 'slot'
        && sameShape(s.kernel.output.shape, last.kernel.output.shape)
        && s.inputs.includes(last.output)
        && s.inputs.every((b) => b === last.output || !written.has(b))
        && !readLater(steps, last.output, chain[chain.length - 1], i);
      if (!ok) close();
    }
    chain.push(i);
  }
  close();
  return chains;
}

function build(plan: Plan, indices: number[]): ElementwiseChain {
  const leaves: ElementwiseChain['leaves'] = [];
  const operands: Operand[][] = [];
  indices.forEach((i, t) => {
    const s = plan.steps[i] as Extract<Step, { op: 'run' }>;
    const prev = t > 0 ? (plan.steps[indices[t - 1]] as Extract<Step, { op: 'run' }>).output : -1;
    operands.push(s.inputs.map((b, j): Operand => {
      if (b === prev) return { node: t - 1 };
      const shape = s.kernel.inputs[j].shape;
      let leaf = leaves.findIndex((l) => l.buffer === b && sameShape(l.shape, shape));
      if (leaf < 0) leaf = leaves.push({ buffer: b, shape: [...shape] }) - 1;
      return { leaf };
    }));
  });
  return { steps: indices, leaves, operands };
}

/**
 * `add(acc, pad(g, 0))` where the padded tensor is read by that add only — the adjoint of a
 * slice (every LSTM gate and time step makes one). A backend may skip the pad and add g into
 * its window of the sum: O(size of g) instead of two passes over the full tensor.
 */
export interface PadAdd {
  pad: number;
  add: number;
  /** which add operand is the padded one */
  operand: 0 | 1;
}

export function padAddPairs(plan: Plan): PadAdd[] {
  const steps = plan.steps;
  const out: PadAdd[] = [];
  for (let i = 0; i < steps.length; i++) {
    const p = steps[i];
    if (p.op !== 'run' || p.kernel.prim !== Prim.Pad || p.kernel.params.value !== 0 || p.kernel.output.dtype !== 'f32') continue;
    if (plan.buffers[p.output].role !== 'slot') continue;
    let j = i + 1;
    while (j < steps.length && (steps[j].op === 'alloc' || steps[j].op === 'free')) j++;
    const a = steps[j];
    if (a === undefined || a.op !== 'run' || a.kernel.prim !== Prim.Add) continue;
    const operand = a.inputs[0] === p.output ? 0 : a.inputs[1] === p.output ? 1 : -1;
    if (operand < 0 || a.inputs[0] === a.inputs[1] || a.output === p.inputs[0]) continue; // g must survive until the add
    const other = a.kernel.inputs[1 - operand];
    if (!sameShape(other.shape, a.kernel.output.shape) || !sameShape(p.kernel.output.shape, a.kernel.output.shape)) continue;
    // the padded tensor itself must not be needed after the add (unless the add overwrites it)
    if (a.output !== p.output && readLater(steps, p.output, i, j)) continue;
    out.push({ pad: i, add: j, operand: operand as 0 | 1 });
  }
  return out;
}
