/**
 * @file Which ports a layer node shows. For now they are read off the network's edges, plus an
 * `in` and an `out` where the edges name none; the layer registry (core/layers) will replace this
 * function, and nothing else needs to change.
 */
import type { Network, ProjectNode } from '../../core/project/schema';

export interface LayerPorts {
  inputs: string[];
  outputs: string[];
}

export const DEFAULT_INPUT_PORT = 'in';
export const DEFAULT_OUTPUT_PORT = 'out';

/** Ports of every node in the network, keyed by node id. */
export function derivePorts(network: Pick<Network, 'nodes' | 'edges'>): Map<string, LayerPorts> {
  const ports = new Map<string, { inputs: Set<string>; outputs: Set<string> }>();
  for (const node of network.nodes) ports.set(node.id, { inputs: new Set(), outputs: new Set() });
  for (const edge of network.edges) {
    ports.get(edge.source.node)?.outputs.add(edge.source.port);
    ports.get(edge.target.node)?.inputs.add(edge.target.port);
  }
  const result = new Map<string, LayerPorts>();
  for (const node of network.nodes) {
    const used = ports.get(node.id);
    result.set(node.id, {
      inputs: used?.inputs.size ? [...used.inputs] : defaultInputs(node),
      outputs: used?.outputs.size ? [...used.outputs] : defaultOutputs(node),
    });
  }
  return result;
}

// Until the registry says so: data enters the graph at inputs, and a loss ends it.
const defaultInputs = (node: ProjectNode): string[] => (node.type === 'Input' ? [] : [DEFAULT_INPUT_PORT]);
const defaultOutputs = (node: ProjectNode): string[] => (/Loss$/.test(node.type) ? [] : [DEFAULT_OUTPUT_PORT]);
