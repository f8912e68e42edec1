/**
 * @file The live decision boundary of a two-feature classifier (the `neuron` template, or any net
 * that reads two numbers and answers yes/no): p(class 1) over a grid spanning the training points,
 * a few of those points, and — for a single linear unit — its weights, so the line w·x + b = 0
 * can be drawn exactly. Evaluation mode, through the model's shared weights.
 */
import type { Executable, HostArray } from '../backends/backend';
import { allocateField, type Dataset } from '../data/dataset';
import { runEvent, type RunEvent } from './events';
import type { CompiledModel } from './program';

const GRID = 24;
const POINTS = 120;

export interface BoundarySetup {
  feature: { field: string; input: string };
  target?: { input: string; dtype: 'f32' | 'i32'; size: number };
  xRange: [number, number];
  yRange: [number, number];
  points: { x: number; y: number; label: number }[];
  grid: Record<string, HostArray>;
}

/** The boundary setup when the model reads one [2] feature field and answers two classes; else undefined. */
export function boundarySetup(model: CompiledModel, data: Dataset): BoundarySetup | undefined {
  const twoClass = model.task.kind === 'binary' || (model.task.kind === 'classification' && model.task.classes === 2);
  const inputs = model.feeds.filter((f) => f.field !== model.targetField);
  if (!twoClass || inputs.length !== 1 || inputs[0].spec.shape.join() !== '2' || inputs[0].spec.dtype !== 'f32' || data.size === 0) return undefined;
  const feature = inputs[0];
  const n = Math.min(POINTS, data.size);
  const rows = Int32Array.from({ length: n }, (_, i) => Math.floor((i * data.size) / n));
  const xy = new Float32Array(2 * n);
  data.gather(feature.field, rows, xy);
  const labelSpec = data.fields[model.targetField];
  const labels = labelSpec ? allocateField(labelSpec, n) : new Float32Array(n);
  if (labelSpec) data.gather(model.targetField, rows, labels);
  const per = labels.length / n;
  const points = Array.from({ length: n }, (_, i) => ({ x: round(xy[2 * i]), y: round(xy[2 * i + 1]), label: labels[i * per] > 0.5 ? 1 : 0 }));
  const span = (values: number[]): [number, number] => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = 0.1 * (hi - lo || 1);
    return [round(lo - pad), round(hi + pad)];
  };
  const xRange = span(points.map((p) => p.x));
  const yRange = span(points.map((p) => p.y));
  const cells = GRID * GRID;
  const grid: Record<string, HostArray> = {};
  const positions = new Float32Array(2 * cells);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      positions[2 * (r * GRID + c)] = xRange[0] + ((xRange[1] - xRange[0]) * c) / (GRID - 1);
      positions[2 * (r * GRID + c) + 1] = yRange[0] + ((yRange[1] - yRange[0]) * r) / (GRID - 1);
    }
  }
  grid[feature.input] = positions;
  const targetFeed = model.feeds.find((f) => f.field === model.targetField);
  if (targetFeed) {
    const size = targetFeed.spec.shape.reduce((a, b) => a * b, 1) * cells;
    grid[targetFeed.input] = targetFeed.spec.dtype === 'i32' ? new Int32Array(size) : new Float32Array(size);
  }
  return { feature, xRange, yRange, points, grid };
}

/** p(class 1) on the grid now, as an event. */
export async function decisionBoundaryEvent(model: CompiledModel, setup: BoundarySetup, epoch: number, step: number): Promise<RunEvent | undefined> {
  const executable = model.evaluator(GRID * GRID);
  if (!('run' in executable)) return undefined;
  const out = await (executable as Executable).run(setup.grid);
  const scores = out[model.prediction];
  const k = scores.length / (GRID * GRID);
  const p = (i: number): number => (k === 2 ? 1 / (1 + Math.exp(scores[2 * i] - scores[2 * i + 1])) : 1 / (1 + Math.exp(-scores[i])));
  const probabilities = Array.from({ length: GRID }, (_, r) => Array.from({ length: GRID }, (_, c) => round(p(r * GRID + c))));
  const linear = await linearUnit(model);
  return runEvent('decisionBoundary', { epoch, step, xRange: setup.xRange, yRange: setup.yRange, size: GRID, probabilities, points: setup.points, ...linear });
}

/** A model that is one unit w·x + b (a kernel [2, 1] and a bias [1], nothing else trained). */
async function linearUnit(model: CompiledModel): Promise<{ weights?: [number, number]; bias?: number }> {
  if (model.paramNames.length !== 2) return {};
  const shapes = new Map(model.train.plan.variables.map((v) => [v.name, v.shape.join()]));
  const kernel = model.paramNames.find((n) => shapes.get(n) === '2,1');
  const bias = model.paramNames.find((n) => shapes.get(n) === '1');
  if (!kernel || !bias) return {};
  const w = await model.train.readVariable(kernel);
  const b = await model.train.readVariable(bias);
  return { weights: [round(w[0]), round(w[1])], bias: round(b[0]) };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
