/**
 * @file What the export tests share: a one-layer network per layer case (Inputs → layer → Output),
 * seeded random weights and inputs, the engine's float64 forward (the oracle) and a comparison.
 */
import { expect } from 'vitest';
import { createBackend } from '../../core/backends';
import { prepareInference } from '../../core/export/inference';
import { expectedWeights, type ModelWeights } from '../../core/export/weights';
import type { DType, LayerType, Shape } from '../../core/layers';
import type { Network } from '../../core/project';
import type { Gen, LayerCase } from '../layers/cases';
import { rng } from '../support/rng';
export { rng };

export const size = (s: readonly number[]): number => s.reduce((a, d) => a * d, 1);

/** A network feeding `c`'s inputs from Input nodes (field = port name) into the layer, and its `out` to an Output `y`. */
export function layerNetwork(type: LayerType, c: LayerCase): Network {
  const perExample = (s: Shape): number[] => s.slice(1).map((d) => d as number);
  const inputs = Object.entries(c.inputs);
  const nodes: Network['nodes'] = inputs.map(([port, spec], i) => ({
    id: `in_${port}`,
    type: 'Input',
    params: { shape: perExample(spec.shape), dtype: spec.dtype ?? 'f32', field: port },
    position: { x: 0, y: 100 * i },
  }));
  if (type === 'Input') {
    nodes.push({ id: 'layer', type, params: c.params ?? {}, position: { x: 200, y: 0 } }, { id: 'out', type: 'Output', params: { name: 'y' }, position: { x: 400, y: 0 } });
    return { id: 'net', name: type, nodes, edges: [{ id: 'e_out', source: { node: 'layer', port: 'out' }, target: { node: 'out', port: 'in' } }], groups: [] };
  }
  if (type === 'Output') {
    nodes.push({ id: 'layer', type, params: c.params ?? {}, position: { x: 400, y: 0 } });
    return { id: 'net', name: type, nodes, edges: [{ id: 'e_in', source: { node: 'in_in', port: 'out' }, target: { node: 'layer', port: 'in' } }], groups: [] };
  }
  nodes.push({ id: 'layer', type, params: c.params ?? {}, position: { x: 200, y: 0 } }, { id: 'out', type: 'Output', params: { name: 'y' }, position: { x: 400, y: 0 } });
  const edges: Network['edges'] = inputs.map(([port]) => ({ id: `e_${port}`, source: { node: `in_${port}`, port: 'out' }, target: { node: 'layer', port } }));
  edges.push({ id: 'e_out', source: { node: 'layer', port: 'out' }, target: { node: 'out', port: 'in' } });
  return { id: 'net', name: type, nodes, edges, groups: [] };
}

/**
 * Seeded weights for every tensor the network needs, U(-a, a) with a = 1/√(size / last axis) so
 * deep templates keep activations of order 1; variances (BatchNorm) positive.
 */
export function randomWeights(network: Network, seed: number): ModelWeights {
  const r = rng(seed);
  const out: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const w of expectedWeights(network)) {
    const positive = /var/i.test(w.name);
    const a = 1 / Math.sqrt(Math.max(1, size(w.shape) / (w.shape.at(-1) ?? 1)));
    out[w.name] = { shape: w.shape, data: Float32Array.from({ length: size(w.shape) }, () => (positive ? 0.5 + r() : (r() * 2 - 1) * a)) };
  }
  return out;
}

export function randomInput(shape: readonly number[], dtype: DType, gen: Gen | undefined, r: () => number): Float32Array | Int32Array {
  const n = size(shape);
  if (dtype === 'i32') {
    const k = typeof gen === 'object' ? gen.int : 2;
    return Int32Array.from({ length: n }, () => Math.floor(r() * k));
  }
  return Float32Array.from({ length: n }, () => (gen === 'positive' ? 0.5 + r() : r() * 2 - 1));
}

/** The engine's float64 eval-mode forward: the oracle every export is compared with. */
export async function engineForward(network: Network, weights: ModelWeights, batch: number, inputs: Record<string, ArrayLike<number>>): Promise<Record<string, Float64Array>> {
  const model = prepareInference(network, weights, createBackend('cpu', { mode: 'f64' }), batch);
  const out = await model.run(inputs);
  model.executable.dispose();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Float64Array.from(v)]));
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect(worst, `${what}: largest difference at ${at} (${actual[at]} vs ${expected[at]})`).toBeLessThanOrEqual(tolerance);
}
