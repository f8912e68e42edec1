/** @file Concat: joins N inputs along one axis (channels by default). */
import { concat as join } from '../tensor';
import { defineLayer, numberedPorts, p, reject } from './define';
import { formatShape, normAxis, type Shape } from './shape';

export const concat = defineLayer({
  type: 'Concat',
  ui: { label: 'Concat', category: 'core', doc: 'Joins its inputs along one axis: channels of images (axis 1) or the last axis of vectors (-1).' },
  params: {
    inputs: p.int({ min: 2, max: 16, default: 2, doc: 'Number of inputs' }),
    axis: p.int({ min: -6, max: 6, default: 1, doc: 'Axis to join along, counting the batch as 0; negative counts from the end' }),
  },
  ports: ({ inputs }) => ({ in: numberedPorts(inputs), out: ['out'] }),
  dtypes: 'same',
  shape: (ins, { inputs, axis }) => {
    const shapes = numberedPorts(inputs).map((port) => ins[port] as Shape);
    const first = shapes[0];
    const a = normAxis(axis, first.length);
    if (a === null || a === 0) {
      return reject('E_PARAM_RANGE', `cannot join along axis ${axis} of ${formatShape(first)}: pick an axis from 1 to ${first.length - 1}`, {
        fix: { kind: 'setParam', label: 'Join along the last axis', param: 'axis', value: -1 },
      });
    }
    for (let i = 1; i < shapes.length; i++) {
      const s = shapes[i];
      if (s.length !== first.length || s.some((d, j) => j !== a && d !== first[j])) {
        return reject('E_SHAPE_MISMATCH', `joins along axis ${a}, so all other sizes must agree, but in0 is ${formatShape(first)} and in${i} is ${formatShape(s)}`, { port: `in${i}` });
      }
    }
    const joined = shapes.reduce((n, s) => n + (s[a] as number), 0);
    return { out: first.map((d, j) => (j === a ? joined : d)) };
  },
  forward: (ins, _w, { inputs, axis }) => {
    const list = numberedPorts(inputs).map((port) => ins[port]).filter((t) => t !== undefined);
    return { out: join(list, axis) };
  },
  flops: () => 0,
});
