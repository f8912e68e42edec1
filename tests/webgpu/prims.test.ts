/**
 * @file Every primitive on WebGPU (Dawn, Mesa GLES) against the float64 CPU oracle: each case of
 * tests/engine/primCases (driven by the Prim enum, so a primitive without a case fails) runs its
 * forward, and differentiable cases also their reverse-mode gradient graph (which exercises the
 * backward primitives, reductions and broadcasts the autograd emits). f32 tolerance: rtol 1e-4,
 * atol 1e-5. Uniform random draws must equal the f32 CPU's bit for bit.
 */
import { describe, expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { ALL_PRIMS } from '../../core/ir/prims';
import { primConformance, oracle, SEED } from './conformance';
import { expectClose, nodeGpu } from './support';

const cases = primConformance();

test('every primitive has a case', () => {
  for (const prim of ALL_PRIMS) expect(cases.filter((c) => c.subject === prim).length, prim).toBeGreaterThan(0);
});

describe.each(cases)('$label on WebGPU', (c) => {
  test('forward and gradient ~ f64 CPU', async () => {
    const { device } = await nodeGpu();
    const want = await oracle(c);
    const exe = createBackend('webgpu', { device }).prepare(c.plan, { seed: SEED });
    const got = await exe.run(c.inputs);
    exe.dispose();
    for (const name of Object.keys(want)) expectClose(`${c.label} output '${name}'`, got[name], want[name], c.tolerance[name]);
    if (c.exact) {
      const f32 = await oracle(c, 'f32');
      for (const name of c.exact) expect(Array.from(got[name]), `${name} bit for bit`).toEqual(Array.from(f32[name]));
    }
  });
});
