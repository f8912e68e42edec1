/**
 * @file Structural checks of one network, before any shape is known: duplicate ids, unknown
 * layers, parameter values, dangling edges, unknown and doubly-fed ports, cycles. Produces the
 * resolved nodes, the edges that are sound and a topological order. Never throws.
 */
import { checkParam, layerByType, type Layer, type PortsDecl } from '../layers';
import type { Network, ProjectEdge, ProjectNode } from '../project/schema';
import { error, warning, type Diagnostic } from './diagnostics';

export interface ResolvedNode {
  readonly node: ProjectNode;
  readonly layer: Layer | undefined;
  /** Declared params with defaults filled; invalid values replaced by defaults (see paramsOk). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly paramsOk: boolean;
  readonly ports: PortsDecl | undefined;
}

export interface Structure {
  readonly nodes: ReadonlyMap<string, ResolvedNode>;
  /** Edges whose both ends exist, with ports that exist (or belong to an unknown layer) and are not already taken. */
  readonly edges: readonly ProjectEdge[];
  /** Node ids in topological order (nodes on a cycle are left out). */
  readonly order: readonly string[];
  readonly cyclic: ReadonlySet<string>;
}

/** `Dense "hidden"`, or `"Encoder" (Dense hidden)` when the node has a label. */
export function nodeName(node: Pick<ProjectNode, 'id' | 'type' | 'label'>): string {
  return node.label ? `"${node.label}" (${node.type} ${node.id})` : `${node.type} "${node.id}"`;
}

function suggestType(type: string): string {
  const lower = type.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const l of layerByType.values()) if (l.type.toLowerCase().replace(/[^a-z0-9]/g, '') === lower) return ` Did you mean ${l.type}?`;
  return '';
}

function resolveNode(node: ProjectNode, where: { networkId: string }, out: Diagnostic[]): ResolvedNode {
  const layer = layerByType.get(node.type);
  const raw: Record<string, unknown> = typeof node.params === 'object' && node.params !== null ? node.params : {};
  if (!layer) {
    out.push(error('E_UNKNOWN_LAYER', `Node "${node.id}" has the unknown layer type "${node.type}".${suggestType(node.type)}`, { ...where, nodeId: node.id }));
    return { node, layer, params: raw, paramsOk: false, ports: undefined };
  }
  const params: Record<string, unknown> = {};
  let paramsOk = true;
  for (const [name, spec] of Object.entries(layer.params)) {
    const check = checkParam(spec, raw[name]);
    if (check.ok) params[name] = check.value;
    else {
      paramsOk = false;
      params[name] = spec.default;
      out.push(error(check.code, `${nodeName(node)}: parameter "${name}" ${check.message}.`, { ...where, nodeId: node.id, path: `params.${name}` }));
    }
  }
  for (const name of Object.keys(raw)) {
    if (!(name in layer.params)) {
      const known = Object.keys(layer.params);
      const hint = known.length ? ` It has: ${known.join(', ')}.` : ' It has no parameters.';
      out.push(warning('W_UNKNOWN_PARAM', `${nodeName(node)} has no parameter "${name}"; it is ignored.${hint}`, { ...where, nodeId: node.id, path: `params.${name}` }));
    }
  }
  let ports: PortsDecl | undefined;
  try {
    ports = layer.ports(params);
  } catch {
    ports = undefined;
  }
  return { node, layer, params, paramsOk, ports };
}

const inputPorts = (p: PortsDecl): string[] => [...p.in, ...(p.optional ?? [])];

