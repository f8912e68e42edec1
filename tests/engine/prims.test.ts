/**
 * @file Every primitive, from the registry of cases: the shape rule agrees with the executed output,
 * the plan verifies, f32 agrees with the f64 oracle, and differentiable prims pass a central
 * finite-difference check of a random scalar projection (float64, eps 1e-6).
 */
import { describe, expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { vjp } from '../../core/autograd';
import { compile } from '../../core/compile';
import { sizeOf } from '../../core/ir/graph';
import { ALL_PRIMS, Prim } from '../../core/ir/prims';
import { Tracer, constant, type Tensor } from '../../core/tensor';
import { primCases, type PrimCase } from './primCases';
import { generate, rng } from './support';

const EPS = 1e-6;
const RTOL = 1e-5;
const ATOL = 1e-6;

function inputValues(c: PrimCase, seed: number): number[][] {
  const r = rng(seed);
  return c.inputs.map((i) => generate(sizeOf(i.shape), i.gen ?? 'normal', r));
}

function feed(values: number[][]): Record<string, number[]> {
  return Object.fromEntries(values.map((v, i) => [`x${i}`, v]));
}

/** Declares the case's inputs and applies its prim. */
function build(t: Tracer, c: PrimCase): { xs: Tensor[]; y: Tensor } {
  const xs = c.inputs.map((i, k) => t.input(`x${k}`, i.shape, i.dtype ?? 'f32'));
  return { xs, y: c.build(xs) };
}

describe.each(ALL_PRIMS)('prim %s', (prim: Prim) => {
  const cases = primCases[prim];

  test('has at least one case', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases)('$label: shape rule = executed shape, plan verifies, f32 ~ f64', async (c) => {
    const t = new Tracer();
    const { y } = t.run((tr) => build(tr, c));
    t.output('y', y);
    expect(y.shape).toEqual(c.shape);
    const plan = compile(t.graph); // verifies graph and plan
    expect(plan.outputs[0].shape).toEqual(c.shape);
    const inputs = feed(inputValues(c, 1));
    const y64 = (await createBackend('cpu', { mode: 'f64' }).prepare(plan, { seed: 3 }).run(inputs)).y;
    const y32 = (await createBackend('cpu', { mode: 'f32' }).prepare(plan, { seed: 3 }).run(inputs)).y;
    expect(y64.length).toBe(sizeOf(c.shape));
    y64.forEach((v, i) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(y32[i] - v)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v)));
    });
    if (prim === Prim.Random) y64.forEach((v) => expect(Math.abs(v)).toBeLessThan(10));
  });

  test.each(cases)('$label: gradient', async (c) => {
    const values = inputValues(c, 2);
    const r = rng(99);
    const proj = generate(sizeOf(c.shape), 'normal', r);
    // loss = sum(y * R)
    const lossOf = (t: Tracer, y: Tensor): Tensor => y.cast('f32').mul(constant(proj, c.shape)).sum();

    const tg = new Tracer();
    tg.run((t) => {
      const { xs, y } = build(t, c);
      const loss = lossOf(t, y);
      t.output('loss', loss);
      const diff = xs.filter((x) => x.dtype === 'f32');
      vjp(loss, diff).forEach((g, i) => t.output(`g${i}`, g));
    });
    const out = await createBackend('cpu', { mode: 'f64' }).prepare(compile(tg.graph), { seed: 3 }).run(feed(values));
    const diffIdx = c.inputs.map((i, k) => ((i.dtype ?? 'f32') === 'f32' ? k : -1)).filter((k) => k >= 0);

    if (c.grad === false) {
      diffIdx.forEach((_, i) => out[`g${i}`].forEach((v) => expect(v).toBe(0)));
      return;
    }
    const tf = new Tracer();
    tf.run((t) => t.output('loss', lossOf(t, build(t, c).y)));
    const forward = createBackend('cpu', { mode: 'f64' }).prepare(compile(tf.graph), { seed: 3 });
    const lossAt = async (vals: number[][]): Promise<number> => (await forward.run(feed(vals))).loss[0];
    for (const [gi, k] of diffIdx.entries()) {
      const analytic = out[`g${gi}`];
      expect(analytic.length).toBe(values[k].length);
      for (let e = 0; e < values[k].length; e++) {
        const plus = values.map((v) => v.slice());
        const minus = values.map((v) => v.slice());
        plus[k][e] += EPS;
        minus[k][e] -= EPS;
        // central difference: (f(x + eps) - f(x - eps)) / 2 eps
        const numeric = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * EPS);
        const err = Math.abs(numeric - analytic[e]);
        if (err > ATOL + RTOL * Math.abs(numeric)) {
          throw new Error(`${prim} ${c.label}: d/dx${k}[${e}] analytic ${analytic[e]} vs numeric ${numeric}`);
        }
      }
    }
  });
});
