/**
 * @file Every registered layer on WebGPU (Dawn, Mesa GLES) against the float64 CPU: for each case
 * of tests/layers/cases, in eval and training mode, the forward outputs and the gradients of a
 * random projection of them w.r.t. the float inputs and every parameter. Parameters are written
 * (not initialised) so both backends see the same values; dropout draws the same Philox uniforms
 * on both. The number of layer types checked equals the registry size: none is skipped silently.
 * Tolerance: forward rtol 1e-4, atol 1e-5; gradients rtol 1e-3, atol 1e-4 (deep f32 sums).
 */
import { describe, expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { layers } from '../../core/layers';
import { layerConformance, oracle, SEED } from './conformance';
import { expectClose, nodeGpu } from './support';

const cases = layerConformance();

test('every registered layer type has a WebGPU case', () => {
  expect(new Set(cases.map((c) => c.subject)).size).toBe(layers.length);
});

describe.each(cases)('$label on WebGPU', (c) => {
  test('forward and gradients ~ f64 CPU', async () => {
    const { device } = await nodeGpu();
    const want = await oracle(c);
    const exe = createBackend('webgpu', { device }).prepare(c.plan, { seed: SEED });
    for (const [name, v] of Object.entries(c.variables)) exe.writeVariable(name, v);
    const got = await exe.run(c.inputs);
    exe.dispose();
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const name of Object.keys(want)) expectClose(`${c.label} output '${name}'`, got[name], want[name], c.tolerance[name]);
  });
});
