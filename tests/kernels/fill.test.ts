/** @file Source kernels: constant (flat literal, splat, i32, bool) and random (see random.test.ts for the generator). */
import { describe, expect, it } from 'vitest';
import { constant, random } from '../../core/backends/cpu/kernels';

describe('constant', () => {
  it('copies a flat literal, splats a single value, converts for i32 and bool', () => {
    const f = new Float32Array(3);
    constant([1.5, -2, 0.1], 'f32', f);
    expect(Array.from(f)).toEqual([1.5, -2, Math.fround(0.1)]);
    constant([7], 'f32', f);
    expect(Array.from(f)).toEqual([7, 7, 7]);
    const i = new Int32Array(3);
    constant([1.9, -1.9, 3], 'i32', i);
    expect(Array.from(i)).toEqual([1, -1, 3]);
    const b = new Float64Array(3);
    constant([0, 2, -0.5], 'bool', b);
    expect(Array.from(b)).toEqual([0, 1, 1]);
    expect(() => constant([1, 2], 'f32', f)).toThrow();
  });
});

describe('random kernel', () => {
  it('same (seed, stream, counter) → same bits; next counter → different bits', () => {
    const a = new Float32Array(10), b = new Float32Array(10), c = new Float32Array(10);
    random('normal', 1, 2, 3, a);
    random('normal', 1, 2, 3, b);
    random('normal', 1, 2, 4, c);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});
