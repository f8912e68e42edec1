/**
 * @file conv2d and its gradients: against a direct 7-loop reference (random geometry, both float
 * types) and against PyTorch values (tests/fixtures/torch/conv2d.json, make_conv_fixtures.py).
 */
import { describe, it } from 'vitest';
import type { ConvParams } from '../../core/ir/prims';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight, conv2dShape } from '../../core/backends/cpu/kernels';
import { type ConvFixture, FLOAT_TYPES, expectClose, makeRng, randInt, randomArray, readTorchFixture, size } from './reference';

const fixtures = readTorchFixture<{ cases: ConvFixture[] }>('conv2d.json');

/**
 * Direct definition: for every (n, o, i, j, c, a, b) with the input position inside the image,
 * y += w·x, dx += w·dy, dw += x·dy. One loop nest gives all three.
 */
function naiveConv(x: ArrayLike<number>, xShape: number[], w: ArrayLike<number>, wShape: number[], dy: ArrayLike<number>, p: ConvParams) {
  const [N, C, H, W] = xShape;
  const [O, Cg, KH, KW] = wShape;
  const [, , OH, OW] = conv2dShape(xShape, wShape, p);
  const Og = O / p.groups;
  const y = new Float64Array(N * O * OH * OW);
  const dx = new Float64Array(N * C * H * W);
  const dw = new Float64Array(O * Cg * KH * KW);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          const yi = ((n * O + o) * OH + i) * OW + j;
          for (let c = 0; c < Cg; c++)
            for (let a = 0; a < KH; a++)
              for (let b = 0; b < KW; b++) {
                const yy = i * p.stride[0] - p.padding[0] + a * p.dilation[0];
                const xx = j * p.stride[1] - p.padding[2] + b * p.dilation[1];
                if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
                const xi = ((n * C + Math.floor(o / Og) * Cg + c) * H + yy) * W + xx;
                const wi = ((o * Cg + c) * KH + a) * KW + b;
                y[yi] += w[wi] * x[xi];
                dx[xi] += w[wi] * dy[yi];
                dw[wi] += x[xi] * dy[yi];
              }
        }
  return { y, dx, dw, yShape: [N, O, OH, OW] };
}

describe('conv2d family vs direct loops', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`random geometry: stride, dilation, asymmetric padding, groups (${Ctor.name})`, () => {
      const rng = makeRng(50);
      for (let trial = 0; trial < 40; trial++) {
        const groups = randInt(rng, 1, 3);
        const cg = randInt(rng, 1, 3), og = randInt(rng, 1, 3);
        const kh = randInt(rng, 1, 3), kw = randInt(rng, 1, 3);
        const p: ConvParams = {
          stride: [randInt(rng, 1, 3), randInt(rng, 1, 2)],
          padding: trial % 5 === 0 ? [0, 0, 0, 0] : [randInt(rng, 0, 2), randInt(rng, 0, 2), randInt(rng, 0, 2), randInt(rng, 0, 1)],
          dilation: [randInt(rng, 1, 2), randInt(rng, 1, 2)],
          groups,
        };
        if (trial % 5 === 0) p.stride = [1, 1];
        const xShape = [randInt(rng, 1, 2), cg * groups, randInt(rng, 3, 9), randInt(rng, 3, 9)];
        const wShape = [og * groups, cg, trial % 5 === 0 ? 1 : kh, trial % 5 === 0 ? 1 : kw];
        const yShape = conv2dShape(xShape, wShape, p);
        const x = randomArray(Ctor, size(xShape), rng);
        const w = randomArray(Ctor, size(wShape), rng);
        const dy = randomArray(Ctor, size(yShape), rng);
        const ref = naiveConv(x, xShape, w, wShape, dy, p);
        const t = Ctor === Float32Array ? 1e-5 : 1e-12;
        const label = `x[${xShape}] w[${wShape}] ${JSON.stringify(p)}`;
        const y = new Ctor(size(yShape));
        conv2d(x, xShape, w, wShape, p, y);
        expectClose(y, ref.y, t, t, `y ${label}`);
        const dx = new Ctor(x.length).fill(NaN);
        conv2dBackwardInput(dy, w, wShape, p, xShape, dx);
        expectClose(dx, ref.dx, t, t, `dx ${label}`);
        const dw = new Ctor(w.length).fill(NaN);
        conv2dBackwardWeight(x, xShape, dy, p, wShape, dw);
        expectClose(dw, ref.dw, t, t, `dw ${label}`);
      }
    });
  }
});

describe('conv2d family vs PyTorch 1.13 (float64 reference)', () => {
  for (const Ctor of FLOAT_TYPES) {
    for (const c of fixtures.cases) {
      it(`${c.name} (${Ctor.name})`, () => {
        const p: ConvParams = {
          stride: [c.stride[0], c.stride[1]],
          padding: [c.padding[0], c.padding[1], c.padding[2], c.padding[3]],
          dilation: [c.dilation[0], c.dilation[1]],
          groups: c.groups,
        };
        const t = Ctor === Float32Array ? 1e-5 : 1e-8; // fixtures are printed to 9 significant digits
        const x = Ctor.from(c.x), w = Ctor.from(c.w), dy = Ctor.from(c.dy);
        const y = new Ctor(size(c.yShape));
        conv2d(x, c.xShape, w, c.wShape, p, y);
        expectClose(y, c.y, t, t, 'y');
        const dx = new Ctor(x.length);
        conv2dBackwardInput(dy, w, c.wShape, p, c.xShape, dx);
        expectClose(dx, c.dx, t, t, 'dx');
        const dw = new Ctor(w.length);
        conv2dBackwardWeight(x, c.xShape, dy, p, c.wShape, dw);
        expectClose(dw, c.dw, t, t, 'dw');
      });
    }
  }
});
