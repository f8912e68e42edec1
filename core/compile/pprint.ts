/** @file Printing a Plan: the first debugging tool, and the snapshot format of the compiler tests. */
import { formatInit, formatParams, formatType } from '../ir/graph';
import type { Plan, PlanBuffer, Step } from './plan';

function describe(b: PlanBuffer, plan: Plan): string {
  const io = [...plan.inputs, ...plan.outputs, ...plan.variables].find((x) => x.buffer === b.id);
  const type = io ? `${io.dtype}[${io.shape.join(',')}]` : `${b.storage} x${b.size}`;
  const variable = plan.variables.find((v) => v.buffer === b.id);
  const init = variable ? ` = ${formatInit(variable.init)}` : '';
  const constant = plan.constants.find((c) => c.buffer === b.id);
  const value = constant ? ` = ${constant.value.length <= 8 ? JSON.stringify(constant.value) : `[${constant.value.length} values]`}` : '';
  const kind = variable ? variable.kind : b.role;
  return `  b${b.id} ${kind}${b.name === undefined ? '' : ` ${b.name}`} ${type}${init}${value}`;
}

function step(s: Step): string {
  switch (s.op) {
    case 'alloc': return `  alloc b${s.buffer} (${s.size})`;
    case 'free': return `  free b${s.buffer}`;
    case 'copy': return `  copy b${s.from} -> b${s.to} (${s.size})`;
    case 'run': {
      const k = s.kernel;
      return `  b${s.output} ${formatType(k.output)} = ${k.prim}(${s.inputs.map((b) => `b${b}`).join(', ')})${formatParams(k.params)}`;
    }
    default: return s satisfies never;
  }
}

export function pprintPlan(plan: Plan): string {
  const slots = plan.buffers.filter((b) => b.role === 'slot');
  const arena = slots.reduce((n, b) => n + b.size, 0);
  return [
    `plan: ${plan.inputs.length} inputs, ${plan.outputs.length} outputs, ${plan.variables.length} variables, ${slots.length} slots (${arena} elements), ${plan.steps.length} steps`,
    'buffers:',
    ...plan.buffers.map((b) => describe(b, plan)),
    'steps:',
    ...plan.steps.map(step),
  ].join('\n');
}
