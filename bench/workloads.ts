/**
 * @file The benchmark workloads W2–W5 as projects' networks (the layers users drag), so the bench
 * measures the product: each is a chain of layer nodes ending in a loss, trained with Adam 1e-3.
 * W1 (GEMM) has no network: it times the f32 matmul kernel directly.
 */
import type { Network, ProjectNode, TrainingRecipe } from '../core/project/schema';

export type WorkloadId = 'W2' | 'W3' | 'W4' | 'W5';

export interface Workload {
  id: WorkloadId;
  title: string;
  batch: number;
  /** per-sample field shapes (f32 unless listed in `ints`), the classes of an i32 label */
  fields: Record<string, number[]>;
  classes?: number;
  /** reported unit: samples/s or steps/s */
  unit: 'samples/s' | 'steps/s';
  network: Network;
}

type Link = [string, string, Record<string, unknown>];

function chain(links: Link[]): Network {
  return {
    id: 'net',
    name: 'bench',
    nodes: links.map(([id, type, params], i): ProjectNode => ({ id, type, params, position: { x: 200 * i, y: 0 } })),
    edges: links.slice(1).map(([id], i) => ({ id: `e${i + 1}`, source: { node: links[i][0], port: 'out' }, target: { node: id, port: 'in' } })),
    groups: [],
  } as Network;
}

export function recipe(batchSize: number): TrainingRecipe {
  return {
    recipe: 'supervised',
    networks: { model: 'net' },
    datasetId: 'bench',
    epochs: 1,
    batchSize,
    seed: 1,
    optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    schedule: { type: 'constant', warmupSteps: 0 },
    regularization: { l1: 0, l2: 0 },
    metrics: [],
    validationSplit: 0,
    checkpointEverySteps: 0,
    options: {},
  } as unknown as TrainingRecipe;
}

export const WORKLOADS: Record<WorkloadId, Workload> = {
  W2: {
    id: 'W2', title: 'MLP 784-256-128-10, b128, MNIST', batch: 128, fields: { image: [1, 28, 28], label: [] }, classes: 10, unit: 'samples/s',
    network: chain([
      ['image', 'Input', { shape: [1, 28, 28], field: 'image' }],
      ['flatten', 'Flatten', {}],
      ['d1', 'Dense', { units: 256, bias: true }], ['r1', 'ReLU', {}],
      ['d2', 'Dense', { units: 128, bias: true }], ['r2', 'ReLU', {}],
      ['d3', 'Dense', { units: 10, bias: true }],
      ['loss', 'CrossEntropyLoss', { target: 'label', labelSmoothing: 0 }],
    ]),
  },
  W3: {
    id: 'W3', title: 'LeNet-5, b64', batch: 64, fields: { image: [1, 28, 28], label: [] }, classes: 10, unit: 'samples/s',
    network: chain([
      ['image', 'Input', { shape: [1, 28, 28], field: 'image' }],
      ['c1', 'Conv2D', { filters: 6, kernel: [5, 5] }], ['r1', 'ReLU', {}], ['p1', 'MaxPool2D', { kernel: [2, 2], stride: [2, 2] }],
      ['c2', 'Conv2D', { filters: 16, kernel: [5, 5] }], ['r2', 'ReLU', {}], ['p2', 'MaxPool2D', { kernel: [2, 2], stride: [2, 2] }],
      ['flatten', 'Flatten', {}],
      ['d1', 'Dense', { units: 120 }], ['r3', 'ReLU', {}],
      ['d2', 'Dense', { units: 84 }], ['r4', 'ReLU', {}],
      ['d3', 'Dense', { units: 10 }],
      ['loss', 'CrossEntropyLoss', { target: 'label', labelSmoothing: 0 }],
    ]),
  },
  W4: {
    id: 'W4', title: 'LSTM 8→128, T50, b32', batch: 32, fields: { x: [50, 8], target: [1] }, unit: 'samples/s',
    network: chain([
      ['x', 'Input', { shape: [50, 8], field: 'x' }],
      ['lstm', 'LSTM', { units: 128, output: 'last' }],
      ['head', 'Dense', { units: 1 }],
      ['loss', 'MSELoss', { target: 'target' }],
    ]),
  },
  W5: {
    id: 'W5', title: 'Encoder block d128 h4 ff512 T64, b32', batch: 32, fields: { x: [64, 128], target: [64, 128] }, unit: 'steps/s',
    network: chain([
      ['x', 'Input', { shape: [64, 128], field: 'x' }],
      ['block', 'TransformerEncoderBlock', { heads: 4, ffDim: 512, dropout: 0, norm: 'post', activation: 'relu' }],
      ['loss', 'MSELoss', { target: 'target' }],
    ]),
  },
};
