/**
 * @file The canvas view of a network and back. React Flow nodes and edges carry exactly what the
 * project holds (ids, layer types, labels, params, positions, port names, groups), so
 * `flowToNetwork(network, ...networkToFlow(network))` gives the network back unchanged. What the
 * analysis adds (shapes, counts, diagnostics) rides along in `view` and is never written back.
 *
 * Groups: an expanded group is a frame node drawn behind its members; a collapsed one is a single
 * node whose handles are its members' external ports (`member::port`), its members and the edges
 * inside hidden, and each edge crossing its border drawn a second time (`via:<edge id>`) to it.
 */
import type { Edge, Node } from '@xyflow/react';
import { formatShape } from '../../core/layers';
import type { Diagnostic, NetworkAnalysis } from '../../core/model';
import type { Network, NodeGroup, PortRef, ProjectEdge, ProjectNode } from '../../core/project/schema';
import { DEFAULT_INPUT_PORT, DEFAULT_OUTPUT_PORT, derivePorts, type LayerPorts } from './layerPorts';

export const LAYER_NODE_TYPE = 'layer';
export const GROUP_NODE_TYPE = 'block';
export const GROUP_ID_PREFIX = 'group:';
export const VIA_EDGE_PREFIX = 'via:';
const HANDLE_SEPARATOR = '::';

/** How big a layer card is taken to be before it is measured (group frames, layout). */
export const NODE_SIZE = { width: 164, height: 92 } as const;
const FRAME_PAD = 24;
const FRAME_TITLE = 30;

export interface Issue {
  severity: Diagnostic['severity'];
  message: string;
}

/** What the analysis says about one layer node. */
export interface LayerView {
  paramCount: number | null;
  flops: number | null;
  /** Output shape by port, as `[B, 784]`. */
  outShapes: Record<string, string>;
  issues: Issue[];
}

export type LayerNodeData = {
  layerType: string;
  label?: string;
  params: Record<string, unknown>;
  ports: LayerPorts;
  view?: LayerView;
};

export type GroupNodeData = {
  group: NodeGroup;
  /** Handle ids (`member::port`) of a collapsed group's external ports; empty when expanded. */
  ports: LayerPorts;
  /** Port captions by handle id. */
  portNames: Record<string, string>;
  size: { width: number; height: number };
  view?: { layers: number; paramCount: number; issues: number };
};

export type LayerFlowNode = Node<LayerNodeData, typeof LAYER_NODE_TYPE>;
export type GroupFlowNode = Node<GroupNodeData, typeof GROUP_NODE_TYPE>;
export type FlowNode = LayerFlowNode | GroupFlowNode;
export type LayerFlowEdge = Edge<{ of?: string }>;

export interface FlowGraph {
  nodes: FlowNode[];
  edges: LayerFlowEdge[];
}

export const groupNodeId = (groupId: string): string => `${GROUP_ID_PREFIX}${groupId}`;
export const isGroupNodeId = (id: string): boolean => id.startsWith(GROUP_ID_PREFIX);

/** The project port a canvas handle stands for (a collapsed group's handle names its member's port). */
export function resolveHandle(nodeId: string, handleId: string | null | undefined, fallback: string): PortRef {
  if (isGroupNodeId(nodeId) && handleId?.includes(HANDLE_SEPARATOR)) {
    const at = handleId.indexOf(HANDLE_SEPARATOR);
    return { node: handleId.slice(0, at), port: handleId.slice(at + HANDLE_SEPARATOR.length) };
  }
  return { node: nodeId, port: handleId ?? fallback };
}

/** The project edge a canvas edge stands for. */
export const edgeIdOf = (edge: Pick<LayerFlowEdge, 'id' | 'data'>): string => edge.data?.of ?? edge.id;

export function networkToFlow(network: Network, analysis?: NetworkAnalysis): FlowGraph {
  const ports = derivePorts(network);
  const collapsedOf = new Map<string, NodeGroup>();
  for (const g of network.groups) if (g.collapsed) for (const id of g.nodeIds) if (!collapsedOf.has(id)) collapsedOf.set(id, g);
  const views = analysis ? layerViews(network, analysis) : undefined;

  const layerNodes: LayerFlowNode[] = network.nodes.map((node) => {
    const flow = toFlowNode(node, ports.get(node.id) ?? { inputs: [], optional: [], outputs: [] });
    const view = views?.get(node.id);
    if (view) flow.data.view = view;
    if (collapsedOf.has(node.id)) flow.hidden = true;
    return flow;
  });
  const groupNodes = network.groups.map((g) => toGroupNode(network, g, ports, views));

  const edges: LayerFlowEdge[] = [];
  for (const edge of network.edges) {
    const flow = toFlowEdge(edge);
    const shape = analysis?.edges[edge.id]?.label;
    if (shape) flow.label = shape;
    const srcGroup = collapsedOf.get(edge.source.node);
    const dstGroup = collapsedOf.get(edge.target.node);
    if (srcGroup || dstGroup) {
      flow.hidden = true;
      edges.push(flow);
      if (srcGroup && dstGroup && srcGroup.id === dstGroup.id) continue;
      const via: LayerFlowEdge = {
        id: `${VIA_EDGE_PREFIX}${edge.id}`,
        source: srcGroup ? groupNodeId(srcGroup.id) : edge.source.node,
        sourceHandle: srcGroup ? `${edge.source.node}${HANDLE_SEPARATOR}${edge.source.port}` : edge.source.port,
        target: dstGroup ? groupNodeId(dstGroup.id) : edge.target.node,
        targetHandle: dstGroup ? `${edge.target.node}${HANDLE_SEPARATOR}${edge.target.port}` : edge.target.port,
        data: { of: edge.id },
      };
      if (shape) via.label = shape;
      edges.push(via);
    } else edges.push(flow);
  }
  return { nodes: [...groupNodes, ...layerNodes], edges };
}

