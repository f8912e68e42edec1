/** @file Reshape: gives each example a new shape with the same number of values (one -1 inferred). */
import { defineLayer, p, reject } from './define';
import { formatShape, numel } from './shape';

export const reshape = defineLayer({
  type: 'Reshape',
  ui: { label: 'Reshape', category: 'core', doc: 'Rearranges each example into a new shape with the same number of values; one -1 is inferred.' },
  params: { shape: p.ints({ default: [-1], minLength: 1, maxLength: 6, min: -1, max: 1 << 24, doc: 'Target shape without the batch' }) },
  ports: { in: ['in'], out: ['out'] },
  dtypes: 'same',
  shape: ({ in: x }, { shape }) => {
    const count = numel(x.slice(1));
    const holes = shape.filter((d) => d === -1).length;
    if (holes > 1 || shape.includes(0)) return reject('E_PARAM_RANGE', `shape ${formatShape(shape)} may hold at most one -1 and no 0`);
    const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    if (holes === 1 ? count % known !== 0 : known !== count) {
      const suggestion = [count];
      return reject('E_SHAPE_MISMATCH', `cannot arrange ${count} values per example (${formatShape(x)}) as ${formatShape(shape)}`, {
        port: 'in',
        fix: { kind: 'setParam', label: `Set shape to [${count}]`, param: 'shape', value: suggestion },
      });
    }
    return { out: [x[0], ...shape.map((d) => (d === -1 ? count / known : d))] };
  },
  forward: ({ in: x }, _w, { shape }) => ({ out: x.reshape([x.shape[0], ...shape]) }),
  flops: () => 0,
});
