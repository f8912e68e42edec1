/**
 * @file How a layer type looks on the canvas: its family and that family's accent colour. Read
 * from the type name until the layer registry (core/layers) carries a category.
 */

export type LayerFamily = 'io' | 'learned' | 'activation' | 'shape' | 'normalization' | 'loss' | 'other';

const FAMILY_PATTERNS: ReadonlyArray<[LayerFamily, RegExp]> = [
  ['loss', /Loss$/],
  ['io', /^(Input|Output|Label|Constant)$/],
  ['learned', /^(Dense|Linear|Conv|ConvTranspose|LSTM|GRU|RNN|Embedding|Attention|MultiHeadAttention)/],
  ['activation', /^(ReLU|LeakyReLU|ELU|GELU|SiLU|Swish|Sigmoid|Tanh|Softmax|LogSoftmax|Softplus)/],
  ['normalization', /(Norm|Dropout)/],
  ['shape', /^(Flatten|Reshape|Concat|Add|Multiply|Split|Transpose|Pool|MaxPool|AvgPool|GlobalAvgPool|Upsample|Slice|Permute)/],
];

export function layerFamily(layerType: string): LayerFamily {
  return FAMILY_PATTERNS.find(([, pattern]) => pattern.test(layerType))?.[0] ?? 'other';
}

/** Accent colours, tuned to read on the dark canvas; the CSS uses the same values via `--layer-accent`. */
export const FAMILY_ACCENT: Record<LayerFamily, string> = {
  io: '#34d399',
  learned: '#60a5fa',
  activation: '#c084fc',
  shape: '#94a3b8',
  normalization: '#fbbf24',
  loss: '#fb7185',
  other: '#a1a1aa',
};
