/**
 * @file The canvas view of a network and back. React Flow nodes and edges carry exactly what the
 * project holds (ids, layer types, labels, params, positions, port names), so
 * `flowToNetwork(network, ...networkToFlow(network))` gives the network back unchanged.
 */
import type { Edge, Node } from '@xyflow/react';
import type { Network, ProjectEdge, ProjectNode } from '../../core/project/schema';
import { DEFAULT_INPUT_PORT, DEFAULT_OUTPUT_PORT, derivePorts, type LayerPorts } from './layerPorts';

export const LAYER_NODE_TYPE = 'layer';

export type LayerNodeData = {
  layerType: string;
  label?: string;
  params: Record<string, unknown>;
  ports: LayerPorts;
};

export type LayerFlowNode = Node<LayerNodeData, typeof LAYER_NODE_TYPE>;
export type LayerFlowEdge = Edge;

export interface FlowGraph {
  nodes: LayerFlowNode[];
  edges: LayerFlowEdge[];
}

export function networkToFlow(network: Network): FlowGraph {
  const ports = derivePorts(network);
  return {
    nodes: network.nodes.map((node) => toFlowNode(node, ports.get(node.id) ?? { inputs: [], outputs: [] })),
    edges: network.edges.map(toFlowEdge),
  };
}

/** Rebuild the network from the canvas; what the canvas does not draw (id, name, groups) comes from `base`. */
export function flowToNetwork(base: Network, nodes: readonly LayerFlowNode[], edges: readonly LayerFlowEdge[]): Network {
  return { ...base, nodes: nodes.map(toProjectNode), edges: edges.map(toProjectEdge) };
}

function toFlowNode(node: ProjectNode, ports: LayerPorts): LayerFlowNode {
  const data: LayerNodeData = { layerType: node.type, params: node.params, ports };
  if (node.label !== undefined) data.label = node.label;
  return { id: node.id, type: LAYER_NODE_TYPE, position: { x: node.position.x, y: node.position.y }, data };
}

function toProjectNode(node: LayerFlowNode): ProjectNode {
  const { layerType, label, params } = node.data;
  // Key order as in the schema, so a saved file diffs cleanly.
  return { id: node.id, type: layerType, ...(label !== undefined && { label }), params, position: { x: node.position.x, y: node.position.y } };
}

function toFlowEdge(edge: ProjectEdge): LayerFlowEdge {
  return { id: edge.id, source: edge.source.node, sourceHandle: edge.source.port, target: edge.target.node, targetHandle: edge.target.port };
}

function toProjectEdge(edge: LayerFlowEdge): ProjectEdge {
  return {
    id: edge.id,
    source: { node: edge.source, port: edge.sourceHandle ?? DEFAULT_OUTPUT_PORT },
    target: { node: edge.target, port: edge.targetHandle ?? DEFAULT_INPUT_PORT },
  };
}
