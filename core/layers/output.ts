/** @file Output: marks a prediction of the network (what inference returns and export names). */
import { defineLayer, p } from './define';

export const output = defineLayer({
  type: 'Output',
  ui: { label: 'Output', category: 'io', doc: 'Marks a prediction: what the trained model returns, under this name.' },
  role: 'output',
  params: { name: p.string({ default: 'prediction', minLength: 1, maxLength: 100, doc: 'Name of the prediction' }) },
  ports: { in: ['in'], out: [] },
  dtypes: () => ({}),
  shape: () => ({}),
  forward: () => ({}),
  flops: () => 0,
});
