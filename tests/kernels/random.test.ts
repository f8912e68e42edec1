/**
 * @file core/random: Philox4x32-10 known answers, the engine's pinned mapping (cross-checked with
 * an independent Python implementation when pinned), distribution sanity, stream independence,
 * stream ids, and initializer variances.
 */
import { describe, expect, it } from 'vitest';
import { fans, fillRandom, initialize, initializerMoments, normalAt, philox4x32, streamId, uniformAt, value, type Initializer } from '../../core/random';
import { random as randomKernel } from '../../core/backends/cpu/kernels';

function moments(x: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0, s2 = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = s / x.length;
  for (let i = 0; i < x.length; i++) s2 += (x[i] - mean) ** 2;
  return { mean, variance: s2 / x.length };
}

describe('Philox4x32-10', () => {
  it('matches the Random123 known-answer vectors', () => {
    const out = new Uint32Array(4);
    const kat: [number[], number[], number[]][] = [
      [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
      [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
      [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
    ];
    for (const [c, k, expected] of kat) {
      philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], out);
      expect(Array.from(out)).toEqual(expected);
    }
  });

  it('pins value / uniform / normal for (seed 42, stream 7, counter 3)', () => {
    // block 0 = Philox((0, 3, 0, 0); (42, 7)), block 250 = Philox((250, 3, 0, 0); (42, 7))
    expect([0, 1, 2, 3, 1000].map((i) => value(42, 7, 3, i))).toEqual([0xc850b43c, 0x75dfcdb5, 0x0e8be894, 0xd4d96a09, 0xf1e0687d]);
    expect(uniformAt(42, 7, 3, 0)).toBe((0xc850b43c >>> 8) / 2 ** 24);
    expect(uniformAt(42, 7, 3, 3)).toBe(0.8314424753189087);
    expect(normalAt(42, 7, 3, 0)).toBeCloseTo(-1.6930301210846888, 14);
    expect(normalAt(42, 7, 3, 1)).toBeCloseTo(0.4296407018736411, 14);
    expect(normalAt(42, 7, 3, 1000)).toBeCloseTo(-1.1756087730143212, 14);
  });

  it('fillRandom and the random kernel equal the per-element functions', () => {
    const n = 37;
    for (const dist of ['uniform', 'normal'] as const) {
      const a = new Float64Array(n);
      randomKernel(dist, 9, 11, 5, a);
      const at = dist === 'uniform' ? uniformAt : normalAt;
      expect(Array.from(a)).toEqual(Array.from({ length: n }, (_, i) => at(9, 11, 5, i)));
      const f = new Float32Array(n);
      fillRandom(dist, 9, 11, 5, f);
      expect(Array.from(f)).toEqual(Array.from(a, Math.fround));
    }
  });

  it('uniform: mean 1/2, variance 1/12 over 1e5 draws, within [0, 1)', () => {
    const x = new Float64Array(100_000);
    fillRandom('uniform', 1, 2, 0, x);
    const { mean, variance } = moments(x);
    // standard errors: 0.29/√n ≈ 9e-4 for the mean, ≈ 2.7e-4 for the variance
    expect(Math.abs(mean - 0.5)).toBeLessThan(4e-3);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(1.2e-3);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThan(1);
  });

  it('normal: mean 0, variance 1, light tails over 1e5 draws', () => {
    const x = new Float64Array(100_000);
    fillRandom('normal', 1, 3, 0, x);
    const { mean, variance } = moments(x);
    expect(Math.abs(mean)).toBeLessThan(1.5e-2);
    expect(Math.abs(variance - 1)).toBeLessThan(2e-2);
    const beyond2 = x.filter((v) => Math.abs(v) > 2).length / x.length; // P(|z| > 2) = 0.0455
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(4e-3);
  });

  it('streams, counters and seeds are independent', () => {
    const n = 100_000;
    const base = new Float64Array(n);
    fillRandom('uniform', 1, 100, 0, base);
    const others: [number, number, number][] = [[1, 101, 0], [1, 100, 1], [2, 100, 0]];
    for (const [seed, stream, counter] of others) {
      const y = new Float64Array(n);
      fillRandom('uniform', seed, stream, counter, y);
      let cov = 0;
      for (let i = 0; i < n; i++) cov += (base[i] - 0.5) * (y[i] - 0.5);
      const corr = cov / n / (1 / 12);
      expect(Math.abs(corr)).toBeLessThan(0.015); // ~4.7 standard errors of 1/√n
      let same = 0;
      for (let i = 0; i < n; i++) if (base[i] === y[i]) same++;
      expect(same).toBeLessThan(10);
    }
  });
});

describe('streamId', () => {
  it('is FNV-1a 32 over UTF-8 parts each followed by 0x00 (values from a Python FNV-1a)', () => {
    expect(streamId()).toBe(2166136261);
    expect(streamId('')).toBe(84696351);
    expect(streamId('a')).toBe(723832900);
    expect(streamId('dense_1', 'kernel')).toBe(1341210131);
    expect(streamId('é')).toBe(4086654931);
    expect(streamId('dense_1k', 'ernel')).not.toBe(streamId('dense_1', 'kernel'));
  });
});

describe('initializers', () => {
  it('fans follow PyTorch for conv and [in, out] for Dense', () => {
    expect(fans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
    expect(fans([16, 3, 5, 5])).toEqual({ fanIn: 75, fanOut: 400 });
    expect(fans([10])).toEqual({ fanIn: 10, fanOut: 10 });
  });

  it('variances match theory (within 3%), deterministic per (seed, stream)', () => {
    const cases: [Initializer, number[]][] = [
      [{ kind: 'glorotUniform' }, [300, 200]],
      [{ kind: 'glorotNormal' }, [300, 200]],
      [{ kind: 'heUniform' }, [64, 32, 3, 3]],
      [{ kind: 'heNormal' }, [64, 32, 3, 3]],
      [{ kind: 'uniform', limit: 0.05 }, [250, 240]],
      [{ kind: 'normal', std: 0.02, mean: 1 }, [250, 240]],
    ];
    for (const [init, shape] of cases) {
      const n = shape.reduce((a, b) => a * b, 1);
      const w = new Float32Array(n);
      initialize(init, shape, 123, streamId('node', init.kind), w);
      const got = moments(w);
      const want = initializerMoments(init, shape);
      expect(Math.abs(got.variance / want.variance - 1), init.kind).toBeLessThan(0.03);
      expect(Math.abs(got.mean - want.mean), init.kind).toBeLessThan(4 * Math.sqrt(want.variance / n));
      const again = new Float32Array(n);
      initialize(init, shape, 123, streamId('node', init.kind), again);
      expect(again).toEqual(w);
    }
    const limit = Math.sqrt(6 / 500);
    const w = new Float64Array(60_000);
    initialize({ kind: 'glorotUniform' }, [300, 200], 1, 2, w);
    expect(Math.max(...w)).toBeLessThanOrEqual(limit);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-limit);
  });

  it('constants', () => {
    const w = new Float32Array(4);
    initialize({ kind: 'ones' }, [4], 0, 0, w);
    expect(Array.from(w)).toEqual([1, 1, 1, 1]);
    initialize({ kind: 'constant', value: 0.5 }, [4], 0, 0, w);
    expect(Array.from(w)).toEqual([0.5, 0.5, 0.5, 0.5]);
    initialize({ kind: 'zeros' }, [4], 0, 0, w);
    expect(Array.from(w)).toEqual([0, 0, 0, 0]);
  });
});
