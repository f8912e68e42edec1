/**
 * @file analyzeProject / validateNetwork on the templates (no errors, known parameter counts and
 * FLOPs, symbolic batch on every edge) and under fuzzing (random edits never make them throw).
 */
import { describe, expect, test } from 'vitest';
import { layers } from '../../core/layers';
import { analyzeProject, validateNetwork } from '../../core/model';
import type { Network, Project } from '../../core/project/schema';
import { findTemplate, templateInfos } from '../../core/templates';
import { mnistCnn } from '../../core/templates/mnistCnn';
import { rng } from '../support/rng';

const build = (name: string): Project => {
  const t = findTemplate(name);
  if (!t) throw new Error(`no template ${name}`);
  return t.build('test');
};

describe('templates', () => {
  const available = templateInfos().filter((t) => t.available);
  test.each(available.map((t) => t.name))('%s analyzes with no diagnostics', (name) => {
    const a = analyzeProject(build(name));
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.params).toBeGreaterThan(0);
    expect(a.totals.flops).toBeGreaterThan(0);
  });

  test('mnist-cnn analyzes with no diagnostics', () => {
    const a = analyzeProject(mnistCnn.build('cnn'));
    expect(a.diagnostics).toEqual([]);
    const net = Object.values(a.networks)[0];
    expect(net.edges.e7.label).toBe('[B, 32, 7, 7]');
    // 1·16·9+16 + 16·32·9+32 + 1568·64+64 + 64·10+10
    expect(net.totals.params).toBe(160 + 4640 + 100416 + 650);
  });

  test('mnist-mlp: 203,530 parameters, FLOPs per node, shapes with a symbolic batch', () => {
    const a = analyzeProject(build('mnist-mlp'));
    const net = Object.values(a.networks)[0];
    expect(net.totals.params).toBe(203_530);
    expect(net.nodes.hidden.paramCount).toBe(784 * 256 + 256);
    expect(net.nodes.logits.paramCount).toBe(256 * 10 + 10);
    // two multiply-adds chains: 2·784·256 + 2·256·10, plus the cheap layers
    expect(net.nodes.hidden.flops).toBe(2 * 784 * 256);
    expect(net.nodes.logits.flops).toBe(2 * 256 * 10);
    expect(net.totals.flops).toBeGreaterThanOrEqual(2 * 784 * 256 + 2 * 256 * 10);
    expect(Object.values(net.edges).map((e) => e.label)).toEqual(['[B, 1, 28, 28]', '[B, 784]', '[B, 256]', '[B, 256]', '[B, 10]']);
    expect(net.nodes.loss.outputs.out.shape).toEqual([]);
    expect(net.nodes.loss.fields.target).toEqual({ field: 'label', shape: ['B'], dtype: 'i32' });
    expect(net.nodes.image.fields.data).toEqual({ field: 'image', shape: ['B', 1, 28, 28], dtype: 'f32' });
    expect(net.order).toEqual(['image', 'flatten', 'hidden', 'relu', 'logits', 'loss']);
  });

  test('messages name the node and say what to do', () => {
    const p = build('mnist-mlp');
    const net = p.networks[0];
    const noFlatten: Network = {
      ...net,
      nodes: net.nodes.filter((n) => n.id !== 'flatten'),
      edges: [{ id: 'e0', source: { node: 'image', port: 'out' }, target: { node: 'hidden', port: 'in' } }, ...net.edges.filter((e) => e.source.node !== 'image' && e.source.node !== 'flatten')],
    };
    const d = validateNetwork(noFlatten, { trained: true }).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0].message).toBe('Dense "hidden" needs [batch, features] (or [batch, time, features]) but receives [B, 1, 28, 28]: insert Flatten.');
    expect(d[0].fix).toEqual({ kind: 'insertLayer', label: 'Insert Flatten', edgeId: 'e0', layerType: 'Flatten', params: {} });
  });
});

const junk = [0, -1, 1.5, 1e9, NaN, 'x', '', true, null, [], [0], [3, -2], [1, 28, 28], {}, { a: 1 }];

describe('fuzz: never throws', () => {
  test('random edits of the templates', () => {
    const r = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const types = layers.map((l) => l.type);
    for (let i = 0; i < 400; i++) {
      const p = structuredClone(build(pick(['mnist-mlp', 'neuron'])));
      const net = p.networks[0];
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
        const node = pick(net.nodes);
        const edge = pick(net.edges);
        switch (Math.floor(r() * 8)) {
          case 0: node.type = pick(types); break;
          case 1: node.params = { ...node.params, [pick(['units', 'shape', 'rate', 'filters', 'inputs', 'axis', 'heads', 'kind'])]: pick(junk) }; break;
          case 2: edge.target = { node: pick(net.nodes).id, port: pick(['in', 'in0', 'in1', 'target', 'x']) }; break;
          case 3: edge.source = { node: pick(net.nodes).id, port: pick(['out', 'in']) }; break;
          case 4: net.nodes.push({ ...node, id: pick([node.id, `n${i}`]) }); break;
          case 5: net.edges.splice(net.edges.indexOf(edge), 1); break;
          case 6: net.nodes.splice(net.nodes.indexOf(node), 1); break;
          default: net.edges.push({ id: `x${k}`, source: { node: pick(net.nodes).id, port: 'out' }, target: { node: pick(net.nodes).id, port: 'in' } });
        }
      }
      const a = analyzeProject(p);
      expect(Array.isArray(a.diagnostics)).toBe(true);
      for (const d of a.diagnostics) expect(typeof d.message).toBe('string');
    }
  });

  test('garbage documents and networks', () => {
    const r = rng(11);
    const docs: unknown[] = [undefined, null, 0, 'nope', '{', '[]', {}, { format: 'brrr-project', version: 1 }, { networks: 5 }];
    for (const d of docs) expect(analyzeProject(d).diagnostics.length).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) {
      const garbage = { id: 'n', name: 'n', nodes: [{ id: 'a', type: 'Dense', params: junk[Math.floor(r() * junk.length)], position: { x: 0, y: 0 } }], edges: [{ id: 'e', source: { node: 'a', port: 'out' }, target: { node: 'a', port: 'in' } }], groups: [] };
      expect(() => validateNetwork(garbage as unknown as Network)).not.toThrow();
    }
    expect(() => validateNetwork(null as unknown as Network)).not.toThrow();
  });
});
