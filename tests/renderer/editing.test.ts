/**
 * @file Editing the document: undo and redo over a sequence of edits restore each state exactly;
 * copy/paste remaps ids and keeps internal edges; connections that would loop (or feed a node
 * itself, or a taken port) are refused with a reason; applying a diagnostic's fix clears it;
 * network add/rename/delete and groups are undoable edits too.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { validateNetwork } from '../../core/model';
import { ProjectSchema, type Network, type Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { copySelection, parseClipboard, pastePayload } from '../../renderer/graph/clipboard';
import { connectionProblem } from '../../renderer/graph/connection';
import { addNode, connect, createNode, removeElements, setParam } from '../../renderer/graph/edits';
import { applyFix } from '../../renderer/graph/fixes';
import { groupNodes } from '../../renderer/graph/groups';
import { addNetwork, deleteNetwork, renameNetwork } from '../../renderer/graph/networks';
import { emptyHistory } from '../../renderer/state/history';
import { selectActiveNetwork, useStudioStore } from '../../renderer/state/studioStore';

const mlp = (): Project => ProjectSchema.parse(findTemplate('mnist-mlp')?.build('Edits'));
const active = (): Network => {
  const n = selectActiveNetwork(useStudioStore.getState());
  if (!n) throw new Error('no active network');
  return n;
};
const project = (): Project => {
  const p = useStudioStore.getState().document?.project;
  if (!p) throw new Error('no document');
  return p;
};

/** A CNN whose Dense reads a 4-D tensor: the shape error the editor must offer to fix. */
function cnn(): Network {
  let n: Network = { id: 'net', name: 'CNN', nodes: [], edges: [], groups: [] };
  const add = (type: string, x: number, params?: Record<string, unknown>): string => {
    const node = createNode(n, type, { x, y: 0 }, params);
    n = addNode(n, node);
    return node.id;
  };
  const ids = [add('Input', 0, { shape: [1, 28, 28] }), add('Conv2D', 220), add('ReLU', 440), add('MaxPool2D', 660), add('Dense', 880, { units: 10 }), add('CrossEntropyLoss', 1100)];
  for (let i = 0; i + 1 < ids.length; i++) n = connect(n, { source: { node: ids[i] as string, port: 'out' }, target: { node: ids[i + 1] as string, port: 'in' } });
  return n;
}

beforeEach(() => {
  useStudioStore.setState({ document: null, activeNetworkId: null, history: emptyHistory() });
  useStudioStore.getState().openDocument({ path: '/ws/edits', project: mlp() });
});