export function checkStructure(network: Network, out: Diagnostic[]): Structure {
  const where = { networkId: network.id };
  const nodes = new Map<string, ResolvedNode>();
  for (const node of network.nodes) {
    if (nodes.has(node.id)) {
      out.push(error('E_DUPLICATE_ID', `Two nodes share the id "${node.id}" (${nodes.get(node.id)?.node.type} and ${node.type}); ids must be unique. The second is ignored.`, { ...where, nodeId: node.id }));
      continue;
    }
    nodes.set(node.id, resolveNode(node, where, out));
  }

  const edgeIds = new Set<string>();
  const taken = new Map<string, string>();
  const edges: ProjectEdge[] = [];
  for (const edge of network.edges) {
    const at = { ...where, edgeId: edge.id };
    if (edgeIds.has(edge.id)) {
      out.push(error('E_DUPLICATE_ID', `Two edges share the id "${edge.id}"; the second is ignored.`, at));
      continue;
    }
    edgeIds.add(edge.id);
    const src = nodes.get(edge.source.node);
    const dst = nodes.get(edge.target.node);
    if (!src || !dst) {
      const missing = !src ? edge.source.node : edge.target.node;
      out.push(error('E_DANGLING_EDGE', `Edge "${edge.id}" connects ${!src ? 'from' : 'to'} node "${missing}", which does not exist: delete the edge or reconnect it.`, at));
      continue;
    }
    if (src.ports && !src.ports.out.includes(edge.source.port)) {
      const has = src.ports.out.length ? `its outputs are ${src.ports.out.join(', ')}` : 'it has no outputs';
      out.push(error('E_UNKNOWN_PORT', `Edge "${edge.id}" leaves ${nodeName(src.node)} from port "${edge.source.port}", but ${has}.`, { ...at, nodeId: src.node.id, port: edge.source.port }));
      continue;
    }
    if (dst.ports && !inputPorts(dst.ports).includes(edge.target.port)) {
      const list = inputPorts(dst.ports);
      const has = list.length ? `its inputs are ${list.join(', ')}` : 'it has no inputs';
      out.push(error('E_UNKNOWN_PORT', `Edge "${edge.id}" enters ${nodeName(dst.node)} at port "${edge.target.port}", but ${has}.`, { ...at, nodeId: dst.node.id, port: edge.target.port }));
      continue;
    }
    const key = `${edge.target.node}\u0000${edge.target.port}`;
    const first = taken.get(key);
    if (first !== undefined) {
      out.push(error('E_PORT_TAKEN', `Input "${edge.target.port}" of ${nodeName(dst.node)} is already fed by edge "${first}"; an input takes one edge (use Add or Concat to combine).`, { ...at, nodeId: dst.node.id, port: edge.target.port }));
      continue;
    }
    taken.set(key, edge.id);
    edges.push(edge);
  }

  const { order, cycles } = topoOrder([...nodes.keys()], edges);
  const cyclic = new Set<string>();
  for (const cycle of cycles) {
    cycle.forEach((id) => cyclic.add(id));
    const path = [...cycle, cycle[0]].map((id) => nodeName(nodes.get(id)?.node ?? { id, type: '?' })).join(' → ');
    out.push(error('E_CYCLE', `These nodes form a loop, so none of them can be computed: ${path}. Remove one of the edges.`, { ...where, nodeId: cycle[0] }));
  }
  return { nodes, edges, order, cyclic };
}

/** Kahn's algorithm; the nodes left over are reported as the cycles through them (one per loop). */
function topoOrder(ids: readonly string[], edges: readonly ProjectEdge[]): { order: string[]; cycles: string[][] } {
  const succ = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    succ.get(e.source.node)?.push(e.target.node);
    indeg.set(e.target.node, (indeg.get(e.target.node) ?? 0) + 1);
  }
  const queue = ids.filter((id) => indeg.get(id) === 0);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift() as string;
    order.push(id);
    for (const next of succ.get(id) ?? []) {
      const d = (indeg.get(next) ?? 0) - 1;
      indeg.set(next, d);
      if (d === 0) queue.push(next);
    }
  }
  const left = new Set(ids.filter((id) => !order.includes(id)));
  const pred = new Map<string, string[]>();
  for (const e of edges) if (left.has(e.source.node) && left.has(e.target.node)) pred.set(e.target.node, [...(pred.get(e.target.node) ?? []), e.source.node]);
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const start of left) {
    if (seen.has(start)) continue;
    // Every leftover node has a leftover predecessor, so walking back always closes a loop.
    const path: string[] = [];
    const index = new Map<string, number>();
    let cur: string | undefined = start;
    while (cur !== undefined && !index.has(cur) && !seen.has(cur)) {
      index.set(cur, path.length);
      path.push(cur);
      cur = pred.get(cur)?.[0];
    }
    path.forEach((id) => seen.add(id));
    if (cur !== undefined && index.has(cur)) cycles.push(path.slice(index.get(cur)).reverse());
  }
  return { order, cycles };
}
