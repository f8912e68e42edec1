/** @file The canvas conversion is lossless: every template's networks survive networkToFlow then flowToNetwork. */
import { describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES } from '../../core/contract/studio';
import { ProjectSchema, serializeProject, type Network } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { derivePorts } from '../../renderer/canvas/layerPorts';
import { flowToNetwork, LAYER_NODE_TYPE, networkToFlow } from '../../renderer/canvas/projectGraph';

const templates = TEMPLATE_NAMES.flatMap((name) => {
  const def = findTemplate(name);
  return def ? [def] : [];
});

describe('networkToFlow / flowToNetwork', () => {
  it('has templates to check', () => {
    expect(templates.length).toBeGreaterThanOrEqual(2);
  });

  for (const template of templates) {
    it(`round-trips every network of template ${template.name} unchanged`, () => {
      const project = ProjectSchema.parse(template.build('Round trip'));
      for (const network of project.networks) {
        const flow = networkToFlow(network);
        expect(flow.nodes).toHaveLength(network.nodes.length);
        expect(flow.edges).toHaveLength(network.edges.length);
        expect(flow.nodes.every((n) => n.type === LAYER_NODE_TYPE)).toBe(true);
        const back = flowToNetwork(network, flow.nodes, flow.edges);
        expect(back).toStrictEqual(network);
      }
      // Byte for byte, as the file would be written.
      const rebuilt = { ...project, networks: project.networks.map((n) => flowToNetwork(n, networkToFlow(n).nodes, networkToFlow(n).edges)) };
      expect(serializeProject(rebuilt)).toBe(serializeProject(project));
    });
  }

  const rich: Network = {
    id: 'g',
    name: 'Generator',
    nodes: [
      { id: 'z', type: 'Input', label: 'Noise', params: { shape: [64] }, position: { x: -12.5, y: 3.25 } },
      { id: 'cat', type: 'Concat', params: { axis: 1 }, position: { x: 200, y: 0 } },
      { id: 'c', type: 'Input', params: { shape: [10] }, position: { x: 0, y: 160 } },
      { id: 'split', type: 'Split', label: '', params: { parts: 2, nested: { a: [1, 2] } }, position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: { node: 'z', port: 'out' }, target: { node: 'cat', port: 'a' } },
      { id: 'e2', source: { node: 'c', port: 'out' }, target: { node: 'cat', port: 'b' } },
      { id: 'e3', source: { node: 'cat', port: 'out' }, target: { node: 'split', port: 'in' } },
    ],
    groups: [{ id: 'grp', name: 'Conditioning', nodeIds: ['z', 'c'], collapsed: true }],
  };

  it('keeps labels (even empty ones), named ports, nested params, fractional positions and groups', () => {
    const flow = networkToFlow(rich);
    expect(flowToNetwork(rich, flow.nodes, flow.edges)).toStrictEqual(rich);
    const cat = flow.nodes.find((n) => n.id === 'cat');
    expect(cat?.data.ports.inputs).toEqual(['a', 'b']);
    expect(flow.edges[0]).toMatchObject({ source: 'z', sourceHandle: 'out', target: 'cat', targetHandle: 'a' });
  });

  it('writes moved positions back to the network and nothing else', () => {
    const flow = networkToFlow(rich);
    const moved = flow.nodes.map((n) => (n.id === 'cat' ? { ...n, position: { x: 321, y: -45 }, selected: true, measured: { width: 176, height: 80 } } : n));
    const back = flowToNetwork(rich, moved, flow.edges);
    expect(back.nodes.find((n) => n.id === 'cat')?.position).toEqual({ x: 321, y: -45 });
    expect({ ...back, nodes: back.nodes.filter((n) => n.id !== 'cat') }).toStrictEqual({ ...rich, nodes: rich.nodes.filter((n) => n.id !== 'cat') });
    expect(back.nodes.find((n) => n.id === 'cat')).toStrictEqual({ ...rich.nodes[1], position: { x: 321, y: -45 } });
  });
});

describe('derivePorts', () => {
  it('reads ports off the edges and falls back to in/out, with no input on Input and no output on a loss', () => {
    const ports = derivePorts({
      nodes: [
        { id: 'x', type: 'Input', params: {}, position: { x: 0, y: 0 } },
        { id: 'd', type: 'Dense', params: {}, position: { x: 0, y: 0 } },
        { id: 'l', type: 'CrossEntropyLoss', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [],
    });
    expect(ports.get('x')).toEqual({ inputs: [], outputs: ['out'] });
    expect(ports.get('d')).toEqual({ inputs: ['in'], outputs: ['out'] });
    expect(ports.get('l')).toEqual({ inputs: ['in'], outputs: [] });
  });
});