describe('undo and redo', () => {
  it('restore each state exactly over add, connect, param change, delete and fix', () => {
    const store = useStudioStore.getState();
    const states: Project[] = [project()];
    const edit = (change: (n: Network) => Network, coalesce?: string): void => {
      store.editNetwork(change, coalesce ? { coalesce } : undefined);
      states.push(project());
    };

    const extra = createNode(active(), 'Dense', { x: 880, y: 300 }, { units: 10 });
    edit((n) => addNode(n, extra)); // add
    edit((n) => removeElements(n, new Set(), new Set(['e5']))); // free the loss input
    edit((n) => connect(n, { source: { node: extra.id, port: 'out' }, target: { node: 'loss', port: 'in' } })); // connect
    edit((n) => connect(n, { source: { node: 'relu', port: 'out' }, target: { node: extra.id, port: 'in' } }));
    edit((n) => setParam(n, 'hidden', 'units', 6), 'param:hidden:units'); // param change, typed in two keystrokes
    store.editNetwork((n) => setParam(n, 'hidden', 'units', 64), { coalesce: 'param:hidden:units' });
    states[states.length - 1] = project();
    edit((n) => removeElements(n, new Set(['logits']))); // delete
    edit((n) => removeElements(n, new Set(['flatten']))); // breaks the chain: Dense gets a 4-D tensor once reconnected
    edit((n) => connect(n, { source: { node: 'image', port: 'out' }, target: { node: 'hidden', port: 'in' } }));
    const diag = validateNetwork(active()).diagnostics.find((d) => d.code === 'E_SHAPE_RANK');
    expect(diag?.fix?.kind).toBe('insertLayer');
    if (!diag?.fix) return;
    const fixToApply = diag.fix;
    edit((n) => applyFix(n, fixToApply)); // fix
    expect(useStudioStore.getState().document?.dirty).toBe(true);

    // All the way back, one step at a time, each state exactly.
    for (let i = states.length - 2; i >= 0; i--) {
      store.undo();
      expect(project()).toStrictEqual(states[i]);
    }
    expect(project()).toBe(states[0]); // the very object: nothing changed, nothing dirty
    expect(useStudioStore.getState().document?.dirty).toBe(false);
    store.undo(); // nothing more to undo
    expect(project()).toBe(states[0]);

    // And forward again.
    for (let i = 1; i < states.length; i++) {
      store.redo();
      expect(project()).toStrictEqual(states[i]);
    }
    store.redo();
    expect(project()).toStrictEqual(states.at(-1));
  });

  it('a new edit after undo drops the redo branch; an edit that changes nothing records nothing', () => {
    const store = useStudioStore.getState();
    const before = project();
    store.editNetwork((n) => setParam(n, 'hidden', 'units', 10));
    store.undo();
    store.editNetwork((n) => setParam(n, 'hidden', 'units', 20));
    store.redo();
    expect(active().nodes.find((n) => n.id === 'hidden')?.params.units).toBe(20);
    store.editNetwork((n) => n);
    store.undo();
    expect(project()).toBe(before);
  });

  it('undoes network add, rename and delete, and brings back the tab that was shown', () => {
    const store = useStudioStore.getState();
    const added = addNetwork(project(), 'Discriminator');
    store.editProject(() => added.project, { activeNetworkId: added.networkId });
    expect(active().name).toBe('Discriminator');
    store.editProject((p) => renameNetwork(p, added.networkId, 'Critic'));
    const afterRename = project();
    store.editProject((p) => deleteNetwork(p, 'net') ?? p, { activeNetworkId: added.networkId });
    expect(project().networks.map((n) => n.id)).toEqual([added.networkId]);
    expect(project().training.networks.model).toBe(added.networkId);
    expect(deleteNetwork(project(), added.networkId)).toBeNull(); // never the last one
    store.undo();
    expect(project()).toStrictEqual(afterRename);
    store.undo();
    store.undo();
    expect(project().networks).toHaveLength(1);
    expect(useStudioStore.getState().activeNetworkId).toBe('net');
  });
});

describe('copy and paste', () => {
  it('remaps node, edge and group ids, keeps the internal edges and drops the ones leaving the selection', () => {
    const net = groupNodes(active(), ['hidden', 'relu'], 'Hidden block')?.network;
    if (!net) throw new Error('no group');
    const payload = copySelection(net, new Set(['hidden', 'relu', 'logits']));
    expect(payload?.nodes.map((n) => n.id)).toEqual(['hidden', 'relu', 'logits']);
    expect(payload?.edges.map((e) => e.id)).toEqual(['e3', 'e4']);
    // Through the clipboard's text, as between two projects.
    const parsed = parseClipboard(JSON.stringify(payload));
    if (!parsed) throw new Error('payload did not parse');
    const { network, nodeIds } = pastePayload(net, parsed, { x: 40, y: 40 });
    expect(nodeIds).toEqual(['hidden_2', 'relu_2', 'logits_2']);
    const pastedEdges = network.edges.slice(net.edges.length);
    expect(pastedEdges).toEqual([
      { id: 'e6', source: { node: 'hidden_2', port: 'out' }, target: { node: 'relu_2', port: 'in' } },
      { id: 'e7', source: { node: 'relu_2', port: 'out' }, target: { node: 'logits_2', port: 'in' } },
    ]);
    const hidden2 = network.nodes.find((n) => n.id === 'hidden_2');
    expect(hidden2?.position).toEqual({ x: 480, y: 160 });
    expect(hidden2?.params).toEqual(net.nodes.find((n) => n.id === 'hidden')?.params);
    expect(network.groups.map((g) => [g.name, g.nodeIds])).toEqual([
      ['Hidden block', ['hidden', 'relu']],
      ['Hidden block', ['hidden_2', 'relu_2']],
    ]);
    expect(new Set(network.groups.map((g) => g.id)).size).toBe(2);
    // The original is untouched.
    expect(network.nodes.slice(0, net.nodes.length)).toStrictEqual(net.nodes);
  });

  it('ignores clipboard text that is not a studio selection', () => {
    expect(parseClipboard('hello')).toBeNull();
    expect(parseClipboard(JSON.stringify({ format: 'brrr-clipboard', version: 1, nodes: [], edges: [] }))).toBeNull();
  });
});

