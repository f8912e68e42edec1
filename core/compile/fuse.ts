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

export function elementwiseChains(plan: Plan): ElementwiseChain[] {
  const steps = plan.steps;
  const chains: ElementwiseChain[] = [];
  let chain: number[] = [];
  const close = (): void => {
    if (chain.length >= 2) chains.push(build(plan, chain));
    chain = [];
  };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (s.op === 'alloc' || s.op === 'free') continue;
    if (s.op !== 'run' || !isFusible(s.kernel)) {
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
