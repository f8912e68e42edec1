/**
 * @file A network read as PyTorch: the submodules, one forward statement per node in the canvas's
 * order, the state-dict mapping of our tensors, the predictions and the loss terms. model.py and
 * train.py are both printed from this plan, so their names agree.
 */
import type { LayerType } from '../../layers';
import { validateNetwork } from '../../model/analyze';
import { hasErrors } from '../../model/diagnostics';
import { nodeName } from '../../model/structure';
import type { Network } from '../../project/schema';
import { ExportError } from '../errors';
import { inferenceNetwork } from '../inference';
import { pyLosses, pyRules, type PyContext, type PyHelper } from './layers';
import { PythonNames, pyString } from './names';

export interface PyField {
  /** The dataset field. */
  name: string;
  /** Its Python parameter name. */
  py: string;
  shape: readonly number[];
  dtype: 'f32' | 'i32';
}

export interface PyPlan {
  className: string;
  networkName: string;
  /** Model inputs, in order (forward's parameters). */
  inputs: PyField[];
  /** Input nodes and the parameter they read. */
  inputNodes: { nodeId: string; py: string }[];
  modules: { attr: string; expr: string; comment: string }[];
  statements: { nodeId: string; py: string; expr: string }[];
  /** State-dict key ← our tensors (full names), concatenated on axis 0, each transposed when asked. */
  state: { key: string; from: string[]; transpose: boolean }[];
  /** Inference predictions: name and the node that computes it. */
  outputs: { name: string; nodeId: string }[];
  /** Loss terms over `v` (all values by node id) and `batch` (fields by name). */
  losses: { nodeId: string; expr: string }[];
  /** Dataset fields the losses read as targets, with the dtype the loss wants. */
  targets: { name: string; kind: 'long' | 'float' }[];
  helpers: PyHelper[];
  /** True when some weights never reach a loss (DDP then needs find_unused_parameters). */
  unusedParameters: boolean;
}

const className = (name: string): string => {
  const words = name.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `Net${joined}`;
};

/** Node ids with a path to `targets` (inclusive). */
function ancestors(network: Network, targets: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of network.edges) if (e.target.node === id) stack.push(e.source.node);
  }
  return seen;
}

export function planPytorch(network: Network): PyPlan {
  const analysis = validateNetwork(network);
  if (hasErrors(analysis.diagnostics)) {
    throw new ExportError(`Network "${network.name}" has errors to fix before export: ${analysis.diagnostics.filter((d) => d.severity === 'error').slice(0, 3).map((d) => d.message).join(' ')}`);
  }
  const byId = new Map(network.nodes.map((n) => [n.id, n]));
  const unknown = analysis.order.filter((id) => !(analysis.nodes[id].type in pyRules));
  if (unknown.length > 0) throw new ExportError(`PyTorch code cannot be written for: ${unknown.map((id) => nodeName(byId.get(id) ?? { id, type: '?' })).join('; ')}.`);

  const inputNodes = analysis.order.filter((id) => analysis.nodes[id].type === 'Input');
  const fieldNames = new PythonNames();
  const inputs: PyField[] = [];
  const variable = new Map<string, string>(); // node id → Python variable
  for (const id of inputNodes) {
    const info = analysis.nodes[id];
    const field = String(info.params.field);
    const py = fieldNames.name(field);
    if (!inputs.some((i) => i.name === field)) inputs.push({ name: field, py, shape: (info.params.shape as number[]).slice(), dtype: info.params.dtype === 'i32' ? 'i32' : 'f32' });
    variable.set(id, py);
  }
  const names = new PythonNames(new Set(inputs.map((i) => i.py)));
  const plan: PyPlan = {
    className: className(network.name),
    networkName: network.name,
    inputs,
    inputNodes: inputNodes.map((id) => ({ nodeId: id, py: variable.get(id) as string })),
    modules: [],
    statements: [],
    state: [],
    outputs: [],
    losses: [],
    targets: [],
    helpers: [],
    unusedParameters: false,
  };
  const source = (id: string, port: string): string => {
    const edge = network.edges.find((e) => e.target.node === id && e.target.port === port);
    const v = edge && variable.get(edge.source.node);
    if (!v) throw new ExportError(`${nodeName(byId.get(id) ?? { id, type: '?' })}: input "${port}" is not connected.`);
    return v;
  };
  const contextOf = (id: string): PyContext => {
    const info = analysis.nodes[id];
    return {
      nodeId: id,
      attr: variable.get(id) ?? names.name(id),
      params: info.params,
      shape: (port) => info.inputs[port].shape,
      input: (port) => source(id, port),
      numberedInputs: () => Object.keys(info.inputs).filter((p) => /^in\d+$/.test(p)).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))).map((p) => source(id, p)),
      hasWeight: (name) => name in info.weights || name in info.state,
    };
  };

  for (const id of analysis.order) {
    const info = analysis.nodes[id];
    const rule = pyRules[info.type as LayerType];
    if (rule === 'input' || rule === 'output' || rule === 'loss') continue;
    const attr = names.name(id);
    variable.set(id, attr);
    const c = contextOf(id);
    const node = byId.get(id);
    if (rule.module) plan.modules.push({ attr, expr: rule.module(c), comment: node ? nodeName(node) : id });
    plan.statements.push({ nodeId: id, py: attr, expr: rule.call(c) });
    for (const s of rule.state?.(c) ?? []) plan.state.push({ key: `${attr}.${s.key}`, from: s.from.map((w) => `${id}.${w}`), transpose: s.transpose });
    for (const h of rule.helpers ?? []) if (!plan.helpers.includes(h)) plan.helpers.push(h);
  }

  for (const out of inferenceNetwork(network).nodes.filter((n) => n.type === 'Output')) {
    const from = network.edges.find((e) => e.target.node === out.id && e.target.port === 'in');
    if (from) plan.outputs.push({ name: String(out.params.name ?? 'prediction'), nodeId: from.source.node });
  }

  const lossIds = analysis.order.filter((id) => pyRules[analysis.nodes[id].type as LayerType] === 'loss');
  for (const id of lossIds) {
    const info = analysis.nodes[id];
    const spec = pyLosses[info.type as LayerType];
    if (!spec) throw new ExportError(`${nodeName(byId.get(id) ?? { id, type: info.type })}: no PyTorch loss for ${info.type}.`);
    const prediction = `v[${pyString(network.edges.find((e) => e.target.node === id && e.target.port === 'in')!.source.node)}]`;
    const targetEdge = network.edges.find((e) => e.target.node === id && e.target.port === 'target');
    let target: string;
    if (targetEdge) {
      const src = byId.get(targetEdge.source.node);
      target = src?.type === 'Input' ? `batch[${pyString(String(analysis.nodes[src.id].params.field))}]` : `v[${pyString(targetEdge.source.node)}]`;
    } else {
      const field = String(info.params.target);
      target = `batch[${pyString(field)}]`;
      if (!plan.targets.some((t) => t.name === field)) plan.targets.push({ name: field, kind: spec.target });
    }
    plan.losses.push({ nodeId: id, expr: spec.loss(contextOf(id), prediction, target) });
  }
  const trained = ancestors(network, lossIds);
  plan.unusedParameters = lossIds.length > 0 && Object.values(analysis.nodes).some((n) => Object.keys(n.weights).length > 0 && !trained.has(n.id));
  return plan;
}
