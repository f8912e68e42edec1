/**
 * @file The canvas for one network. The network in the store is drawn as it is; the canvas only
 * keeps what React Flow needs between edits (measured sizes, positions while a drag is under way)
 * and the selection (in the selection store). Every change is an edit of the store: a move when
 * the drag ends (one undo step), a connection when it is accepted (`isValidConnection` refuses
 * self-loops, loops, taken ports and wrong dtypes, saying why), a layer when one is dropped.
 */
import { memo, useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type NodeTypes,
  type XYPosition,
} from '@xyflow/react';
import type { Network } from '../../core/project/schema';
import { connectionProblem } from '../graph/connection';
import { connect, moveNodes } from '../graph/edits';
import { useNetworkAnalysis } from '../state/analysis';
import { notify } from '../state/noticeStore';
import { useSelectionStore } from '../state/selectionStore';
import { useStudioStore } from '../state/studioStore';
import { addLayer } from './editorActions';
import { GroupNode } from './GroupNode';
import { DEFAULT_INPUT_PORT, DEFAULT_OUTPUT_PORT } from './layerPorts';
import { CATEGORY_ACCENT, layerCategory } from './layerLook';
import { LayerNode } from './LayerNode';
import { edgeIdOf, GROUP_ID_PREFIX, GROUP_NODE_TYPE, groupNodeId, isGroupNodeId, LAYER_NODE_TYPE, networkToFlow, resolveHandle, type FlowNode, type LayerFlowEdge } from './projectGraph';

export const LAYER_DRAG_TYPE = 'application/x-brrr-layer';

const nodeTypes = { [LAYER_NODE_TYPE]: LayerNode, [GROUP_NODE_TYPE]: GroupNode } satisfies NodeTypes;
const fitViewOptions = { padding: 0.15, maxZoom: 1.1 };
const proOptions = { hideAttribution: true };
const minimapNodeColor = (node: FlowNode): string => (node.type === LAYER_NODE_TYPE ? CATEGORY_ACCENT[layerCategory(node.data.layerType)] : 'transparent');

type Size = { width: number; height: number };

