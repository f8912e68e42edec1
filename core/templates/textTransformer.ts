/**
 * @file Template `text-transformer`: a small causal transformer language model (GPT-style:
 * token embedding + learned positions, two pre-norm causal blocks, a final LayerNorm and a
 * softmax over the characters) on the bundled public-domain corpus (`builtin:text`, character
 * level, 82 symbols). The last 10% of the text is the test split, never trained on; the run shows
 * generated text every epoch and the bigram baseline's loss on the same split.
 */
import { chainNetwork, type Chain } from './chain';
import type { TemplateDef } from './index';
import { projectSkeleton } from './index';

/** Distinct characters of data/corpus/devils-dictionary.txt (the char vocabulary of builtin:text). */
export const CORPUS_VOCABULARY = 82;
const CONTEXT = 64;
const DIM = 64;

const chain: Chain = [
  ['tokens', 'Input', { shape: [CONTEXT], dtype: 'i32', field: 'tokens' }],
  ['embed', 'Embedding', { vocabulary: CORPUS_VOCABULARY, dim: DIM }],
  ['positions', 'PositionalEncoding', { kind: 'learned', maxLength: CONTEXT }],
  ['block1', 'TransformerEncoderBlock', { heads: 4, ffDim: 4 * DIM, dropout: 0.1, norm: 'pre', activation: 'gelu', causal: true }],
  ['block2', 'TransformerEncoderBlock', { heads: 4, ffDim: 4 * DIM, dropout: 0.1, norm: 'pre', activation: 'gelu', causal: true }],
  ['norm', 'LayerNorm', {}],
  ['logits', 'Dense', { units: CORPUS_VOCABULARY }],
  ['loss', 'CrossEntropyLoss', { target: 'next', labelSmoothing: 0 }],
];

export const textTransformer: TemplateDef = {
  name: 'text-transformer',
  title: 'Text transformer',
  description: 'A small causal language model on a bundled corpus.',
  build: (name) => ({
    ...projectSkeleton(name, 'A two-block causal transformer reads 64 characters and predicts each next one. Generated text appears after every epoch; its test loss is compared with a bigram model on the same text.'),
    networks: [chainNetwork('net', 'Language model', chain)],
    training: {
      recipe: 'supervised',
      networks: { model: 'net' },
      datasetId: 'corpus',
      epochs: 8,
      batchSize: 16,
      seed: 1,
      optimizer: { type: 'adamw', learningRate: 0.003, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.01 },
      schedule: { type: 'cosine', warmupSteps: 100, minLearningRate: 0.0001 },
      regularization: { l1: 0, l2: 0, gradientClipNorm: 1 },
      metrics: ['accuracy'],
      validationSplit: 0.1,
      checkpointEverySteps: 500,
      options: {},
    },
    datasets: [{ id: 'corpus', source: 'builtin:text', kind: 'builtin', options: { level: 'char', length: CONTEXT, stride: CONTEXT, testFraction: 0.1 } }],
  }),
};
