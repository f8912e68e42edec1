/**
 * @file Every registered layer on WebGPU against the float64 CPU: for each case of
 * tests/layers/cases (one or more per layer type), in eval and training mode, the traced
 * forward outputs and the gradients of a random projection of them w.r.t. the float inputs and
 * every parameter. Parameters are written (not initialised) so both backends see the same
 * values; dropout draws the same Philox uniforms on both. The number of layer types checked must
 * equal the registry size: no layer is skipped silently.
 * Tolerance: rtol 1e-4, atol 1e-5 on the forward; gradients of deep layers (recurrent,
 * attention, transformer) sum many f32 products, so gradients get rtol 1e-3, atol 1e-4.
 */
import { describe, expect, test } from 'vitest';
import { grad } from '../../core/autograd';
import { createBackend } from '../../core/backends';
import { compile } from '../../core/compile';
import { concreteShape, layers, type Layer } from '../../core/layers';
import { traceLayer } from '../../core/model';
import { constant, Tracer } from '../../core/tensor';
import { fieldGen, layerCases, type Gen, type LayerCase } from '../layers/cases';
import { rng } from '../engine/support';
import { F32, expectClose, nodeGpu } from './support';

const BATCH = 2;
const GRAD = { rtol: 1e-3, atol: 1e-4 };

const draw = (n: number, gen: Gen, r: () => number): number[] =>
  Array.from({ length: n }, () => (gen === 'normal' ? r() * 2 - 1 : gen === 'positive' ? 0.5 + r() : gen === 'bit' ? (r() < 0.5 ? 0 : 1) : Math.floor(r() * gen.int)));
const size = (s: readonly number[]): number => s.reduce((a, d) => a * d, 1);

const all = layers.flatMap((layer) => (layerCases[layer.type as keyof typeof layerCases] ?? []).map((c, i) => ({ layer, c, label: `${layer.type}${c.name ? ` (${c.name})` : i ? ` #${i + 1}` : ''}` })));

test('every registered layer type has a WebGPU case', () => {
  const types = new Set(all.map((a) => a.layer.type));
  expect(types.size).toBe(layers.length);
});

describe.each(all)('$label on WebGPU', ({ layer, c }: { layer: Layer; c: LayerCase }) => {
  test.each(c.training ?? [false, true])('forward and gradients ~ f64 CPU (training %s)', async (training) => {
    const { device } = await nodeGpu();
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([port, i]) => [port, { shape: concreteShape(i.shape, BATCH), dtype: i.dtype ?? 'f32' }]));
    const traced = traceLayer(layer, c.params ?? {}, inputs, { training, batch: BATCH });
    if (!traced.ok) throw new Error(JSON.stringify(traced.diagnostics));
    const t = traced.trace;
    const graph = t.graph;
    const r = rng(42);
    const outs = [...graph.outputs];
    const floatInputs = Object.entries(t.inputs).filter(([, i]) => i.dtype === 'f32').map(([name]) => name);
    const wrt = [...floatInputs, ...Object.keys(t.params)];
    if (outs.length > 0 && wrt.length > 0) {
      const tracer = new Tracer(graph);
      tracer.run(() => {
        const objective = outs
          .map((o) => {
            const v = tracer.wrap(o.value);
            return v.cast('f32').mul(constant(draw(v.size, 'normal', r), v.shape)).sum();
          })
          .reduce((a, b) => a.add(b));
        tracer.output('objective', objective);
        grad(graph, objective.id, wrt.map((n) => tracer.get(n).id)).forEach((g, i) => tracer.output(`grad:${wrt[i]}`, tracer.wrap(g)));
      });
    }
    const plan = compile(graph);
    const feed: Record<string, number[]> = {};
    for (const [name, i] of Object.entries(t.inputs)) {
      const spec = c.inputs[name];
      const gen = spec?.gen ?? (spec ? 'normal' : (fieldGen[layer.type as keyof typeof fieldGen] ?? 'normal'));
      feed[name] = draw(size(i.shape), i.dtype === 'i32' && typeof gen !== 'object' ? { int: 2 } : gen, r);
    }
    if (graph.inputs.some((i) => i.name === 'step')) feed.step = [0];
    const cpu = createBackend('cpu', { mode: 'f64' }).prepare(plan, { seed: 3 });
    const gpu = createBackend('webgpu', { device }).prepare(plan, { seed: 3 });
    for (const [name, p] of Object.entries(t.params)) {
      const v = draw(size(p.shape), 'normal', r);
      cpu.writeVariable(name, v);
      gpu.writeVariable(name, v);
    }
    const want = await cpu.run(feed);
    const got = await gpu.run(feed);
    gpu.dispose();
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const name of Object.keys(want)) expectClose(`${layer.type} (training ${training}) output '${name}'`, got[name], want[name], name.startsWith('grad:') || name === 'objective' ? GRAD : F32);
  });
});
