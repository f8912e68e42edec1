/**
 * @file PositionalEncoding: adds a vector per position to [batch, time, dim]: learned, or the fixed
 * sinusoids of "Attention is all you need" (sin on even features, cos on odd ones).
 */
import { constant } from '../tensor';
import { defineLayer, init, p, reject } from './define';
import { formatShape, numel } from './shape';

/** PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(t / 10000^(2i/d)). */
export function sinusoids(time: number, dim: number): number[] {
  const out = new Array<number>(time * dim);
  for (let t = 0; t < time; t++) {
    for (let j = 0; j < dim; j++) {
      const angle = t / Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
      out[t * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

export const positionalEncoding = defineLayer({
  type: 'PositionalEncoding',
  ui: { label: 'PositionalEncoding', category: 'attention', doc: 'Adds position information to a sequence [time, dim], so attention can tell positions apart.' },
  params: {
    kind: p.choice(['sinusoidal', 'learned'], 'sinusoidal'),
    maxLength: p.int({ min: 1, max: 1 << 16, default: 512, doc: 'Longest sequence (learned positions)' }),
  },
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, { kind, maxLength }) => {
    if (x.length !== 3) return reject('E_SHAPE_RANK', `needs sequences [batch, time, dim] but receives ${formatShape(x)}`, { port: 'in' });
    const time = x[1] as number;
    if (kind === 'learned' && time > maxLength) {
      return reject('E_SHAPE_MISMATCH', `receives ${time} positions but learns only ${maxLength}`, {
        port: 'in',
        fix: { kind: 'setParam', label: `Set max length to ${time}`, param: 'maxLength', value: time },
      });
    }
    return { out: x };
  },
  weights: ({ in: x }, { kind, maxLength }) => (kind === 'learned' ? { table: { shape: [maxLength, x[2] as number], init: init.normal(0.02) } } : {}),
  forward: ({ in: x }, w, { kind }) => {
    const [, time, dim] = x.shape;
    const table = kind === 'learned' && w.table ? w.table.slice([0, 0], [time, dim]) : constant(sinusoids(time, dim), [time, dim]);
    return { out: x.add(table) };
  },
  flops: ({ in: x }) => numel(x),
});
