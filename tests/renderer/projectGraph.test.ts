/**
 * @file The canvas conversion is lossless: every template's networks, a network with groups
 * (collapsed and expanded) and a project with several networks survive networkToFlow then
 * flowToNetwork, with or without the analysis drawn on them; ports come from the layer registry.
 */
import { describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES } from '../../core/contract/studio';
import { validateNetwork } from '../../core/model';
import { ProjectSchema, serializeProject, type Network, type Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { derivePorts } from '../../renderer/canvas/layerPorts';
import { flowToNetwork, GROUP_NODE_TYPE, groupNodeId, LAYER_NODE_TYPE, networkToFlow, resolveHandle } from '../../renderer/canvas/projectGraph';

const templates = TEMPLATE_NAMES.flatMap((name) => {
  const def = findTemplate(name);
  return def ? [def] : [];
});

const roundTrip = (network: Network, analysed = false): Network => {
  const flow = networkToFlow(network, analysed ? validateNetwork(network) : undefined);
  return flowToNetwork(network, flow.nodes, flow.edges);
};

const rich: Network = {
  id: 'g',
  name: 'Generator',
  nodes: [
    { id: 'z', type: 'Input', label: 'Noise', params: { shape: [64] }, position: { x: -12.5, y: 3.25 } },
    { id: 'c', type: 'Input', params: { shape: [10] }, position: { x: 0, y: 160 } },
    { id: 'cat', type: 'Concat', params: { axis: -1 }, position: { x: 200, y: 0 } },
    { id: 'd', type: 'Dense', params: { units: 32 }, position: { x: 400, y: 0 } },
    { id: 'r', type: 'ReLU', params: {}, position: { x: 600, y: 0 } },
    { id: 'split', type: 'Split', label: '', params: { parts: 2, nested: { a: [1, 2] } }, position: { x: 800, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: { node: 'z', port: 'out' }, target: { node: 'cat', port: 'in0' } },
    { id: 'e2', source: { node: 'c', port: 'out' }, target: { node: 'cat', port: 'in1' } },
    { id: 'e3', source: { node: 'cat', port: 'out' }, target: { node: 'd', port: 'in' } },
    { id: 'e4', source: { node: 'd', port: 'out' }, target: { node: 'r', port: 'in' } },
    { id: 'e5', source: { node: 'r', port: 'out' }, target: { node: 'split', port: 'x' } },
  ],
  groups: [
    { id: 'block', name: 'Dense block', nodeIds: ['d', 'r'], collapsed: true },
    { id: 'cond', name: 'Conditioning', nodeIds: ['z', 'c'], collapsed: false },
  ],
};

describe('networkToFlow / flowToNetwork', () => {
  it('has templates to check', () => {
    expect(templates.length).toBeGreaterThanOrEqual(2);
  });

  for (const template of templates) {
    it(`round-trips every network of template ${template.name} unchanged, with and without analysis`, () => {
      const project = ProjectSchema.parse(template.build('Round trip'));
      for (const network of project.networks) {
        const flow = networkToFlow(network);
        expect(flow.nodes).toHaveLength(network.nodes.length + network.groups.length);
        expect(flow.nodes.filter((n) => n.type === LAYER_NODE_TYPE)).toHaveLength(network.nodes.length);
        expect(roundTrip(network)).toStrictEqual(network);
        expect(roundTrip(network, true)).toStrictEqual(network);
      }
      // Byte for byte, as the file would be written.
      const rebuilt = { ...project, networks: project.networks.map((n) => roundTrip(n, true)) };
      expect(serializeProject(rebuilt)).toBe(serializeProject(project));
    });
  }

  it('keeps labels (even empty ones), unknown layers and ports, nested params, fractional positions and groups', () => {
    expect(roundTrip(rich)).toStrictEqual(rich);
    expect(roundTrip(rich, true)).toStrictEqual(rich);
  });

  it('round-trips a project with several networks (a generator and a discriminator)', () => {
    const base = ProjectSchema.parse(findTemplate('mnist-mlp')?.build('GAN-ish'));
    const project: Project = { ...base, networks: [...base.networks, { ...rich, id: 'gen', name: 'Generator' }, { ...rich, id: 'disc', name: 'Discriminator', groups: [] }] };
    const rebuilt = { ...project, networks: project.networks.map((n) => roundTrip(n, true)) };
    expect(serializeProject(rebuilt)).toBe(serializeProject(project));
  });

  it('draws a collapsed group as one node with its external ports, and hides its members', () => {
    const flow = networkToFlow(rich);
    const block = flow.nodes.find((n) => n.id === groupNodeId('block'));
    expect(block?.type).toBe(GROUP_NODE_TYPE);
    if (block?.type !== GROUP_NODE_TYPE) return;
    expect(block.data.ports.inputs).toEqual(['d::in']);
    expect(block.data.ports.outputs).toEqual(['r::out']);
    expect(flow.nodes.filter((n) => n.hidden).map((n) => n.id)).toEqual(['d', 'r']);
    const via = flow.edges.filter((e) => e.data?.of).map((e) => [e.data?.of, e.source, e.sourceHandle, e.target, e.targetHandle]);
    expect(via).toEqual([
      ['e3', 'cat', 'out', groupNodeId('block'), 'd::in'],
      ['e5', groupNodeId('block'), 'r::out', 'split', 'x'],
    ]);
    expect(resolveHandle(groupNodeId('block'), 'd::in', 'in')).toEqual({ node: 'd', port: 'in' });
    expect(resolveHandle('d', 'in', 'x')).toEqual({ node: 'd', port: 'in' });
  });

  it('writes moved positions back to the network and nothing else', () => {
    const flow = networkToFlow(rich);
    const moved = flow.nodes.map((n) => (n.id === 'cat' ? { ...n, position: { x: 321, y: -45 }, selected: true, measured: { width: 176, height: 80 } } : n));
    const back = flowToNetwork(rich, moved, flow.edges);
    expect(back.nodes.find((n) => n.id === 'cat')).toStrictEqual({ ...rich.nodes[2], position: { x: 321, y: -45 } });
    expect({ ...back, nodes: back.nodes.filter((n) => n.id !== 'cat') }).toStrictEqual({ ...rich, nodes: rich.nodes.filter((n) => n.id !== 'cat') });
  });

  it('carries shapes, counts and problems from core/model into the view, on nodes and edge labels', () => {
    const network = ProjectSchema.parse(findTemplate('mnist-mlp')?.build('x')).networks[0];
    if (!network) throw new Error('no network');
    const flow = networkToFlow(network, validateNetwork(network, { trained: true }));
    const hidden = flow.nodes.find((n) => n.id === 'hidden');
    expect(hidden?.type === LAYER_NODE_TYPE && hidden.data.view).toMatchObject({ paramCount: 784 * 256 + 256, outShapes: { out: '[B, 256]' }, issues: [] });
    expect(flow.edges.find((e) => e.id === 'e2')?.label).toBe('[B, 784]');
  });
});

describe('derivePorts', () => {
  it('reads the ports from the layer registry: no input on Input, an optional target on a loss, n inputs on Concat', () => {
    const ports = derivePorts({
      nodes: [
        { id: 'x', type: 'Input', params: {}, position: { x: 0, y: 0 } },
        { id: 'd', type: 'Dense', params: {}, position: { x: 0, y: 0 } },
        { id: 'l', type: 'CrossEntropyLoss', params: {}, position: { x: 0, y: 0 } },
        { id: 'c', type: 'Concat', params: { inputs: 3 }, position: { x: 0, y: 0 } },
      ],
      edges: [],
    });
    expect(ports.get('x')).toEqual({ inputs: [], optional: [], outputs: ['out'] });
    expect(ports.get('d')).toEqual({ inputs: ['in'], optional: [], outputs: ['out'] });
    expect(ports.get('l')).toEqual({ inputs: ['in', 'target'], optional: ['target'], outputs: ['out'] });
    expect(ports.get('c')?.inputs).toEqual(['in0', 'in1', 'in2']);
  });

  it('keeps ports named by edges, and reads an unknown layer off its edges', () => {
    const ports = derivePorts({
      nodes: [
        { id: 'd', type: 'Dense', params: {}, position: { x: 0, y: 0 } },
        { id: 'u', type: 'Mystery', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [{ id: 'e', source: { node: 'd', port: 'extra' }, target: { node: 'u', port: 'a' } }],
    });
    expect(ports.get('d')?.outputs).toEqual(['out', 'extra']);
    expect(ports.get('u')).toEqual({ inputs: ['a'], optional: [], outputs: ['out'] });
  });
});
