/** @file Public surface of the compiler: graph -> simplified graph -> Plan. */
import { verify, type Graph } from '../ir/graph';
import { lower } from './lower';
import type { Plan } from './plan';
import { simplify } from './simplify';
import { verifyPlan } from './verifyPlan';

export interface CompileOptions {
  /** run the simplification passes (default true) */
  simplify?: boolean;
  /** verify the graph and the plan (default true) */
  verify?: boolean;
}

export function compile(graph: Graph, options: CompileOptions = {}): Plan {
  const check = options.verify ?? true;
  if (check) verify(graph);
  const g = (options.simplify ?? true) ? simplify(graph) : graph;
  const plan = lower(g);
  if (check) verifyPlan(plan);
  return plan;
}

export { lower } from './lower';
export { simplify, eliminateCommonSubexpressions, eliminateDeadCode, foldConstants, FOLD_LIMIT } from './simplify';
export { verifyPlan } from './verifyPlan';
export { pprintPlan } from './pprint';
export { kernelCost, planCost, type Cost } from './cost';
export { canRunInPlace } from './lower';
export type { Plan, Step, Kernel, PrimKernel, PlanBuffer, PlanIo, PlanVariable, PlanConstant, BufferId, Storage, BufferRole } from './plan';
export { storageOf } from './plan';
