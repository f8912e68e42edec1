/**
 * @file The canvas for one network. React Flow keeps its working copy of the nodes (selection,
 * measured sizes, positions mid-drag); when a move ends, the network is rebuilt from the canvas
 * and written to the project. Mounted afresh (by key) whenever another document or network is shown.
 */
import { memo, useCallback, useRef, useState } from 'react';
import { applyEdgeChanges, applyNodeChanges, Background, BackgroundVariant, Controls, MiniMap, ReactFlow, type EdgeChange, type NodeChange, type NodeTypes } from '@xyflow/react';
import type { Network } from '../../core/project/schema';
import { useStudioStore } from '../state/studioStore';
import { LayerNode } from './LayerNode';
import { FAMILY_ACCENT, layerFamily } from './layerLook';
import { flowToNetwork, LAYER_NODE_TYPE, networkToFlow, type LayerFlowEdge, type LayerFlowNode } from './projectGraph';

const nodeTypes = { [LAYER_NODE_TYPE]: LayerNode } satisfies NodeTypes;
const fitViewOptions = { padding: 0.12, maxZoom: 1.1 };
const proOptions = { hideAttribution: true };
const minimapNodeColor = (node: LayerFlowNode): string => FAMILY_ACCENT[layerFamily(node.data.layerType)];

function NetworkCanvasView({ network }: { network: Network }) {
  const replaceNetwork = useStudioStore((s) => s.replaceNetwork);
  const [initial] = useState(() => networkToFlow(network));
  const [nodes, setNodes] = useState<LayerFlowNode[]>(initial.nodes);
  const [edges, setEdges] = useState<LayerFlowEdge[]>(initial.edges);
  const latest = useRef({ network, nodes, edges });
  latest.current = { network, nodes, edges };

  const onNodesChange = useCallback(
    (changes: NodeChange<LayerFlowNode>[]) => {
      const current = latest.current;
      const next = applyNodeChanges(changes.map(toWholePixels), current.nodes);
      latest.current = { ...current, nodes: next };
      setNodes(next);
      // Mid-drag moves stay on the canvas; the document changes once, when the move ends.
      const moveEnded = changes.some((c) => c.type === 'position' && c.position && !c.dragging);
      if (moveEnded && positionsChanged(current.network, next)) replaceNetwork(flowToNetwork(current.network, next, current.edges));
    },
    [replaceNetwork],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<LayerFlowEdge>[]) => {
    setEdges((current) => applyEdgeChanges(changes, current));
  }, []);

  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow<LayerFlowNode, LayerFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        colorMode="dark"
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.2}
        maxZoom={2.5}
        nodesConnectable={false}
        deleteKeyCode={null}
        proOptions={proOptions}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <Controls showInteractive={false} />
        <MiniMap<LayerFlowNode> pannable zoomable nodeColor={minimapNodeColor} nodeStrokeWidth={0} nodeBorderRadius={3} />
      </ReactFlow>
    </div>
  );
}

/** Moves land on whole flow units: the file stays readable and the canvas matches it exactly. */
function toWholePixels(change: NodeChange<LayerFlowNode>): NodeChange<LayerFlowNode> {
  if (change.type !== 'position' || !change.position) return change;
  return { ...change, position: { x: Math.round(change.position.x), y: Math.round(change.position.y) } };
}

function positionsChanged(network: Network, nodes: readonly LayerFlowNode[]): boolean {
  const before = new Map(network.nodes.map((n) => [n.id, n.position]));
  return nodes.some((n) => {
    const old = before.get(n.id);
    return !old || old.x !== n.position.x || old.y !== n.position.y;
  });
}

export const NetworkCanvas = memo(NetworkCanvasView);