describe('connections', () => {
  it('refuses a connection that makes a cycle, a self-loop, a taken port and unknown ports, and allows a good one', () => {
    const net = active();
    expect(connectionProblem(net, { source: { node: 'relu', port: 'out' }, target: { node: 'flatten', port: 'in' } })).toMatch(/taken|already fed/);
    const freed = removeElements(net, new Set(), new Set(['e1']));
    expect(connectionProblem(freed, { source: { node: 'logits', port: 'out' }, target: { node: 'flatten', port: 'in' } })).toMatch(/loop/);
    expect(connectionProblem(freed, { source: { node: 'flatten', port: 'out' }, target: { node: 'flatten', port: 'in' } })).toMatch(/itself/);
    expect(connectionProblem(freed, { source: { node: 'image', port: 'nope' }, target: { node: 'flatten', port: 'in' } })).toMatch(/no output/);
    expect(connectionProblem(freed, { source: { node: 'image', port: 'out' }, target: { node: 'image', port: 'in' } })).not.toBeNull();
    expect(connectionProblem(freed, { source: { node: 'image', port: 'out' }, target: { node: 'flatten', port: 'in' } })).toBeNull();
  });

  it('refuses integer ids into a float layer, naming the dtype problem', () => {
    let net = removeElements(active(), new Set(), new Set(['e1']));
    net = setParam(net, 'image', 'dtype', 'i32');
    expect(connectionProblem(net, { source: { node: 'image', port: 'out' }, target: { node: 'flatten', port: 'in' } })).toBeNull(); // Flatten passes dtypes through
    const dense = removeElements(net, new Set(['flatten']));
    expect(connectionProblem(dense, { source: { node: 'image', port: 'out' }, target: { node: 'hidden', port: 'in' } })).toMatch(/float/);
  });
});

describe('fixes', () => {
  it('inserting Flatten before a Dense on a 4-D tensor clears the shape error, as one undoable edit', () => {
    const store = useStudioStore.getState();
    store.editProject((p) => ({ ...p, networks: [cnn()] }), { activeNetworkId: 'net' });
    const before = project();
    const diag = validateNetwork(active(), { trained: true }).diagnostics.find((d) => d.code === 'E_SHAPE_RANK');
    expect(diag?.nodeId).toBe('dense');
    expect(diag?.fix).toMatchObject({ kind: 'insertLayer', layerType: 'Flatten' });
    if (!diag?.fix) return;
    const fixToApply = diag.fix;
    store.editNetwork((n) => applyFix(n, fixToApply));
    const after = validateNetwork(active(), { trained: true });
    expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(active().nodes.find((n) => n.type === 'Flatten')).toBeDefined();
    expect(after.nodes.dense?.inputs.in?.shape).toEqual(['B', 32 * 13 * 13]);
    store.undo();
    expect(project()).toBe(before);
  });

  it('adding the missing loss and fixing a channel count clear their diagnostics', () => {
    const noLoss = removeElements(cnn(), new Set(['crossentropyloss']));
    const missing = validateNetwork(noLoss, { trained: true }).diagnostics.find((d) => d.code === 'E_MISSING_LOSS');
    expect(missing?.fix?.kind).toBe('addLayer');
    if (!missing?.fix) return;
    const withLoss = applyFix(noLoss, missing.fix);
    expect(validateNetwork(withLoss, { trained: true }).diagnostics.some((d) => d.code === 'E_MISSING_LOSS')).toBe(false);

    const bad = setParam(cnn(), 'conv2d', 'groups', 5);
    const channels = validateNetwork(bad).diagnostics.find((d) => d.code === 'E_SHAPE_CHANNELS');
    expect(channels?.fix?.kind).toBe('setParam');
    if (!channels?.fix) return;
    expect(validateNetwork(applyFix(bad, channels.fix)).diagnostics.some((d) => d.code === 'E_SHAPE_CHANNELS')).toBe(false);
  });
});
