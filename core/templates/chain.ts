/** @file A network from a straight chain of layers (each node's `out` feeds the next one's `in`), laid out left to right. */
import type { Network, ProjectNode } from '../project/schema';

export type Chain = [id: string, type: string, params: Record<string, unknown>][];

export function chainNetwork(id: string, name: string, chain: Chain, y = 120, spacing = 200): Network {
  return {
    id,
    name,
    nodes: chain.map(([nodeId, type, params], i): ProjectNode => ({ id: nodeId, type, params, position: { x: spacing * i, y } })),
    edges: chain.slice(1).map(([nodeId], i) => ({ id: `e${i + 1}`, source: { node: chain[i][0], port: 'out' }, target: { node: nodeId, port: 'in' } })),
    groups: [],
  };
}
