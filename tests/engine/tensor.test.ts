/** @file The Tensor front end: composites built from prims have the right values and gradients. */
import { describe, expect, test } from 'vitest';
import { vjp } from '../../core/autograd';
import { createBackend } from '../../core/backends';
import { compile } from '../../core/compile';
import { Tracer, concat, constant, oneHot, random, stack, trace, type Tensor } from '../../core/tensor';
import { gradCheck, runOnce } from './support';

async function evaluate(f: (t: Tracer) => Tensor, inputs: Record<string, number[]> = {}): Promise<number[]> {
  const graph = trace((t) => t.output('y', f(t)));
  return Array.from((await runOnce(graph, inputs)).y);
}

describe('composite values', () => {
  test('softmax rows sum to 1; logSoftmax = log softmax; logSumExp is stable at 1000', async () => {
    const x = [1, 2, 3, 1000, 1001, 1002];
    const sm = await evaluate((t) => t.input('x', [2, 3]).softmax(), { x });
    expect(sm[0] + sm[1] + sm[2]).toBeCloseTo(1, 12);
    expect(sm.slice(3)).toEqual(sm.slice(0, 3).map((v) => expect.closeTo(v, 12)));
    const lsm = await evaluate((t) => t.input('x', [2, 3]).logSoftmax(), { x });
    lsm.forEach((v, i) => expect(v).toBeCloseTo(Math.log(sm[i]), 12));
    const lse = await evaluate((t) => t.input('x', [2, 3]).logSumExp(1), { x });
    expect(lse[1]).toBeCloseTo(1002 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), 10);
  });

  test('relu, mean, reshape(-1), transpose default, negative slice', async () => {
    expect(await evaluate((t) => t.input('x', [4]).relu(), { x: [-1, 0, 2, -3] })).toEqual([0, 0, 2, 0]);
    expect(await evaluate((t) => t.input('x', [2, 2]).mean(0), { x: [1, 2, 3, 5] })).toEqual([2, 3.5]);
    const x6 = [0, 1, 2, 3, 4, 5];
    expect(await evaluate((t) => t.input('x', [2, 3]).transpose().reshape([-1]), { x: x6 })).toEqual([0, 3, 1, 4, 2, 5]);
    expect(await evaluate((t) => t.input('x', [6]).slice([-4], [-1]), { x: x6 })).toEqual([2, 3, 4]);
  });

  test('oneHot, stack, concat', async () => {
    const oh = await evaluate((t) => oneHot(t.input('y', [3], 'i32'), 4), { y: [2, 0, 3] });
    expect(oh).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    const st = await evaluate(() => stack([constant([1, 2]), constant([3, 4])], 1));
    expect(st).toEqual([1, 3, 2, 4]);
    const ct = await evaluate(() => concat([constant([1, 2]), constant([3])], 0));
    expect(ct).toEqual([1, 2, 3]);
  });

  test('relu passes no gradient at 0', async () => {
    const t = new Tracer();
    t.run(() => {
      const x = t.input('x', [3]);
      t.output('g', vjp(x.relu().sum(), [x])[0]);
    });
    expect(Array.from((await runOnce(t.graph, { x: [-1, 0, 1] })).g)).toEqual([0, 0, 1]);
  });

  test('random: same step same numbers, next step new numbers', async () => {
    const graph = trace((t) => t.output('r', random('uniform', [4])));
    const exe = createBackend('cpu', { mode: 'f64' }).prepare(compile(graph), { seed: 9 });
    const a = Array.from((await exe.run({ step: [0] })).r);
    const b = Array.from((await exe.run({ step: [0] })).r);
    const c = Array.from((await exe.run({ step: [1] })).r);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    a.forEach((v) => expect(v >= 0 && v < 1).toBe(true));
  });

  test('convTranspose2d output shape follows (H-1)s - pads + d(k-1) + 1 + outputPadding', () => {
    trace((t) => {
      const y = t.input('x', [1, 4, 3, 3]).convTranspose2d(t.input('w', [4, 3, 3, 3]), { stride: 2, padding: 1, outputPadding: [1, 1] });
      expect(y.shape).toEqual([1, 3, 6, 6]);
    });
  });
});

describe('composite gradients (finite differences, f64)', () => {
  const cases: { label: string; f: (xs: Tensor[]) => Tensor; shapes: number[][] }[] = [
    { label: 'softmax', f: ([x]) => x.softmax(), shapes: [[2, 4]] },
    { label: 'logSoftmax', f: ([x]) => x.logSoftmax(0), shapes: [[3, 2]] },
    { label: 'logSumExp', f: ([x]) => x.logSumExp([0, 1]), shapes: [[2, 3]] },
    { label: 'mean + square + rsqrt (layer norm)', f: ([x]) => {
      const mu = x.mean(-1, true);
      const c = x.sub(mu);
      return c.mul(c.square().mean(-1, true).add(1e-5).rsqrt());
    }, shapes: [[2, 5]] },
    { label: 'gelu (erf)', f: ([x]) => x.mul(x.mul(Math.SQRT1_2).erf().add(1)).mul(0.5), shapes: [[6]] },
    { label: 'stack + transpose + matmul', f: ([a, b]) => stack([a, b], 0).transpose([0, 2, 1]).matmul(a), shapes: [[3, 2], [3, 2]] },
    { label: 'convTranspose2d', f: ([x, w]) => x.convTranspose2d(w, { stride: 2, padding: 1, outputPadding: [1, 0] }), shapes: [[1, 2, 3, 3], [2, 2, 3, 3]] },
    { label: 'small CNN: conv, relu, maxPool, avgPool, flatten, dense, logSoftmax', f: ([x, w, w2]) => x
      .conv2d(w, { padding: 1 }).relu().maxPool2d({ kernel: 2 }).avgPool2d({ kernel: 1 }).flatten().matmul(w2).logSoftmax(),
    shapes: [[2, 1, 4, 4], [2, 1, 3, 3], [8, 3]] },
    { label: 'gather via embedding lookup', f: ([e]) => e.gather(constant([2, 0, 2], [3], 'i32'), 0), shapes: [[4, 3]] },
  ];
  test.each(cases)('$label', async ({ f, shapes }) => {
    expect(await gradCheck(f, shapes)).toBeLessThan(1e-6);
  });
});

describe('tracing errors are clear IrErrors', () => {
  test('misuse names the problem', () => {
    expect(() => trace((t) => { t.input('x', [2]); t.input('x', [3]); })).toThrow(/'x' is declared twice/);
    let outside: Tensor | undefined;
    trace((t) => { outside = t.input('a', [2]); });
    expect(() => trace((t) => t.input('b', [2]).add(outside as Tensor))).toThrow(/different traces/);
    expect(() => trace((t) => t.update('x', t.input('x', [2])))).toThrow(/not a parameter or state/);
    expect(() => trace((t) => t.input('x', [2, 3]).where(1, 0))).toThrow(/where: condition must be bool/);
    expect(() => trace((t) => t.input('i', [2], 'i32').exp())).toThrow(/exp: input must be f32, got i32/);
    expect(() => trace((t) => t.input('x', [1, 3, 4, 4]).conv2d(t.input('w', [2, 2, 3, 3])))).toThrow(/conv2d: input has 3 channels/);
    expect(() => constant(1)).toThrow(/no active trace/);
    expect(() => trace((t) => t.input('x', [2, 3]).sum(2))).toThrow(/axis 2 out of range/);
  });
});
