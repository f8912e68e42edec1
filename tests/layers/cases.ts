/**
 * @file One or more example configurations per registered layer (keyed by type, so a new layer
 * without a case fails to compile): parameters and input shapes (axis 0 is the batch `'B'`).
 */
import type { DType, LayerType, Shape } from '../../core/layers';

export type Gen = 'normal' | 'positive' | { int: number } | 'bit';

export interface LayerCase {
  readonly name?: string;
  readonly params?: Record<string, unknown>;
  readonly inputs: Record<string, { shape: Shape; dtype?: DType; gen?: Gen }>;
  /** Modes to check (default both). */
  readonly training?: readonly boolean[];
}

const x = (...dims: number[]): { shape: Shape } => ({ shape: ['B', ...dims] });
const unary = (...dims: number[]): LayerCase[] => [{ inputs: { in: x(...dims) } }];

export const layerCases: Record<LayerType, readonly LayerCase[]> = {
  Input: [{ params: { shape: [3, 2], field: 'x' }, inputs: {} }],
  Output: [{ params: { name: 'y' }, inputs: { in: x(3) } }],
  Dense: [
    { params: { units: 3 }, inputs: { in: x(4) } },
    { name: 'sequence, no bias', params: { units: 2, bias: false }, inputs: { in: x(3, 4) } },
  ],
  Flatten: unary(2, 3, 2),
  Reshape: [{ params: { shape: [3, -1] }, inputs: { in: x(6) } }],
  Concat: [
    { params: { inputs: 2, axis: -1 }, inputs: { in0: x(2), in1: x(3) } },
    { name: 'channels', params: { inputs: 3, axis: 1 }, inputs: { in0: x(1, 2, 2), in1: x(2, 2, 2), in2: x(1, 2, 2) } },
  ],
  Add: [{ params: { inputs: 3 }, inputs: { in0: x(2, 2), in1: x(2, 2), in2: x(2, 2) } }],
  Embedding: [{ params: { vocabulary: 5, dim: 3 }, inputs: { in: { shape: ['B', 4], dtype: 'i32', gen: { int: 5 } } } }],
  Conv2D: [
    { params: { filters: 4, kernel: [3, 3], padding: 'same', stride: [2, 2], groups: 2 }, inputs: { in: x(2, 5, 5) } },
    { name: 'explicit pads, dilation', params: { filters: 2, kernel: [2, 3], padding: 'explicit', pads: [1, 0, 2, 1], dilation: [2, 1], bias: false }, inputs: { in: x(1, 5, 4) } },
  ],
  ConvTranspose2D: [{ params: { filters: 2, kernel: [3, 3], stride: [2, 2], padding: [1, 1], outputPadding: [1, 1] }, inputs: { in: x(2, 3, 3) } }],
  MaxPool2D: unary(1, 4, 4),
  AvgPool2D: [{ params: { kernel: [3, 3], stride: [2, 2], padding: [1, 1] }, inputs: { in: x(2, 5, 5) } }],
  GlobalAvgPool: unary(3, 2, 2),
  LSTM: [
    { params: { units: 3, output: 'sequence' }, inputs: { in: x(4, 2) } },
    { name: 'last state', params: { units: 2, output: 'last' }, inputs: { in: x(3, 3) } },
  ],
  GRU: [
    { params: { units: 3, output: 'sequence' }, inputs: { in: x(3, 2) } },
    { name: 'last state, no bias', params: { units: 2, bias: false }, inputs: { in: x(3, 3) } },
  ],
  MultiHeadAttention: [
    { params: { heads: 2, causal: true }, inputs: { in: x(3, 4) } },
    { name: 'not causal', params: { heads: 1 }, inputs: { in: x(2, 3) } },
  ],
  TransformerEncoderBlock: [
    { params: { heads: 2, ffDim: 6, dropout: 0.1, norm: 'pre', activation: 'gelu', causal: true }, inputs: { in: x(3, 4) } },
    { name: 'post-norm relu', params: { heads: 2, ffDim: 5, dropout: 0, norm: 'post', activation: 'relu' }, inputs: { in: x(2, 4) } },
  ],
  PositionalEncoding: [
    { params: { kind: 'learned', maxLength: 5 }, inputs: { in: x(3, 4) } },
    { name: 'sinusoidal', params: { kind: 'sinusoidal' }, inputs: { in: x(3, 4) } },
  ],
  BatchNorm: [
    { inputs: { in: x(3, 2, 2) } },
    { name: 'vectors, no affine', params: { affine: false, momentum: 0.2 }, inputs: { in: x(3) } },
  ],
  LayerNorm: unary(2, 4),
  Dropout: [{ params: { rate: 0.3 }, inputs: { in: x(6) } }],
  ReLU: unary(5),
  LeakyReLU: [{ params: { negativeSlope: 0.1 }, inputs: { in: x(5) } }],
  Sigmoid: unary(5),
  Tanh: unary(5),
  GELU: unary(5),
  Softmax: [{ params: { axis: -1 }, inputs: { in: x(2, 4) } }, { name: 'axis 1', params: { axis: 1 }, inputs: { in: x(3, 2) } }],
  MSELoss: [{ inputs: { in: x(3) } }],
  MAELoss: [{ inputs: { in: x(3) } }],
  HuberLoss: [{ params: { delta: 0.5 }, inputs: { in: x(4) } }],
  CrossEntropyLoss: [
    { params: { labelSmoothing: 0.1 }, inputs: { in: x(4) } },
    { name: 'sequence', inputs: { in: x(3, 4) } },
  ],
  BCEWithLogitsLoss: [{ inputs: { in: x(3) } }],
};

/** How dataset-fed inputs (a loss's target) are drawn, by layer type. */
export const fieldGen: Partial<Record<LayerType, Gen>> = { CrossEntropyLoss: { int: 4 }, BCEWithLogitsLoss: 'bit' };
