/**
 * @file Max / average pooling and their gradients: against direct loops (random geometry) and
 * against PyTorch values (tests/fixtures/torch/{max,avg}pool2d.json), ties included.
 */
import { describe, expect, it } from 'vitest';
import type { PoolParams } from '../../core/ir/prims';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward, pool2dShape } from '../../core/backends/cpu/kernels';
import { FLOAT_TYPES, type PoolFixture, expectClose, makeRng, randInt, randomArray, readTorchFixture, size } from './reference';

const maxFixtures = readTorchFixture<{ cases: PoolFixture[] }>('maxpool2d.json');
const avgFixtures = readTorchFixture<{ cases: PoolFixture[] }>('avgpool2d.json');

/** Direct pooling: windows scanned row-major, first strict maximum wins; avg divides by KH·KW. */
function naivePool(x: ArrayLike<number>, xShape: number[], dy: ArrayLike<number>, p: PoolParams) {
  const [N, C, H, W] = xShape;
  const [, , OH, OW] = pool2dShape(xShape, p);
  const ymax = new Float64Array(N * C * OH * OW), yavg = new Float64Array(ymax.length);
  const dxmax = new Float64Array(x.length), dxavg = new Float64Array(x.length);
  for (let nc = 0; nc < N * C; nc++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const o = (nc * OH + i) * OW + j;
        let best = -1, sum = 0;
        for (let a = 0; a < p.kernel[0]; a++)
          for (let b = 0; b < p.kernel[1]; b++) {
            const yy = i * p.stride[0] - p.padding[0] + a, xx = j * p.stride[1] - p.padding[2] + b;
            if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
            const xi = (nc * H + yy) * W + xx;
            sum += x[xi];
            if (best < 0 || x[xi] > x[best]) best = xi;
            dxavg[xi] += dy[o] / (p.kernel[0] * p.kernel[1]);
          }
        ymax[o] = best < 0 ? -Infinity : x[best];
        if (best >= 0) dxmax[best] += dy[o];
        yavg[o] = sum / (p.kernel[0] * p.kernel[1]);
      }
  return { ymax, yavg, dxmax, dxavg };
}

function params(c: { kernel: number[]; stride: number[]; padding: number[] }): PoolParams {
  return { kernel: [c.kernel[0], c.kernel[1]], stride: [c.stride[0], c.stride[1]], padding: [c.padding[0], c.padding[1], c.padding[2], c.padding[3]] };
}

describe('pooling vs direct loops', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`random geometry, integer values for ties (${Ctor.name})`, () => {
      const rng = makeRng(60);
      for (let trial = 0; trial < 40; trial++) {
        const kernel = [randInt(rng, 1, 3), randInt(rng, 1, 3)];
        const p = params({ kernel, stride: [randInt(rng, 1, 3), randInt(rng, 1, 3)], padding: [randInt(rng, 0, kernel[0] - 1), randInt(rng, 0, 1), randInt(rng, 0, kernel[1] - 1), randInt(rng, 0, 1)] });
        const xShape = [randInt(rng, 1, 2), randInt(rng, 1, 3), randInt(rng, 3, 8), randInt(rng, 3, 8)];
        const x = trial % 2 ? randomArray(Ctor, size(xShape), rng) : randomArray(Ctor, size(xShape), rng).map(() => randInt(rng, -2, 2));
        const yShape = pool2dShape(xShape, p);
        const dy = randomArray(Ctor, size(yShape), rng);
        const ref = naivePool(x, xShape, dy, p);
        const t = Ctor === Float32Array ? 1e-6 : 1e-12;
        const y = new Ctor(size(yShape)), dx = new Ctor(x.length).fill(NaN);
        maxPool2d(x, xShape, p, y);
        expectClose(y, ref.ymax, t, t, 'max y');
        maxPool2dBackward(x, xShape, dy, p, dx);
        expectClose(dx, ref.dxmax, t, t, 'max dx');
        avgPool2d(x, xShape, p, y);
        expectClose(y, ref.yavg, t, t, 'avg y');
        dx.fill(NaN);
        avgPool2dBackward(dy, p, xShape, dx);
        expectClose(dx, ref.dxavg, t, t, 'avg dx');
      }
    });
  }

  it('NaN in a window wins the max', () => {
    const y = new Float64Array(1);
    maxPool2d(new Float64Array([1, NaN, 3, 2]), [1, 1, 2, 2], params({ kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0] }), y);
    expect(y[0]).toBeNaN();
  });
});

describe('pooling vs PyTorch 1.13', () => {
  for (const Ctor of FLOAT_TYPES) {
    const t = Ctor === Float32Array ? 1e-6 : 1e-9;
    for (const c of maxFixtures.cases) {
      it(`max ${c.name} (${Ctor.name})`, () => {
        const x = Ctor.from(c.x), dy = Ctor.from(c.dy);
        const y = new Ctor(size(c.yShape)), dx = new Ctor(x.length);
        maxPool2d(x, c.xShape, params(c), y);
        expectClose(y, c.y, t, t, 'y');
        maxPool2dBackward(x, c.xShape, dy, params(c), dx);
        expectClose(dx, c.dx, t, t, 'dx');
      });
    }
    for (const c of avgFixtures.cases) {
      it(`avg ${c.name} (${Ctor.name})`, () => {
        const x = Ctor.from(c.x), dy = Ctor.from(c.dy);
        const y = new Ctor(size(c.yShape)), dx = new Ctor(x.length);
        avgPool2d(x, c.xShape, params(c), y);
        expectClose(y, c.y, t, t, 'y');
        avgPool2dBackward(dy, params(c), c.xShape, dx);
        expectClose(dx, c.dx, t, t, 'dx');
      });
    }
  }
});
