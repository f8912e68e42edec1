/** @file Embedding: integer ids [batch, ...] → learned vectors [batch, ..., dim]; weight [vocabulary, dim]. */
import { defineLayer, init, p, reject } from './define';

export const embedding = defineLayer({
  type: 'Embedding',
  ui: { label: 'Embedding', category: 'core', doc: 'Looks up a learned vector for each integer id (words, tokens, categories).' },
  params: {
    vocabulary: p.int({ min: 1, max: 1 << 22, default: 1000, doc: 'Number of distinct ids (ids run from 0 to vocabulary - 1)' }),
    dim: p.int({ min: 1, max: 1 << 16, default: 64, doc: 'Length of each vector' }),
  },
  widthParam: 'dim',
  ports: { in: ['in'], out: ['out'] },
  dtypes: ({ in: d }) =>
    d === 'i32' ? { out: 'f32' } : reject('E_DTYPE', `needs integer ids but receives ${d} values: set the Input's dtype to i32`, { port: 'in' }),
  shape: ({ in: x }, { dim }) => ({ out: [...x, dim] }),
  weights: (_x, { vocabulary, dim }) => ({ table: { shape: [vocabulary, dim], init: init.normal(1) } }),
  forward: ({ in: ids }, w) => ({ out: w.table.gather(ids, 0) }),
  flops: () => 0,
});
