/**
 * @file Every registered layer, from the registry: it has cases; its shape rule agrees with the
 * traced forward; and a finite-difference check in float64 on the CPU backend confirms the
 * gradients of a random projection of its outputs w.r.t. its float inputs and weights.
 */
import { describe, expect, test } from 'vitest';
import { grad } from '../../core/autograd';
import { createBackend } from '../../core/backends';
import { compile } from '../../core/compile';
import type { Graph } from '../../core/ir/graph';
import { concreteShape, isRejection, layers, type Layer, type Shape } from '../../core/layers';
import { traceLayer, type LayerTrace } from '../../core/model';
import { constant, Tracer } from '../../core/tensor';
import { fieldGen, layerCases, type Gen, type LayerCase } from './cases';
import { rng } from '../support/rng';

const BATCH = 2;

const draw = (n: number, gen: Gen, r: () => number): number[] =>
  Array.from({ length: n }, () => (gen === 'normal' ? r() * 2 - 1 : gen === 'positive' ? 0.5 + r() : gen === 'bit' ? (r() < 0.5 ? 0 : 1) : Math.floor(r() * gen.int)));
const size = (s: readonly number[]): number => s.reduce((a, d) => a * d, 1);

const all = layers.flatMap((layer) => (layerCases[layer.type as keyof typeof layerCases] ?? []).map((c, i) => ({ layer, c, label: `${layer.type}${c.name ? ` (${c.name})` : i ? ` #${i + 1}` : ''}` })));

function traceCase(layer: Layer, c: LayerCase, training: boolean): LayerTrace {
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([port, i]) => [port, { shape: concreteShape(i.shape, BATCH), dtype: i.dtype ?? 'f32' }]));
  const r = traceLayer(layer, c.params ?? {}, inputs, { training, batch: BATCH });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.trace;
}

test('every registered layer has a case', () => {
  for (const layer of layers) expect(layerCases[layer.type as keyof typeof layerCases]?.length ?? 0, layer.type).toBeGreaterThan(0);
});

describe.each(all)('$label', ({ layer, c }) => {
  test.each(c.training ?? [false, true])('shape rule == traced forward (training %s)', (training) => {
    const t = traceCase(layer, c, training);
    const params = { ...layer.defaults, ...(c.params ?? {}) };
    const symbolic: Record<string, Shape> = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, v.shape]));
    const ports = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype ?? 'f32' }]));
    for (const [k, f] of Object.entries(layer.fields(params, ports))) symbolic[k] = f.shape;
    const rule = layer.shape(symbolic, params);
    if (isRejection(rule)) throw new Error(JSON.stringify(rule.issues));
    const expected = Object.fromEntries(Object.entries(rule).map(([port, s]) => [port, concreteShape(s, BATCH)]));
    expect(t.outputs).toEqual(expected);
  });

  test.each(c.training ?? [false, true])('gradients match finite differences in f64 (training %s)', async (training) => {
    const t = traceCase(layer, c, training);
    const r = rng(42);
    const graph: Graph = t.graph;
    const outs = [...graph.outputs];
    if (outs.length === 0) return; // Output marks a prediction; nothing to differentiate
    const floatInputs = Object.entries(t.inputs).filter(([, i]) => i.dtype === 'f32').map(([name]) => name);
    const wrtNames = [...floatInputs, ...Object.keys(t.params)];
    if (wrtNames.length === 0) return;
    const tracer = new Tracer(graph);
    tracer.run(() => {
      const objective = outs
        .map((o) => {
          const v = tracer.wrap(o.value);
          return v.mul(constant(draw(v.size, 'normal', r), v.shape)).sum();
        })
        .reduce((a, b) => a.add(b));
      tracer.output('objective', objective);
      const grads = grad(graph, objective.id, wrtNames.map((n) => tracer.get(n).id));
      grads.forEach((g, i) => tracer.output(`grad:${wrtNames[i]}`, tracer.wrap(g)));
    });
    const exe = createBackend('cpu', { mode: 'f64' }).prepare(compile(graph), { seed: 3 });
    const feed: Record<string, number[]> = {};
    for (const [name, i] of Object.entries(t.inputs)) {
      const spec = c.inputs[name];
      const gen = spec?.gen ?? (spec ? 'normal' : (fieldGen[layer.type as keyof typeof fieldGen] ?? 'normal'));
      feed[name] = draw(size(i.shape), i.dtype === 'i32' && typeof gen !== 'object' ? { int: 2 } : gen, r);
    }
    if (graph.inputs.some((i) => i.name === 'step')) feed.step = [0];
    for (const [name, p] of Object.entries(t.params)) exe.writeVariable(name, draw(size(p.shape), 'normal', r));
    const base = await exe.run(feed);
    const objective = async (): Promise<number> => (await exe.run(feed)).objective[0];
    const h = 1e-6;
    for (const name of wrtNames) {
      const analytic = base[`grad:${name}`];
      const isInput = name in t.inputs;
      const values = isInput ? feed[name] : Array.from(await exe.readVariable(name));
      const picks = Array.from({ length: Math.min(5, values.length) }, () => Math.floor(r() * values.length));
      for (const k of picks) {
        const orig = values[k];
        const at = async (v: number): Promise<number> => {
          values[k] = v;
          if (!isInput) exe.writeVariable(name, values);
          return objective();
        };
        const numeric = ((await at(orig + h)) - (await at(orig - h))) / (2 * h);
        await at(orig);
        const a = analytic[k];
        expect(Math.abs(a - numeric) / Math.max(1, Math.abs(a), Math.abs(numeric)), `${name}[${k}]: analytic ${a}, numeric ${numeric}`).toBeLessThan(1e-6);
      }
    }
  });
});
