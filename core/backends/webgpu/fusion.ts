/**
 * @file Which plan steps this backend runs fused, and the programs that replace them: row groups
 * (core/compile/rowPatterns.ts: softmax, log-softmax, layer norm) first, then elementwise chains
 * (core/compile/fuse.ts) among the remaining steps.
 *
 * Binding budget: a program binds its output and each distinct leaf buffer, at most
 * `maxBindings` storage buffers. A chain with more leaves is split greedily into consecutive
 * sub-chains that fit; a sub-chain's first step reads the previous sub-chain's result from the
 * buffer the plan gives it (the unfused plan writes it there too, so this is always valid). A
 * row group that would need more bindings (its live intermediates) stays unfused.
 * Aliasing: a sub-chain's one write may land on one of its leaves only when that leaf is read at
 * the same index (same shape as the output); otherwise the sub-chain runs unfused.
 */
import { elementwiseChains, type ElementwiseChain } from '../../compile/fuse';
import type { Kernel, Plan, Step } from '../../compile/plan';
import { rowPatterns } from '../../compile/rowPatterns';
import { chainBindings, type FusedLeaf, fusedChainProgram } from './kernels/fused';
import { rowProgram } from './kernels/rows';
import type { GpuProgram } from './program';

export interface Fusion {
  /** steps computed inside a later step's fused program */
  skip: Set<number>;
  /** the last step of each fused group → its program */
  programs: Map<number, GpuProgram>;
}

type RunStep = Extract<Step, { op: 'run' }>;

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** A sub-chain [from, to] of `c`: its leaves (the previous sub-chain's result becomes one). */
function subChain(plan: Plan, c: ElementwiseChain, from: number, to: number): { leaves: FusedLeaf[]; operands: ElementwiseChain['operands']; kernels: Kernel[] } {
  const leaves: FusedLeaf[] = [];
  const leafOf = (buffer: number, shape: readonly number[]): number => {
    const at = leaves.findIndex((l) => l.buffer === buffer && sameShape(l.shape, shape));
    return at >= 0 ? at : leaves.push({ buffer, shape: [...shape] }) - 1;
  };
  const operands = c.operands.slice(from, to + 1).map((ops) => ops.map((o) => {
    if ('leaf' in o) return { leaf: leafOf(c.leaves[o.leaf].buffer, c.leaves[o.leaf].shape) };
    if (o.node >= from) return { node: o.node - from };
    const prev = plan.steps[c.steps[o.node]] as RunStep;
    return { leaf: leafOf(prev.output, prev.kernel.output.shape) };
  }));
  const kernels = c.steps.slice(from, to + 1).map((i) => (plan.steps[i] as RunStep).kernel);
  return { leaves, operands, kernels };
}

/** Splits a chain into consecutive sub-chains whose programs fit `maxBindings`. */
function splitChain(plan: Plan, c: ElementwiseChain, maxBindings: number): [number, number][] {
  const parts: [number, number][] = [];
  let from = 0;
  for (let t = 1; t <= c.steps.length; t++) {
    if (t < c.steps.length) {
      const { leaves } = subChain(plan, c, from, t);
      // conservative: the output counted apart from the leaves
      if (new Set(leaves.map((l) => l.buffer)).size + 1 <= maxBindings) continue;
    }
    parts.push([from, t - 1]);
    from = t;
  }
  return parts;
}

export function planFusion(plan: Plan, maxBindings: number): Fusion {
  const skip = new Set<number>();
  const programs = new Map<number, GpuProgram>();
  const taken = new Set<number>();
  for (const p of rowPatterns(plan)) {
    const program = rowProgram(p, maxBindings);
    if (program === undefined) continue;
    for (const s of p.steps) taken.add(s);
    for (const s of p.steps.slice(0, -1)) skip.add(s);
    programs.set(p.steps[p.steps.length - 1], program);
  }
  for (const c of elementwiseChains(plan, taken)) {
    for (const [from, to] of splitChain(plan, c, maxBindings)) {
      if (to === from) continue;
      const { leaves, operands, kernels } = subChain(plan, c, from, to);
      const last = plan.steps[c.steps[to]] as RunStep;
      const outShape = last.kernel.output.shape;
      if (leaves.some((l) => l.buffer === last.output && !sameShape(l.shape, outShape))) continue;
      if (chainBindings(leaves, last.output).length > maxBindings) continue;
      for (const i of c.steps.slice(from, to)) skip.add(i);
      programs.set(c.steps[to], fusedChainProgram(kernels, operands, leaves, last.output));
    }
  }
  return { skip, programs };
}
