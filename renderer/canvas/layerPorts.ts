/**
 * @file Which ports a layer node shows, read from the layer registry (`core/layers`): the layer's
 * declared inputs, its optional inputs (a loss's `target`) and its outputs, for its current
 * parameters. A node of an unknown type keeps the ports its edges name, so nothing is lost.
 */
import { checkParam, layerByType } from '../../core/layers';
import type { Network, ProjectNode } from '../../core/project/schema';

export interface LayerPorts {
  inputs: string[];
  /** Inputs that may stay unconnected (also listed in `inputs`). */
  optional: string[];
  outputs: string[];
}

export const DEFAULT_INPUT_PORT = 'in';
export const DEFAULT_OUTPUT_PORT = 'out';

/** The ports the registry declares for this node, or undefined for an unknown layer type. */
export function registryPorts(node: Pick<ProjectNode, 'type' | 'params'>): LayerPorts | undefined {
  const layer = layerByType.get(node.type);
  if (!layer) return undefined;
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(layer.params)) {
    const check = checkParam(spec, node.params[name]);
    params[name] = check.ok ? check.value : spec.default;
  }
  let decl;
  try {
    decl = layer.ports(params);
  } catch {
    decl = layer.ports(layer.defaults);
  }
  const optional = [...(decl.optional ?? [])];
  return { inputs: [...decl.in, ...optional], optional, outputs: [...decl.out] };
}

/** Ports of every node in the network, keyed by node id; ports named by edges are always included. */
export function derivePorts(network: Pick<Network, 'nodes' | 'edges'>): Map<string, LayerPorts> {
  const used = new Map<string, { inputs: Set<string>; outputs: Set<string> }>();
  for (const node of network.nodes) used.set(node.id, { inputs: new Set(), outputs: new Set() });
  for (const edge of network.edges) {
    used.get(edge.source.node)?.outputs.add(edge.source.port);
    used.get(edge.target.node)?.inputs.add(edge.target.port);
  }
  const result = new Map<string, LayerPorts>();
  for (const node of network.nodes) {
    const fromEdges = used.get(node.id) ?? { inputs: new Set<string>(), outputs: new Set<string>() };
    const declared = registryPorts(node) ?? { inputs: fromEdges.inputs.size ? [] : [DEFAULT_INPUT_PORT], optional: [], outputs: fromEdges.outputs.size ? [] : [DEFAULT_OUTPUT_PORT] };
    result.set(node.id, {
      inputs: union(declared.inputs, fromEdges.inputs),
      optional: declared.optional,
      outputs: union(declared.outputs, fromEdges.outputs),
    });
  }
  return result;
}

const union = (declared: readonly string[], extra: ReadonlySet<string>): string[] => [...declared, ...[...extra].filter((p) => !declared.includes(p))];
