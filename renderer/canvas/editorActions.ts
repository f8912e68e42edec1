/**
 * @file What the editor can do to the network on the canvas, shared by shortcuts, the inspector,
 * the palette and buttons: add a layer, delete, copy, paste, duplicate, select all, group,
 * auto-layout, apply a fix. Each change is one undoable edit of the store.
 */
import type { DiagnosticFix } from '../../core/model';
import type { Position } from '../../core/project/schema';
import { copySelection, parseClipboard, pastePayload, type ClipboardPayload } from '../graph/clipboard';
import { addNode, createNode, removeElements } from '../graph/edits';
import { applyFix } from '../graph/fixes';
import { groupNodes } from '../graph/groups';
import { layoutNetwork, type Size } from '../graph/layout';
import { askText } from '../state/dialogStore';
import { notify } from '../state/noticeStore';
import { useSelectionStore } from '../state/selectionStore';
import { selectActiveNetwork, useStudioStore } from '../state/studioStore';
import { NODE_SIZE } from './projectGraph';

const PASTE_STEP = 40;

/** Kept too, for pages where the system clipboard is refused (no permission, no focus). */
let memoryClipboard: string | null = null;
let pasteCount = 0;

const active = () => selectActiveNetwork(useStudioStore.getState());
const selection = () => useSelectionStore.getState();

/** The nodes the selection covers: selected nodes plus the members of selected groups. */
export function selectedNodeIds(): Set<string> {
  const { nodeIds, groupIds } = selection();
  const ids = new Set(nodeIds);
  for (const g of active()?.groups ?? []) if (groupIds.has(g.id)) g.nodeIds.forEach((id) => ids.add(id));
  return ids;
}

export function addLayer(layerType: string, position: Position): string | null {
  const network = active();
  if (!network) return null;
  const node = createNode(network, layerType, position);
  useStudioStore.getState().editNetwork((n) => addNode(n, node));
  selection().select({ nodeIds: [node.id] });
  return node.id;
}

export function deleteSelection(): void {
  const nodeIds = selectedNodeIds();
  const { edgeIds, groupIds } = selection();
  if (nodeIds.size === 0 && edgeIds.size === 0 && groupIds.size === 0) return;
  useStudioStore.getState().editNetwork((n) => removeElements(n, nodeIds, edgeIds));
  selection().clear();
}

export async function copy(): Promise<boolean> {
  const network = active();
  const payload = network && copySelection(network, selectedNodeIds());
  if (!payload) return false;
  const text = JSON.stringify(payload);
  memoryClipboard = text;
  pasteCount = 0;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // The in-memory copy still pastes within this page.
  }
  return true;
}

export async function cut(): Promise<void> {
  if (await copy()) deleteSelection();
}

export async function paste(): Promise<void> {
  let payload: ClipboardPayload | null = null;
  try {
    payload = parseClipboard(await navigator.clipboard.readText());
  } catch {
    payload = null;
  }
  payload ??= memoryClipboard === null ? null : parseClipboard(memoryClipboard);
  if (!payload) return;
  pasteCount += 1;
  insertPayload(payload, PASTE_STEP * pasteCount);
}

/** Copy and paste in one step, without touching the clipboard. */
export function duplicate(): void {
  const network = active();
  const payload = network && copySelection(network, selectedNodeIds());
  if (payload) insertPayload(payload, PASTE_STEP);
}

function insertPayload(payload: ClipboardPayload, offset: number): void {
  const network = active();
  if (!network) return;
  const pasted = pastePayload(network, payload, { x: offset, y: offset });
  useStudioStore.getState().editNetwork(() => pasted.network);
  selection().select({ nodeIds: pasted.nodeIds });
}

export function selectAll(): void {
  const network = active();
  if (network) selection().select({ nodeIds: network.nodes.map((n) => n.id), edgeIds: network.edges.map((e) => e.id) });
}

export async function groupSelection(): Promise<void> {
  const network = active();
  const ids = [...selectedNodeIds()];
  if (!network || ids.length === 0) {
    notify('info', 'Select the layers to group first.');
    return;
  }
  const name = await askText({ title: 'Group layers', label: 'Block name', initial: `Block ${network.groups.length + 1}`, confirmLabel: 'Group' });
  if (name === null) return;
  const grouped = groupNodes(network, ids, name);
  if (!grouped) return;
  useStudioStore.getState().editNetwork(() => grouped.network);
  selection().select({ groupIds: [grouped.groupId] });
}

export function fix(fixToApply: DiagnosticFix, networkId?: string): void {
  const store = useStudioStore.getState();
  const network = networkId ? store.document?.project.networks.find((n) => n.id === networkId) : active();
  if (!network) return;
  store.editProject((project) => ({ ...project, networks: project.networks.map((n) => (n.id === network.id ? applyFix(n, fixToApply) : n)) }));
}

export async function autoLayout(sizeOf: (nodeId: string) => Size | undefined): Promise<void> {
  const network = active();
  if (!network || network.nodes.length === 0) return;
  try {
    const positions = await layoutNetwork(network, (id) => sizeOf(id) ?? NODE_SIZE);
    // The network may have changed while the layout ran: move only the nodes still there.
    useStudioStore.getState().editNetwork((n) => ({ ...n, nodes: n.nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position })) }));
  } catch (error) {
    notify('error', `Auto-layout failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
