/**
 * @file `brrr predict`: the trained model (see trainedWeights.ts) on new data. Inputs: an image
 * (PNG/JPEG, resized to the Input's [channels, height, width], values in [0, 1] like the built-in
 * datasets), a CSV (one example per row, an optional header line) or a .npy array ([n, ...shape]
 * or one example). Classifiers report the top 3 classes with probabilities; regressions their values.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createBackend } from '../../../core/backends';
import { parseNpy } from '../../../core/data';
import { ExportError } from '../../../core/export/errors';
import { inferenceNetwork, prepareInference } from '../../../core/export/inference';
import { layerByType } from '../../../core/layers';
import type { Network } from '../../../core/project';
import { decodeImage } from '../datasets/images';
import { resolveWeights, type WeightsRequest } from './trainedWeights';

export interface PredictRequest extends WeightsRequest {
  /** An image, a CSV or a .npy file. */
  input: string;
}

export type PredictionRow = { top: { index: number; label: string; probability: number }[] } | { values: number[] };

export interface PredictResult {
  source: string;
  output: string;
  kind: 'classification' | 'binary' | 'regression';
  rows: PredictionRow[];
}

const IMAGE = new Set(['.png', '.jpg', '.jpeg']);
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Reads `file` as rows of one example each, shaped like `shape` (without the batch). */
async function readRows(file: string, shape: readonly number[]): Promise<{ rows: number; data: Float32Array }> {
  const bytes = new Uint8Array(await readFile(file));
  const ext = extname(file).toLowerCase();
  const n = size(shape);
  if (IMAGE.has(ext)) {
    const side = Math.round(Math.sqrt(n));
    const [c, h, w] = shape.length === 3 ? shape : shape.length === 1 && side * side === n ? [1, side, side] : [0, 0, 0];
    if (c !== 1 && c !== 3) throw new ExportError(`The model reads ${JSON.stringify(shape)} per example, not an image [channels 1 or 3, height, width]; give a CSV or .npy instead of ${file}.`);
    return { rows: 1, data: await decodeImage(file, bytes, h, w, c) };
  }
  if (ext === '.npy') {
    const array = parseNpy(bytes, file);
    const total = array.values.length;
    if (total === 0 || total % n !== 0) throw new ExportError(`${file} holds an array of shape [${array.shape.join(', ')}]; the model needs [n, ${shape.join(', ')}].`);
    return { rows: total / n, data: Float32Array.from(array.values) };
  }
  if (ext === '.csv' || ext === '.txt') {
    const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
    const values: number[] = [];
    let rows = 0;
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      const cells = line.split(',').map((c) => c.trim());
      const numbers = cells.map(Number);
      if (numbers.some((x) => !Number.isFinite(x))) {
        if (rows === 0 && values.length === 0) continue; // a header
        throw new ExportError(`${file}, line ${i + 1}: "${cells[numbers.findIndex((x) => !Number.isFinite(x))]}" is not a number.`);
      }
      if (numbers.length !== n) throw new ExportError(`${file}, line ${i + 1}: ${numbers.length} values, the model reads ${n} per example (${JSON.stringify(shape)}).`);
      values.push(...numbers);
      rows++;
    }
    if (rows === 0) throw new ExportError(`${file} holds no rows of numbers.`);
    return { rows, data: Float32Array.from(values) };
  }
  throw new ExportError(`${file}: predict reads images (.png, .jpg), .csv and .npy files.`);
}

/** How to read the prediction: the loss that trained it, or a Softmax at the end. */
function taskOf(network: Network, output: string): { kind: PredictResult['kind']; probabilities: boolean } {
  const view = inferenceNetwork(network);
  const out = view.nodes.find((n) => n.type === 'Output' && n.params.name === output);
  const source = out && view.edges.find((e) => e.target.node === out.id)?.source.node;
  const loss = network.nodes.find((n) => layerByType.get(n.type)?.role === 'loss' && network.edges.some((e) => e.target.node === n.id && e.target.port === 'in' && e.source.node === source));
  const sourceType = network.nodes.find((n) => n.id === source)?.type;
  if (sourceType === 'Softmax') return { kind: 'classification', probabilities: true };
  if (loss?.type === 'CrossEntropyLoss') return { kind: 'classification', probabilities: false };
  return { kind: loss?.type === 'BCEWithLogitsLoss' ? 'binary' : 'regression', probabilities: false };
}

function softmax(x: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(x));
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export async function predict(request: PredictRequest): Promise<PredictResult> {
  const trained = await resolveWeights(request);
  const inputs = inferenceNetwork(trained.network).nodes.filter((n) => n.type === 'Input');
  if (inputs.length !== 1) throw new ExportError(`Network "${trained.network.name}" reads ${inputs.length} inputs; predict feeds one (use the ONNX or PyTorch export for more).`);
  const shape = inputs[0].params.shape as number[];
  const { rows, data } = await readRows(request.input, shape);
  const model = prepareInference(trained.network, trained.weights, createBackend('cpu'), rows);
  const field = model.inputs[0];
  const values = field.dtype === 'i32' ? Int32Array.from(data, Math.round) : data;
  const outputs = await model.run({ [field.name]: values });
  model.executable.dispose();
  const output = model.outputs[0];
  const { kind, probabilities } = taskOf(trained.network, output.name);
  const flat = outputs[output.name];
  const width = flat.length / rows;
  const result: PredictionRow[] = [];
  for (let r = 0; r < rows; r++) {
    const row = flat.subarray(r * width, (r + 1) * width);
    if (kind === 'classification') {
      const p = probabilities ? Array.from(row) : softmax(row);
      const top = p.map((probability, index) => ({ index, label: String(index), probability })).sort((a, b) => b.probability - a.probability).slice(0, 3);
      result.push({ top });
    } else if (kind === 'binary') {
      result.push({ values: Array.from(row, (v) => 1 / (1 + Math.exp(-v))) });
    } else {
      result.push({ values: Array.from(row) });
    }
  }
  return { source: trained.source, output: output.name, kind, rows: result };
}
