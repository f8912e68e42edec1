/**
 * @file Auto-layout with elkjs: the layered algorithm, left to right, with each node's ports
 * fixed on its sides in their order, so edges cross as little as the graph allows.
 */
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { Network, Position } from '../../core/project/schema';
import { derivePorts } from '../canvas/layerPorts';

export interface Size {
  width: number;
  height: number;
}

const elk = new ELK();

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  'elk.spacing.nodeNode': '40',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.edgeRouting': 'ORTHOGONAL',
};

/** New positions for every node, keeping the drawing's top-left corner where it was. */
export async function layoutNetwork(network: Network, sizeOf: (nodeId: string) => Size): Promise<Map<string, Position>> {
  if (network.nodes.length === 0) return new Map();
  const ports = derivePorts(network);
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: network.nodes.map((node) => {
      const p = ports.get(node.id) ?? { inputs: [], optional: [], outputs: [] };
      return {
        id: node.id,
        ...sizeOf(node.id),
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          ...p.inputs.map((port, i) => ({ id: `${node.id}\u0000in\u0000${port}`, layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(i) } })),
          ...p.outputs.map((port, i) => ({ id: `${node.id}\u0000out\u0000${port}`, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
        ],
      };
    }),
    edges: network.edges.map((e) => ({ id: e.id, sources: [`${e.source.node}\u0000out\u0000${e.source.port}`], targets: [`${e.target.node}\u0000in\u0000${e.target.port}`] })),
  };
  const laid = await elk.layout(graph);
  const x0 = Math.min(...network.nodes.map((n) => n.position.x));
  const y0 = Math.min(...network.nodes.map((n) => n.position.y));
  const positions = new Map<string, Position>();
  for (const child of laid.children ?? []) positions.set(child.id, { x: Math.round(x0 + (child.x ?? 0)), y: Math.round(y0 + (child.y ?? 0)) });
  return positions;
}
