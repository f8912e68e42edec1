/** @file Input: feeds one field of the dataset (per-example shape, batch added) into the network. */
import { defineLayer, p, present } from './define';
import { BATCH } from './shape';

export const input = defineLayer({
  type: 'Input',
  ui: { label: 'Input', category: 'io', doc: 'One field of the dataset, e.g. images [1, 28, 28] or token ids [64]. The batch is added.' },
  role: 'input',
  params: {
    shape: p.ints({ default: [1], minLength: 1, maxLength: 6, min: 1, max: 1 << 20, doc: 'Shape of one example, without the batch' }),
    dtype: p.choice(['f32', 'i32'], 'f32', 'f32 for values, i32 for class labels or token ids'),
    field: p.string({ default: 'x', minLength: 1, maxLength: 100, doc: 'The dataset field this input reads' }),
  },
  ports: { in: [], out: ['out'] },
  fields: ({ shape, dtype, field }) => ({ data: { field, shape: [BATCH, ...shape], dtype } }),
  dtypes: (_, { dtype }) => ({ out: dtype }),
  shape: (_, { shape }) => ({ out: [BATCH, ...shape] }),
  forward: ({ data }) => ({ out: present(data, 'Input data') }),
  flops: () => 0,
});
