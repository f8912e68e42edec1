/**
 * @file Validation and shape inference of networks and projects: structural checks, then each
 * layer's dtype and shape rule in topological order, parameter counts and FLOPs, a loss in every
 * trained network, unused nodes. Problems become diagnostics on nodes, ports and edges (with
 * one-click fixes where a rule knows one); nothing here throws.
 */
import { formatShape, isRejection, type FieldFeed, type Inputs, type LayerFix, type PortType, type Shape, type WeightSpec } from '../layers';
import { parseProject, parseProjectText } from '../project/parse';
import type { Network, Project } from '../project/schema';
import { error, warning, type Diagnostic, type DiagnosticFix } from './diagnostics';
import { checkStructure, nodeName, type ResolvedNode, type Structure } from './structure';

export interface NodeAnalysis {
  readonly id: string;
  readonly type: string;
  /** Parameters with defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Connected inputs and dataset fields (a loss's target, an Input's data). */
  readonly inputs: Readonly<Record<string, PortType>>;
  readonly outputs: Readonly<Record<string, PortType>>;
  readonly fields: Readonly<Record<string, FieldFeed>>;
  readonly weights: Readonly<Record<string, WeightSpec>>;
  readonly state: Readonly<Record<string, WeightSpec>>;
  /** Trainable values. */
  readonly paramCount: number;
  /** Per example (batch 1); a multiply-add counts 2. */
  readonly flops: number;
}

export interface EdgeAnalysis {
  readonly id: string;
  readonly shape: Shape;
  readonly dtype: PortType['dtype'];
  /** `[B, 784]` */
  readonly label: string;
}

export interface Totals {
  readonly params: number;
  readonly flops: number;
}

export interface NetworkAnalysis {
  readonly networkId: string;
  readonly diagnostics: Diagnostic[];
  /** Nodes whose shapes are known, by id. */
  readonly nodes: Readonly<Record<string, NodeAnalysis>>;
  readonly edges: Readonly<Record<string, EdgeAnalysis>>;
  /** Nodes with known shapes, in the order they compute. */
  readonly order: readonly string[];
  readonly totals: Totals;
}

export interface ValidateOptions {
  /** Trained by a supervised recipe: needs a loss (default false). */
  readonly trained?: boolean;
}

/** Above this many weights a layer gets a warning (memory, export size). */
const LARGE_LAYER = 100_000_000;

const count = (w: Readonly<Record<string, WeightSpec>>): number => Object.values(w).reduce((n, s) => n + s.shape.reduce((a, d) => a * d, 1), 0);

export function validateNetwork(network: Network, options: ValidateOptions = {}): NetworkAnalysis {
  const diagnostics: Diagnostic[] = [];
  const networkId = typeof network?.id === 'string' ? network.id : '';
  try {
    return analyzeNetwork(network, options, diagnostics);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    diagnostics.push(error('E_PROJECT_SCHEMA', `The network could not be checked (${detail}); it may be malformed.`, { networkId }));
    return { networkId, diagnostics, nodes: {}, edges: {}, order: [], totals: { params: 0, flops: 0 } };
  }
}

function analyzeNetwork(network: Network, options: ValidateOptions, diagnostics: Diagnostic[]): NetworkAnalysis {
  const where = { networkId: network.id };
  const structure = checkStructure(network, diagnostics);
  const incoming = new Map<string, Map<string, { node: string; port: string; edge: string }>>();
  for (const e of structure.edges) {
    const m = incoming.get(e.target.node) ?? new Map<string, { node: string; port: string; edge: string }>();
    m.set(e.target.port, { node: e.source.node, port: e.source.port, edge: e.id });
    incoming.set(e.target.node, m);
  }

  const nodes: Record<string, NodeAnalysis> = {};
  const order: string[] = [];
  for (const id of structure.order) {
    const r = structure.nodes.get(id);
    if (!r?.layer || !r.ports) continue;
    const feeds = incoming.get(id) ?? new Map<string, { node: string; port: string; edge: string }>();
    for (const port of r.ports.in) {
      if (!feeds.has(port)) {
        diagnostics.push(error('E_PORT_UNCONNECTED', `Input "${port}" of ${nodeName(r.node)} is not connected: connect a layer's output to it.`, { ...where, nodeId: id, port }));
      }
    }
    if (!r.paramsOk) continue;
    const inputs: Record<string, PortType> = {};
    let blocked = false;
    for (const [port, src] of feeds) {
      const t = nodes[src.node]?.outputs[src.port];
      if (t) inputs[port] = t;
      else blocked = true;
    }
    if (blocked || r.ports.in.some((p) => !inputs[p])) continue;
    const result = inferNode(r, inputs, feeds, structure, where, diagnostics);
    if (result) {
      nodes[id] = result;
      order.push(id);
    }
  }

  const edges: Record<string, EdgeAnalysis> = {};
  for (const e of structure.edges) {
    const t = nodes[e.source.node]?.outputs[e.source.port];
    if (t) edges[e.id] = { id: e.id, shape: t.shape, dtype: t.dtype, label: formatShape(t.shape) };
  }

  checkRoles(network, structure, nodes, options, where, diagnostics);
  const totals = Object.values(nodes).reduce((t, n) => ({ params: t.params + n.paramCount, flops: t.flops + n.flops }), { params: 0, flops: 0 });
  return { networkId: network.id, diagnostics, nodes, edges, order, totals };
}

