/**
 * @file One-click fixes: the plain graph edit a diagnostic of core/model describes (insert a
 * layer on an edge, set a parameter, add a missing loss), applied to the network. The store
 * records the result as one undoable edit.
 */
import type { DiagnosticFix } from '../../core/model';
import type { Network, Position } from '../../core/project/schema';
import { addNode, connect, createNode, setParam } from './edits';

/** How far a fix pushes the layers downstream to make room for an inserted one. */
export const LAYER_SPACING = 220;

export function applyFix(network: Network, fix: DiagnosticFix): Network {
  switch (fix.kind) {
    case 'setParam':
      return network.nodes.some((n) => n.id === fix.nodeId) ? setParam(network, fix.nodeId, fix.param, fix.value) : network;
    case 'insertLayer': {
      const edge = network.edges.find((e) => e.id === fix.edgeId);
      const target = edge && network.nodes.find((n) => n.id === edge.target.node);
      if (!edge || !target) return network;
      const shifted = shiftDownstream(network, target.id, LAYER_SPACING);
      const node = createNode(shifted, fix.layerType, target.position, fix.params);
      const withNode = addNode({ ...shifted, edges: shifted.edges.filter((e) => e.id !== edge.id) }, node);
      const groups = withNode.groups.map((g) => (g.nodeIds.includes(edge.source.node) && g.nodeIds.includes(edge.target.node) ? { ...g, nodeIds: [...g.nodeIds, node.id] } : g));
      const a = connect({ ...withNode, groups }, { source: edge.source, target: { node: node.id, port: 'in' } });
      return connect(a, { source: { node: node.id, port: 'out' }, target: edge.target });
    }
    case 'addLayer': {
      const from = fix.connectFrom && network.nodes.find((n) => n.id === fix.connectFrom?.nodeId);
      const at: Position = from ? { x: from.position.x + LAYER_SPACING, y: from.position.y } : rightOf(network);
      const node = createNode(network, fix.layerType, at, fix.params);
      const added = addNode(network, node);
      return fix.connectFrom && from ? connect(added, { source: { node: fix.connectFrom.nodeId, port: fix.connectFrom.port }, target: { node: node.id, port: 'in' } }) : added;
    }
    default:
      return fix satisfies never;
  }
}

/** Moves `nodeId` and every node it feeds, directly or not, `dx` to the right. */
function shiftDownstream(network: Network, nodeId: string, dx: number): Network {
  const next = new Map<string, string[]>();
  for (const e of network.edges) next.set(e.source.node, [...(next.get(e.source.node) ?? []), e.target.node]);
  const moved = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop() as string;
    if (moved.has(id)) continue;
    moved.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return { ...network, nodes: network.nodes.map((n) => (moved.has(n.id) ? { ...n, position: { x: n.position.x + dx, y: n.position.y } } : n)) };
}

function rightOf(network: Network): Position {
  if (network.nodes.length === 0) return { x: 0, y: 0 };
  const x = Math.max(...network.nodes.map((n) => n.position.x)) + LAYER_SPACING;
  const y = network.nodes.reduce((s, n) => s + n.position.y, 0) / network.nodes.length;
  return { x, y: Math.round(y) };
}
