/** @file Add: the elementwise sum of N inputs of one shape (residual connections). */
import { defineLayer, numberedPorts, p, reject } from './define';
import { formatShape, numel, type Shape } from './shape';

export const add = defineLayer({
  type: 'Add',
  ui: { label: 'Add', category: 'core', doc: 'Adds its inputs elementwise, as in residual connections; all must have the same shape.' },
  params: { inputs: p.int({ min: 2, max: 16, default: 2, doc: 'Number of inputs' }) },
  ports: ({ inputs }) => ({ in: numberedPorts(inputs), out: ['out'] }),
  shape: (ins, { inputs }) => {
    const shapes = numberedPorts(inputs).map((port) => ins[port] as Shape);
    const first = shapes[0];
    for (let i = 1; i < shapes.length; i++) {
      const s = shapes[i];
      if (s.length === first.length && s.every((d, j) => d === first[j])) continue;
      const onlyChannels = s.length === first.length && first.length >= 2 && s.every((d, j) => j === 1 || d === first[j]);
      if (onlyChannels) {
        const c = first[1] as number;
        return reject('E_SHAPE_CHANNELS', `adds ${s[1]} channels (in${i}) to ${c} channels (in0): give the layer feeding in${i} ${c} channels`, {
          port: `in${i}`,
          fix: { kind: 'setWidth', label: `Set its channels to ${c}`, port: `in${i}`, value: c },
        });
      }
      return reject('E_SHAPE_MISMATCH', `needs inputs of one shape, but in0 is ${formatShape(first)} and in${i} is ${formatShape(s)}`, { port: `in${i}` });
    }
    return { out: first };
  },
  forward: (ins, _w, { inputs }) => {
    const list = numberedPorts(inputs).map((port) => ins[port]).filter((t) => t !== undefined);
    return { out: list.slice(1).reduce((sum, t) => sum.add(t), list[0]) };
  },
  flops: (_i, { out }, { inputs }) => (inputs - 1) * numel(out),
});
