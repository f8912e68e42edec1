/**
 * @file traceNetwork: the templates and the valid fixture projects trace into graphs whose node
 * shapes match shape inference, with fields, parameters (named `${nodeId}.${weight}`), state and
 * the summed loss; the mnist-mlp graph compiles, runs and differentiates on the CPU backend.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { grad } from '../../core/autograd';
import { compile } from '../../core/compile';
import { concreteShape } from '../../core/layers';
import { analyzeProject, traceNetwork } from '../../core/model';
import { parseProjectText } from '../../core/project';
import type { Network } from '../../core/project/schema';
import { findTemplate } from '../../core/templates';
import { chainNetwork } from '../../core/templates/chain';
import { fillRandom } from '../../core/random';

const dir = join(__dirname, '../fixtures/projects');
const networksOf = (file: string): Network[] => {
  const parsed = parseProjectText(readFileSync(join(dir, file), 'utf8'));
  if (!parsed.ok) throw new Error(file);
  return parsed.project.networks;
};
const valid = readdirSync(dir).filter((f) => f.startsWith('ok-'));

describe('traceNetwork', () => {
  test.each([...valid, 'template:mnist-mlp', 'template:neuron'])('%s: traced shapes equal inferred shapes', (file) => {
    const net = file.startsWith('template:') ? findTemplate(file.slice(9))!.build('t').networks[0] : networksOf(file)[0];
    for (const training of [true, false]) {
      const r = traceNetwork(net, { training, batchSize: 3 });
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      const { traced } = r;
      for (const id of traced.analysis.order) {
        for (const [port, t] of Object.entries(traced.analysis.nodes[id].outputs)) {
          expect(traced.shapes[id][port], `${id}.${port}`).toEqual(concreteShape(t.shape, 3));
        }
      }
      expect(traced.loss).toBe('loss');
      expect(traced.graph.outputs.map((o) => o.name)).toContain('loss');
      for (const p of traced.params) expect(p.name).toBe(`${p.nodeId}.${p.weight}`);
    }
  });

  test('mnist-mlp: fields, parameters, and a loss that runs and differentiates', async () => {
    const net = findTemplate('mnist-mlp')!.build('t').networks[0];
    const r = traceNetwork(net, { training: true, batchSize: 4, predictions: true });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const { traced } = r;
    expect(traced.fields).toEqual([
      { name: 'image', shape: [4, 1, 28, 28], dtype: 'f32', nodeIds: ['image'] },
      { name: 'label', shape: [4], dtype: 'i32', nodeIds: ['loss'] },
    ]);
    expect(traced.params.map((p) => [p.name, p.shape])).toEqual([
      ['hidden.kernel', [784, 256]],
      ['hidden.bias', [256]],
      ['logits.kernel', [256, 10]],
      ['logits.bias', [10]],
    ]);
    expect(traced.params[0].init.init).toEqual({ kind: 'glorotUniform' });
    const graph = traced.graph;
    const loss = graph.outputs.find((o) => o.name === 'loss')!.value;
    const wrt = traced.params.map((p) => graph.inputs.find((i) => i.name === p.name)!.value);
    grad(graph, loss, wrt).forEach((g, i) => graph.outputs.push({ name: `grad.${traced.params[i].name}`, value: g }));
    const exe = createBackend('cpu', { mode: 'f64' }).prepare(compile(graph), { seed: 1 });
    const out = await exe.run({ image: new Float64Array(4 * 784).fill(0.5), label: [1, 2, 3, 4] });
    expect(out.loss[0]).toBeGreaterThan(0);
    expect(Math.abs(out.loss[0] - Math.log(10))).toBeLessThan(1.5);
    expect(out['grad.logits.bias'].length).toBe(10);
    expect(out['loss.prediction'].length).toBe(40);
  });

  test('BatchNorm and Dropout: state updates only while training', () => {
    const net = networksOf('ok-cnn.json')[0];
    const train = traceNetwork(net, { training: true, batchSize: 2 });
    const evaluate = traceNetwork(net, { training: false, batchSize: 2 });
    if (!train.ok || !evaluate.ok) throw new Error('trace failed');
    expect(train.traced.state.map((s) => s.name)).toEqual(['bn.runningMean', 'bn.runningVar']);
    expect(train.traced.graph.updates.map((u) => u.name)).toEqual(['bn.runningMean', 'bn.runningVar']);
    expect(evaluate.traced.graph.updates).toEqual([]);
    expect(train.traced.graph.nodes.some((n) => n.prim === 'random')).toBe(true);
    expect(evaluate.traced.graph.nodes.some((n) => n.prim === 'random')).toBe(false);
  });

  test('batch groups: BatchNorm normalises each group as its own batch and moves its running statistics once per group, as separate calls would', async () => {
    const net = chainNetwork('n', 'N', [
      ['x', 'Input', { shape: [3, 4, 4], field: 'x' }],
      ['bn', 'BatchNorm', { momentum: 0.3 }],
      ['y', 'Output', { name: 'y' }],
    ]);
    const backend = createBackend('cpu', { mode: 'f64' });
    const plan = (batchSize: number, batchGroups: number) => {
      const r = traceNetwork(net, { training: true, batchSize, batchGroups, losses: false });
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      return backend.prepare(compile(r.traced.graph), { seed: 1 });
    };
    const rows = 5 * 3 * 16;
    const x = new Float32Array(2 * rows);
    fillRandom('normal', 7, 1, 0, x);
    // the second group from another distribution, so mixing the groups would show
    for (let i = rows; i < 2 * rows; i++) x[i] = 3 * x[i] + 2;
    const grouped = plan(10, 2);
    const together = await grouped.run({ x });
    const separate = plan(5, 1);
    const first = await separate.run({ x: x.subarray(0, rows) });
    const second = await separate.run({ x: x.subarray(rows) });
    const expected = [...first.y, ...second.y];
    together.y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    for (const name of ['bn.runningMean', 'bn.runningVar']) {
      const a = await grouped.readVariable(name);
      const b = await separate.readVariable(name);
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 10));
    }
    // one group of 10 would mix the two distributions: a different normalisation
    const mixed = await plan(10, 1).run({ x });
    expect(Math.abs(mixed.y[rows] - together.y[rows])).toBeGreaterThan(0.1);
    const bad = traceNetwork(net, { training: true, batchSize: 10, batchGroups: 3, losses: false });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.diagnostics[0].message).toBe('A batch of 10 rows cannot be split into 3 equal groups.');
  });

  test('a network with errors gives diagnostics, not a graph', () => {
    const text = readFileSync(join(dir, 'dense-on-images.json'), 'utf8');
    const net = analyzeProject(text).project!.networks[0];
    const r = traceNetwork(net, { training: true, batchSize: 2 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toEqual(['E_SHAPE_RANK']);
  });
});
