/**
 * @file Copy and paste of a selection: a versioned JSON payload (nodes, the edges between them,
 * the groups wholly inside) that travels through the system clipboard, so it also pastes into
 * another project. Pasting gives every node, edge and group a fresh id and keeps internal edges.
 */
import { z } from 'zod';
import { EdgeSchema, GroupSchema, NodeSchema, type Network, type NodeGroup, type ProjectEdge, type ProjectNode } from '../../core/project/schema';
import { freshEdgeId, freshId } from './ids';

export const CLIPBOARD_FORMAT = 'brrr-clipboard';

export const ClipboardSchema = z.object({
  format: z.literal(CLIPBOARD_FORMAT),
  version: z.literal(1),
  nodes: z.array(NodeSchema).min(1),
  edges: z.array(EdgeSchema),
  groups: z.array(GroupSchema).default([]),
});
export type ClipboardPayload = z.infer<typeof ClipboardSchema>;

/** The selected nodes, the edges between them and the groups wholly inside the selection. */
export function copySelection(network: Network, nodeIds: ReadonlySet<string>): ClipboardPayload | null {
  const nodes = network.nodes.filter((n) => nodeIds.has(n.id));
  if (nodes.length === 0) return null;
  const edges = network.edges.filter((e) => nodeIds.has(e.source.node) && nodeIds.has(e.target.node));
  const groups = network.groups.filter((g) => g.nodeIds.length > 0 && g.nodeIds.every((id) => nodeIds.has(id)));
  return { format: CLIPBOARD_FORMAT, version: 1, nodes, edges, groups };
}

/** Reads clipboard text; null when it is not a studio selection. */
export function parseClipboard(text: string): ClipboardPayload | null {
  try {
    const parsed = ClipboardSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface Pasted {
  network: Network;
  /** The ids the pasted nodes got, in payload order. */
  nodeIds: string[];
}

/** Adds the payload to the network with fresh ids, shifted by `offset`. */
export function pastePayload(network: Network, payload: ClipboardPayload, offset: { x: number; y: number }): Pasted {
  const takenNodes = new Set(network.nodes.map((n) => n.id));
  const nodeMap = new Map<string, string>();
  const nodes: ProjectNode[] = payload.nodes.map((n) => {
    const id = freshId(n.id, takenNodes);
    takenNodes.add(id);
    nodeMap.set(n.id, id);
    return { ...n, id, params: structuredClone(n.params), position: { x: Math.round(n.position.x + offset.x), y: Math.round(n.position.y + offset.y) } };
  });
  const takenEdges = new Set(network.edges.map((e) => e.id));
  const edges: ProjectEdge[] = [];
  for (const e of payload.edges) {
    const source = nodeMap.get(e.source.node);
    const target = nodeMap.get(e.target.node);
    if (!source || !target) continue;
    const id = freshEdgeId(takenEdges);
    takenEdges.add(id);
    edges.push({ id, source: { node: source, port: e.source.port }, target: { node: target, port: e.target.port } });
  }
  const takenGroups = new Set(network.groups.map((g) => g.id));
  const groups: NodeGroup[] = payload.groups.map((g) => {
    const id = freshId(g.id, takenGroups);
    takenGroups.add(id);
    return { ...g, id, nodeIds: g.nodeIds.map((n) => nodeMap.get(n)).filter((n): n is string => n !== undefined) };
  });
  return { network: { ...network, nodes: [...network.nodes, ...nodes], edges: [...network.edges, ...edges], groups: [...network.groups, ...groups] }, nodeIds: nodes.map((n) => n.id) };
}
