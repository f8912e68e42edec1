/**
 * @file ONNX export against ONNX Runtime, driven by the layer registry: every layer is exported
 * and run (its outputs equal the engine's float64 eval forward within 1e-4, at a batch size other
 * than any the engine compiled, so the batch axis is really symbolic), or it is in the asserted
 * list of layers left out of inference models, with the reason. Then every template network.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { ExportError } from '../../core/export/errors';
import { inferenceNetwork } from '../../core/export/inference';
import { exportOnnx } from '../../core/export/onnx/export';
import { onnxRules } from '../../core/export/onnx/layers';
import { layers, type LayerType } from '../../core/layers';
import type { Network } from '../../core/project';
import { findTemplate, templateInfos } from '../../core/templates';
import { layerCases } from '../layers/cases';
import { engineForward, expectClose, layerNetwork, randomInput, randomWeights, rng, size } from './support';

const BATCH = 3;
const TOLERANCE = 1e-4;

/** Not part of an inference model: the losses (training only). Asserted exactly below. */
const LEFT_OUT: readonly LayerType[] = ['MSELoss', 'MAELoss', 'HuberLoss', 'CrossEntropyLoss', 'BCEWithLogitsLoss'];

async function compareWithOrt(network: Network, seed: number): Promise<void> {
  const weights = randomWeights(network, seed);
  const bytes = exportOnnx(network, weights, { metadata: { test: 'yes' } });
  const session = await ort.InferenceSession.create(bytes);
  const view = inferenceNetwork(network);
  const r = rng(seed + 1);
  const feeds: Record<string, ort.Tensor> = {};
  const inputs: Record<string, Float32Array | Int32Array> = {};
  for (const node of view.nodes.filter((n) => n.type === 'Input')) {
    const shape = [BATCH, ...(node.params.shape as number[])];
    const dtype = node.params.dtype === 'i32' ? 'i32' : 'f32';
    const field = String(node.params.field);
    const data = randomInput(shape, dtype, dtype === 'i32' ? { int: vocabularyOf(network) } : 'normal', r);
    inputs[field] = data;
    feeds[field] = new ort.Tensor(dtype === 'i32' ? 'int32' : 'float32', data, shape);
  }
  expect([...session.inputNames].sort()).toEqual(Object.keys(feeds).sort());
  const got = await session.run(feeds);
  const expected = await engineForward(network, weights, BATCH, inputs);
  for (const [name, values] of Object.entries(expected)) {
    const out = got[name];
    expect(out, `ONNX output ${name}`).toBeDefined();
    expect(out.dims[0]).toBe(BATCH);
    expect(size(out.dims as number[])).toBe(values.length);
    expectClose(out.data as Float32Array, values, TOLERANCE, name);
  }
}

/** Token ids stay below every Embedding's vocabulary. */
const vocabularyOf = (network: Network): number =>
  Math.min(...network.nodes.filter((n) => n.type === 'Embedding').map((n) => Number(n.params.vocabulary ?? 1000)), 1000);

test('every registered layer is exported or listed as left out, with its reason', () => {
  const leftOut = layers.filter((l) => !('emit' in onnxRules[l.type]) && l.role !== 'input' && l.role !== 'output').map((l) => l.type);
  expect(leftOut).toEqual(LEFT_OUT);
  for (const type of LEFT_OUT) expect((onnxRules[type] as { skip: string }).skip).toMatch(/loss/);
  expect(layers.some((l) => 'unsupported' in onnxRules[l.type])).toBe(false);
});

const exported = layers
  .filter((l) => !LEFT_OUT.includes(l.type))
  .flatMap((l) => layerCases[l.type].map((c, i) => ({ type: l.type, c, label: `${l.type}${c.name ? ` (${c.name})` : i ? ` #${i + 1}` : ''}`, seed: 10 * i + l.type.length })));

describe('each layer in ONNX Runtime matches the engine (float64, eval) within 1e-4', () => {
  test.each(exported)('$label', async ({ type, c, seed }) => {
    await compareWithOrt(layerNetwork(type, c), seed);
  });
});

describe('each template network in ONNX Runtime matches the engine', () => {
  const available = templateInfos().filter((t) => t.available);
  test.each(available)('$name', async ({ name }) => {
    const project = findTemplate(name)!.build(name);
    for (const network of project.networks) await compareWithOrt(network, 7);
  });
});

test('layers ONNX cannot express are all named before anything is written', () => {
  const network = layerNetwork('ReLU', { inputs: { in: { shape: ['B', 3] } } });
  const broken = { ...network, nodes: network.nodes.map((n) => (n.id === 'layer' ? { ...n, type: 'Mystery' } : n)) };
  expect(() => exportOnnx(broken, {})).toThrow(ExportError);
});