type Feeds = ReadonlyMap<string, { node: string; port: string; edge: string }>;

function inferNode(r: ResolvedNode, connected: Record<string, PortType>, feeds: Feeds, s: Structure, where: { networkId: string }, out: Diagnostic[]): NodeAnalysis | null {
  const layer = r.layer;
  const ports = r.ports;
  if (!layer || !ports) return null;
  const id = r.node.id;
  const report = (issues: readonly { code: Diagnostic['code']; message: string; port?: string; fix?: LayerFix }[]): null => {
    for (const issue of issues) {
      const edgeId = issue.port ? feeds.get(issue.port)?.edge : undefined;
      const fix = bindFix(issue.fix, id, feeds, s);
      out.push(error(issue.code, `${nodeName(r.node)} ${issue.message}.`, { ...where, nodeId: id, ...(issue.port ? { port: issue.port } : {}), ...(edgeId ? { edgeId } : {}), ...(fix ? { fix } : {}) }));
    }
    return null;
  };
  const fields = layer.fields(r.params, connected as Inputs<string, PortType>);
  const inputs: Record<string, PortType> = { ...connected };
  for (const [name, f] of Object.entries(fields)) inputs[name] = { shape: f.shape, dtype: f.dtype };
  const shapesIn: Record<string, Shape> = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.shape]));
  const dtypesIn = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.dtype]));

  const dtypes = layer.dtypes(dtypesIn, r.params, ports.out);
  if (isRejection(dtypes)) return report(dtypes.issues);
  const shapes = layer.shape(shapesIn, r.params);
  if (isRejection(shapes)) return report(shapes.issues);
  const outputs: Record<string, PortType> = {};
  for (const port of ports.out) outputs[port] = { shape: shapes[port] ?? [], dtype: dtypes[port] ?? 'f32' };
  const weights = layer.weights(shapesIn, r.params);
  const state = layer.state(shapesIn, r.params);
  const paramCount = count(weights);
  const perExample = layer.flops ? layer.flops(shapesIn, shapes, r.params) : Object.values(shapes).reduce((n, sh) => n + sh.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1), 0);
  if (paramCount > LARGE_LAYER) {
    out.push(warning('W_LARGE_LAYER', `${nodeName(r.node)} has ${paramCount.toLocaleString('en-US')} weights; training it needs several GB of memory.`, { ...where, nodeId: id }));
  }
  return { id, type: layer.type, params: r.params, inputs, outputs, fields, weights, state, paramCount, flops: Number.isFinite(perExample) ? perExample : 0 };
}

/** Turns a layer's suggested fix into a graph edit on this node, its input edge or its producer. */
function bindFix(fix: LayerFix | undefined, nodeId: string, feeds: Feeds, s: Structure): DiagnosticFix | undefined {
  if (!fix) return undefined;
  switch (fix.kind) {
    case 'setParam':
      return { kind: 'setParam', label: fix.label, nodeId, param: fix.param, value: fix.value };
    case 'insertLayer': {
      const edge = feeds.get('in')?.edge ?? [...feeds.values()][0]?.edge;
      return edge ? { kind: 'insertLayer', label: fix.label, edgeId: edge, layerType: fix.layerType, params: fix.params } : undefined;
    }
    case 'setWidth': {
      const src = feeds.get(fix.port);
      const producer = src ? s.nodes.get(src.node) : undefined;
      const param = producer?.layer?.widthParam;
      return src && param ? { kind: 'setParam', label: `${fix.label} (${param} of ${producer.node.id})`, nodeId: src.node, param, value: fix.value } : undefined;
    }
    default:
      return fix satisfies never;
  }
}