function NetworkCanvasView({ network }: { network: Network }) {
  const editNetwork = useStudioStore((s) => s.editNetwork);
  const analysis = useNetworkAnalysis(network.id);
  const { nodeIds: selectedNodes, edgeIds: selectedEdges, groupIds: selectedGroups, connectionHint } = useSelectionStore();
  const flow = useReactFlow<FlowNode, LayerFlowEdge>();
  const [measured, setMeasured] = useState<ReadonlyMap<string, Size>>(new Map());
  const [dragging, setDragging] = useState<ReadonlyMap<string, XYPosition>>(new Map());
  const latest = useRef({ network, dragging });
  latest.current = { network, dragging };

  const graph = useMemo(() => networkToFlow(network, analysis), [network, analysis]);
  const nodes = useMemo<FlowNode[]>(
    () =>
      graph.nodes.map((node) => {
        const selected = isGroupNodeId(node.id) ? selectedGroups.has(node.id.slice(GROUP_ID_PREFIX.length)) : selectedNodes.has(node.id);
        const position = dragging.get(node.id) ?? node.position;
        const size = measured.get(node.id);
        return { ...node, position, selected, ...(size ? { measured: size } : {}) } as FlowNode;
      }),
    [graph, selectedNodes, selectedGroups, dragging, measured],
  );
  const edges = useMemo<LayerFlowEdge[]>(
    () =>
      graph.edges.map((edge) => {
        const id = edgeIdOf(edge);
        const bad = analysis?.diagnostics.some((d) => d.edgeId === id && d.severity === 'error');
        return { ...edge, selected: selectedEdges.has(id), ...(bad ? { className: 'has-error' } : {}) };
      }),
    [graph, selectedEdges, analysis],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const { network: net, dragging: drag } = latest.current;
      const sizes = new Map<string, Size>();
      const moving = new Map(drag);
      const ended = new Map<string, XYPosition>();
      let selection: { add: string[]; remove: string[] } | null = null;
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) sizes.set(c.id, c.dimensions);
        else if (c.type === 'position' && c.position) {
          const p = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
          if (c.dragging) moving.set(c.id, p);
          else ended.set(c.id, p);
        } else if (c.type === 'select') {
          selection ??= { add: [], remove: [] };
          (c.selected ? selection.add : selection.remove).push(c.id);
        }
      }
      if (sizes.size) setMeasured((m) => new Map([...m, ...sizes]));
      if (selection) {
        const s = useSelectionStore.getState();
        const nodeIds = new Set(s.nodeIds);
        const groupIds = new Set(s.groupIds);
        for (const id of selection.remove) (isGroupNodeId(id) ? groupIds : nodeIds).delete(isGroupNodeId(id) ? id.slice(GROUP_ID_PREFIX.length) : id);
        for (const id of selection.add) (isGroupNodeId(id) ? groupIds : nodeIds).add(isGroupNodeId(id) ? id.slice(GROUP_ID_PREFIX.length) : id);
        s.select({ nodeIds, groupIds, edgeIds: s.edgeIds });
      }
      // A dragged group carries its members along.
      const follow = (positions: Map<string, XYPosition>, own: ReadonlySet<string>): void => {
        for (const group of net.groups) {
          const p = positions.get(groupNodeId(group.id));
          if (!p) continue;
          const base = graphPosition(net, group.id);
          const dx = p.x - base.x;
          const dy = p.y - base.y;
          for (const id of group.nodeIds) {
            const node = net.nodes.find((n) => n.id === id);
            if (node && !own.has(id)) positions.set(id, { x: node.position.x + dx, y: node.position.y + dy });
          }
        }
      };
      if (ended.size) {
        const all = new Map([...moving, ...ended]);
        follow(all, new Set(changes.filter((c) => c.type === 'position').map((c) => (c.type === 'position' ? c.id : ''))));
        const layerMoves = new Map([...all].filter(([id]) => !isGroupNodeId(id)));
        setDragging(new Map());
        editNetwork((n) => moveNodes(n, layerMoves));
      } else if (changes.some((c) => c.type === 'position')) {
        follow(moving, new Set(changes.map((c) => (c.type === 'position' ? c.id : ''))));
        setDragging(moving);
      }
    },
    [editNetwork],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<LayerFlowEdge>[]) => {
    const s = useSelectionStore.getState();
    const edgeIds = new Set(s.edgeIds);
    let changed = false;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      const id = c.id.startsWith('via:') ? c.id.slice(4) : c.id;
      if (c.selected) edgeIds.add(id);
      else edgeIds.delete(id);
      changed = true;
    }
    if (changed) s.select({ nodeIds: s.nodeIds, groupIds: s.groupIds, edgeIds });
  }, []);

  const toProject = (c: Connection | LayerFlowEdge) => ({
    source: resolveHandle(c.source, c.sourceHandle, DEFAULT_OUTPUT_PORT),
    target: resolveHandle(c.target, c.targetHandle, DEFAULT_INPUT_PORT),
  });

  const isValidConnection = useCallback<IsValidConnection<LayerFlowEdge>>((c) => {
    const problem = connectionProblem(latest.current.network, toProject(c));
    useSelectionStore.getState().setConnectionHint(problem);
    return problem === null;
  }, []);

  const onConnect = useCallback(
    (c: Connection) => {
      const wanted = toProject(c);
      if (connectionProblem(latest.current.network, wanted) === null) editNetwork((n) => connect(n, wanted));
    },
    [editNetwork],
  );

  const onConnectStart = useCallback(() => useSelectionStore.getState().setConnectionHint(null), []);
  const onConnectEnd = useCallback((_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    const hint = useSelectionStore.getState().connectionHint;
    if (state.toHandle && !state.isValid && hint) notify('error', `Connection refused: ${hint}`);
    useSelectionStore.getState().setConnectionHint(null);
  }, []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(LAYER_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const layerType = event.dataTransfer.getData(LAYER_DRAG_TYPE);
      if (!layerType) return;
      event.preventDefault();
      const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addLayer(layerType, { x: p.x - 90, y: p.y - 30 });
    },
    [flow],
  );

  const onPaneClick = useCallback(() => useSelectionStore.getState().clear(), []);

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<FlowNode, LayerFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onPaneClick={onPaneClick}
        colorMode="dark"
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.15}
        maxZoom={2.5}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        connectionRadius={24}
        proOptions={proOptions}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <Controls showInteractive={false} />
        <MiniMap<FlowNode> pannable zoomable nodeColor={minimapNodeColor} nodeStrokeWidth={0} nodeBorderRadius={3} />
      </ReactFlow>
      {connectionHint && (
        <div className="connection-hint" role="status" data-testid="connection-hint">
          {connectionHint}
        </div>
      )}
    </div>
  );
}

/** Where the canvas draws a group node before any drag (see projectGraph). */
function graphPosition(network: Network, groupId: string): XYPosition {
  return networkToFlow({ ...network, groups: network.groups.filter((g) => g.id === groupId) }).nodes.find((n) => n.id === groupNodeId(groupId))?.position ?? { x: 0, y: 0 };
}

export const NetworkCanvas = memo(NetworkCanvasView);
