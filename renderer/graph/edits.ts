/**
 * @file Graph edits on one network, as pure functions `Network → Network`: add a layer, connect
 * two ports, delete nodes and edges, set a parameter or a label, move nodes. The store records
 * each result as one undoable step; nothing here knows about React or React Flow.
 */
import { layerByType } from '../../core/layers';
import type { Network, PortRef, Position, ProjectEdge, ProjectNode } from '../../core/project/schema';
import { freshEdgeId, freshId } from './ids';

export interface NewConnection {
  source: PortRef;
  target: PortRef;
}

/** A layer of `layerType` with its registry defaults, at `position`, under a fresh id. */
export function createNode(network: Network, layerType: string, position: Position, params?: Record<string, unknown>): ProjectNode {
  const layer = layerByType.get(layerType);
  const taken = new Set(network.nodes.map((n) => n.id));
  return {
    id: freshId(layerType, taken),
    type: layerType,
    params: { ...(layer?.defaults ?? {}), ...(params ?? {}) },
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
}

export function addNode(network: Network, node: ProjectNode): Network {
  return { ...network, nodes: [...network.nodes, node] };
}

export function connect(network: Network, connection: NewConnection): Network {
  const id = freshEdgeId(new Set(network.edges.map((e) => e.id)));
  const edge: ProjectEdge = { id, source: { ...connection.source }, target: { ...connection.target } };
  return { ...network, edges: [...network.edges, edge] };
}

/** Deletes the nodes (with every edge that touches them) and the edges; groups lose deleted members and vanish when empty. */
export function removeElements(network: Network, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string> = new Set()): Network {
  if (nodeIds.size === 0 && edgeIds.size === 0) return network;
  const nodes = network.nodes.filter((n) => !nodeIds.has(n.id));
  const edges = network.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source.node) && !nodeIds.has(e.target.node));
  const groups = network.groups
    .map((g) => (g.nodeIds.some((id) => nodeIds.has(id)) ? { ...g, nodeIds: g.nodeIds.filter((id) => !nodeIds.has(id)) } : g))
    .filter((g) => g.nodeIds.length > 0);
  return { ...network, nodes, edges, groups };
}

export function setParam(network: Network, nodeId: string, param: string, value: unknown): Network {
  return mapNode(network, nodeId, (n) => ({ ...n, params: { ...n.params, [param]: value } }));
}

/** An empty label removes it (the node shows its id). */
export function setLabel(network: Network, nodeId: string, label: string): Network {
  return mapNode(network, nodeId, ({ label: _old, ...rest }) => (label.trim() ? { ...rest, label: label.trim() } : rest));
}

export function moveNodes(network: Network, positions: ReadonlyMap<string, Position>): Network {
  if (!network.nodes.some((n) => positions.has(n.id))) return network;
  return {
    ...network,
    nodes: network.nodes.map((n) => {
      const p = positions.get(n.id);
      return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

function mapNode(network: Network, nodeId: string, change: (node: ProjectNode) => ProjectNode): Network {
  return { ...network, nodes: network.nodes.map((n) => (n.id === nodeId ? change(n) : n)) };
}