/** A loss in a trained network; nodes that feed no loss or Output are unused. */
function checkRoles(network: Network, s: Structure, nodes: Record<string, NodeAnalysis>, options: ValidateOptions, where: { networkId: string }, out: Diagnostic[]): void {
  const resolved = [...s.nodes.values()];
  const losses = resolved.filter((r) => r.layer?.role === 'loss');
  const sinks = resolved.filter((r) => r.layer?.role === 'loss' || r.layer?.role === 'output');
  if (resolved.length > 0 && !resolved.some((r) => r.layer?.role === 'input')) {
    out.push(error('E_MISSING_INPUT', `Network "${network.name}" has no Input layer: add one for each dataset field it reads.`, where));
  }
  if (options.trained && losses.length === 0) {
    const fed = new Set(s.edges.map((e) => e.source.node));
    const last = [...s.order].reverse().map((id) => s.nodes.get(id)).find((r) => r?.layer && r.layer.role !== 'output' && r.ports?.out.length && !fed.has(r.node.id));
    const shape = last ? nodes[last.node.id]?.outputs[last.ports?.out[0] ?? '']?.shape : undefined;
    const width = shape && shape.length === 2 ? shape[1] : undefined;
    const layerType = typeof width === 'number' && width > 1 ? 'CrossEntropyLoss' : typeof width === 'number' ? 'BCEWithLogitsLoss' : 'MSELoss';
    const params = layerType === 'MSELoss' ? { target: 'target' } : { target: 'label' };
    out.push(
      error('E_MISSING_LOSS', `Network "${network.name}" is trained but has no loss layer, so there is nothing to minimise: add a ${layerType} after ${last ? nodeName(last.node) : 'the last layer'}.`, {
        ...where,
        ...(last ? { nodeId: last.node.id } : {}),
        fix: { kind: 'addLayer', label: `Add ${layerType}`, layerType, params, ...(last ? { connectFrom: { nodeId: last.node.id, port: last.ports?.out[0] ?? 'out' } } : {}) },
      }),
    );
  }
  const pred = new Map<string, string[]>();
  for (const e of s.edges) pred.set(e.target.node, [...(pred.get(e.target.node) ?? []), e.source.node]);
  const used = new Set<string>();
  if (sinks.length === 0) for (const e of s.edges) used.add(e.source.node).add(e.target.node);
  const stack = sinks.map((r) => r.node.id);
  while (stack.length) {
    const id = stack.pop() as string;
    if (used.has(id)) continue;
    used.add(id);
    stack.push(...(pred.get(id) ?? []));
  }
  // After a structural error, everything upstream of the break looks unused: say nothing then.
  if (resolved.length < 2 || out.some((d) => d.severity === 'error')) return;
  for (const r of resolved) {
    if (used.has(r.node.id) || s.cyclic.has(r.node.id)) continue;
    const why = sinks.length ? 'feeds no loss or Output' : 'is connected to nothing';
    out.push(warning('W_UNUSED_NODE', `${nodeName(r.node)} ${why}, so it does not affect training: connect it or delete it.`, { ...where, nodeId: r.node.id }));
  }
}

export interface ProjectAnalysis {
  /** The parsed project, when the document could be read. */
  readonly project: Project | undefined;
  readonly diagnostics: Diagnostic[];
  readonly networks: Readonly<Record<string, NetworkAnalysis>>;
  readonly totals: Totals;
}

/** Reads (JSON text or a value), migrates and validates a whole project. Never throws. */
export function analyzeProject(input: unknown): ProjectAnalysis {
  const empty = { params: 0, flops: 0 };
  try {
    const parsed = typeof input === 'string' ? parseProjectText(input) : parseProject(input);
    if (!parsed.ok) return { project: undefined, diagnostics: parsed.diagnostics, networks: {}, totals: empty };
    const project = parsed.project;
    const diagnostics: Diagnostic[] = [];
    const networks: Record<string, NetworkAnalysis> = {};
    const trainedIds = new Set(project.training.recipe === 'supervised' ? Object.values(project.training.networks) : []);
    for (const [role, id] of Object.entries(project.training.networks)) {
      if (!project.networks.some((n) => n.id === id)) {
        diagnostics.push(error('E_PROJECT_SCHEMA', `The training recipe's "${role}" names network "${id}", which does not exist.`, { path: `training.networks.${role}` }));
      }
    }
    for (const network of project.networks) {
      if (networks[network.id]) {
        diagnostics.push(error('E_DUPLICATE_ID', `Two networks share the id "${network.id}"; the second is ignored.`, { networkId: network.id }));
        continue;
      }
      const a = validateNetwork(network, { trained: trainedIds.has(network.id) });
      networks[network.id] = a;
      diagnostics.push(...a.diagnostics);
    }
    const totals = Object.values(networks).reduce((t, n) => ({ params: t.params + n.totals.params, flops: t.flops + n.totals.flops }), empty);
    return { project, diagnostics, networks, totals };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { project: undefined, diagnostics: [error('E_PROJECT_SCHEMA', `The project could not be checked (${detail}).`)], networks: {}, totals: empty };
  }
}