/** Rebuild the network from the canvas; what the canvas does not draw (id, name) comes from `base`. */
export function flowToNetwork(base: Network, nodes: readonly FlowNode[], edges: readonly LayerFlowEdge[]): Network {
  const layerNodes = nodes.filter((n): n is LayerFlowNode => n.type === LAYER_NODE_TYPE);
  const groups = nodes.filter((n): n is GroupFlowNode => n.type === GROUP_NODE_TYPE).map((n) => n.data.group);
  return { ...base, nodes: layerNodes.map(toProjectNode), edges: edges.filter((e) => !e.data?.of).map(toProjectEdge), groups };
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

/** The box around a group's members, in flow units. */
export function groupBounds(network: Network, group: NodeGroup): { x: number; y: number; width: number; height: number } {
  const members = network.nodes.filter((n) => group.nodeIds.includes(n.id));
  if (members.length === 0) return { x: 0, y: 0, width: NODE_SIZE.width, height: NODE_SIZE.height };
  const x0 = Math.min(...members.map((n) => n.position.x));
  const y0 = Math.min(...members.map((n) => n.position.y));
  const x1 = Math.max(...members.map((n) => n.position.x + NODE_SIZE.width));
  const y1 = Math.max(...members.map((n) => n.position.y + NODE_SIZE.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function toGroupNode(network: Network, group: NodeGroup, ports: Map<string, LayerPorts>, views: Map<string, LayerView> | undefined): GroupFlowNode {
  const box = groupBounds(network, group);
  const members = new Set(group.nodeIds);
  const external: LayerPorts = { inputs: [], optional: [], outputs: [] };
  const portNames: Record<string, string> = {};
  if (group.collapsed) {
    const fedInside = new Set(network.edges.filter((e) => members.has(e.source.node) && members.has(e.target.node)).map((e) => `${e.target.node}${HANDLE_SEPARATOR}${e.target.port}`));
    const usedInside = new Set(network.edges.filter((e) => members.has(e.source.node) && members.has(e.target.node)).map((e) => `${e.source.node}${HANDLE_SEPARATOR}${e.source.port}`));
    const leaving = new Set(network.edges.filter((e) => members.has(e.source.node) && !members.has(e.target.node)).map((e) => `${e.source.node}${HANDLE_SEPARATOR}${e.source.port}`));
    for (const node of network.nodes) {
      if (!members.has(node.id)) continue;
      const p = ports.get(node.id);
      const name = node.label ?? node.id;
      for (const port of p?.inputs ?? []) {
        const handle = `${node.id}${HANDLE_SEPARATOR}${port}`;
        if (fedInside.has(handle)) continue;
        external.inputs.push(handle);
        if (p?.optional.includes(port)) external.optional.push(handle);
        portNames[handle] = `${name}.${port}`;
      }
      for (const port of p?.outputs ?? []) {
        const handle = `${node.id}${HANDLE_SEPARATOR}${port}`;
        if (usedInside.has(handle) && !leaving.has(handle)) continue;
        external.outputs.push(handle);
        portNames[handle] = `${name}.${port}`;
      }
    }
  }
  const memberViews = group.nodeIds.map((id) => views?.get(id));
  const data: GroupNodeData = {
    group,
    ports: external,
    portNames,
    size: group.collapsed ? { width: NODE_SIZE.width, height: NODE_SIZE.height } : { width: box.width + 2 * FRAME_PAD, height: box.height + FRAME_PAD + FRAME_TITLE },
  };
  if (views) {
    data.view = {
      layers: group.nodeIds.length,
      paramCount: memberViews.reduce((n, v) => n + (v?.paramCount ?? 0), 0),
      issues: memberViews.reduce((n, v) => n + (v?.issues.filter((i) => i.severity === 'error').length ?? 0), 0),
    };
  }
  const position = group.collapsed ? { x: box.x, y: box.y } : { x: box.x - FRAME_PAD, y: box.y - FRAME_TITLE };
  return { id: groupNodeId(group.id), type: GROUP_NODE_TYPE, position, data, zIndex: group.collapsed ? 0 : -1, ...(group.collapsed ? {} : { width: data.size.width, height: data.size.height }) };
}

function layerViews(network: Network, analysis: NetworkAnalysis): Map<string, LayerView> {
  const issues = new Map<string, Issue[]>();
  for (const d of analysis.diagnostics) {
    if (!d.nodeId) continue;
    issues.set(d.nodeId, [...(issues.get(d.nodeId) ?? []), { severity: d.severity, message: d.message }]);
  }
  const views = new Map<string, LayerView>();
  for (const node of network.nodes) {
    const a = analysis.nodes[node.id];
    const outShapes: Record<string, string> = {};
    for (const [port, t] of Object.entries(a?.outputs ?? {})) outShapes[port] = formatShape(t.shape);
    views.set(node.id, { paramCount: a ? a.paramCount : null, flops: a ? a.flops : null, outShapes, issues: issues.get(node.id) ?? [] });
  }
  return views;
}
