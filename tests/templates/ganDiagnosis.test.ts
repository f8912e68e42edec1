/** @file GAN diagnosis on planted cases: mode collapse (identical samples) and a discriminator that wins outright; healthy runs say nothing. */
import { describe, expect, it } from 'vitest';
import { GanDiagnosis, sampleDiversity } from '../../core/train/ganDiagnosis';
import { discriminatorLossFloor } from '../../core/train/ganOptions';
import { splitmix32 } from '../../core/data/split';

const SIZE = 64;

function images(count: number, distinct: boolean, seed = 1): Float32Array {
  const next = splitmix32(seed);
  const base = Float32Array.from({ length: SIZE }, () => next() / 4294967296);
  const out = new Float32Array(count * SIZE);
  for (let i = 0; i < count; i++) for (let k = 0; k < SIZE; k++) out[i * SIZE + k] = distinct ? next() / 4294967296 : base[k] + 1e-3 * (next() / 4294967296);
  return out;
}

describe('sampleDiversity', () => {
  it('is 0 for identical images and the RMS pixel distance otherwise', () => {
    expect(sampleDiversity(new Float32Array(4 * SIZE).fill(0.5), SIZE)).toBe(0);
    // two images, all pixels 0 and all 1: RMS distance 1
    expect(sampleDiversity(Float32Array.from({ length: 2 * SIZE }, (_, i) => (i < SIZE ? 0 : 1)), SIZE)).toBeCloseTo(1, 12);
    // uniform noise: E|a-b|² = 1/6, so the RMS distance is about 0.408
    expect(sampleDiversity(images(16, true), SIZE)).toBeGreaterThan(0.35);
  });
});

describe('GAN diagnosis', () => {
  it('flags mode collapse once when generated samples are near copies of each other', () => {
    const d = new GanDiagnosis();
    const real = sampleDiversity(images(16, true, 2), SIZE);
    expect(d.samples(100, 1, sampleDiversity(images(16, true, 3), SIZE), real)).toEqual([]);
    const collapsed = d.samples(200, 2, sampleDiversity(images(16, false), SIZE), real);
    expect(collapsed.map((w) => w.code)).toEqual(['W_MODE_COLLAPSE']);
    expect(collapsed[0].message).toContain('epoch 2');
    expect(d.samples(300, 3, 0, real)).toEqual([]); // said once
  });

  it('flags a runaway discriminator over a window, not on one lucky step', () => {
    const d = new GanDiagnosis({ window: 20, warmupSteps: 0 });
    // a healthy tug of war: D around ln 2, G around 1
    for (let s = 0; s < 50; s++) expect(d.step(s, 0.6 + 0.1 * Math.sin(s), 1 + 0.2 * Math.cos(s))).toEqual([]);
    // one spike is not enough
    expect(d.step(50, 0.001, 9)).toEqual([]);
    const said = [];
    for (let s = 51; s < 90; s++) said.push(...d.step(s, 0.01, 7 + s / 100));
    expect(said.map((w) => w.code)).toEqual(['W_DISCRIMINATOR_WINS']);
    expect(said[0].suggestion).toMatch(/discriminatorSteps|learning rate/);
  });

  it('does not judge the first warmupSteps (D always wins at first), but a win that outlasts them is said', () => {
    const d = new GanDiagnosis({ window: 20, warmupSteps: 100 });
    const said: (number | undefined)[] = [];
    // D wins for the first 80 steps, as every GAN starts, then a tug of war
    for (let s = 1; s <= 80; s++) said.push(...d.step(s, 0.01, 7).map((w) => w.step));
    for (let s = 81; s <= 300; s++) said.push(...d.step(s, 0.6, 1).map((w) => w.step));
    expect(said).toEqual([]);
    // a win that starts at once and lasts past the warm-up is said at the first step after it
    const runaway = new GanDiagnosis({ window: 20, warmupSteps: 100 });
    for (let s = 1; s <= 150; s++) said.push(...runaway.step(s, 0.01, 7).map((w) => w.step));
    expect(said).toEqual([101]);
  });

  it('with its defaults stays quiet through the early win of a deep discriminator (mnist-gan: ~300 steps), yet says a win that lasts', () => {
    // the shape of mnist-gan's own run (events.jsonl of templates:check): D at its smoothed floor and
    // G near 7 until step ~300, then a tug of war around 0.3 / 2.5 — 200 steps of warm-up flagged it at 201
    const floor = discriminatorLossFloor(0.9);
    const healthy = new GanDiagnosis({ discriminatorLossFloor: floor });
    const said: (number | undefined)[] = [];
    for (let s = 1; s <= 320; s++) said.push(...healthy.step(s, floor + 0.005, 7).map((w) => w.step));
    for (let s = 321; s <= 2000; s++) said.push(...healthy.step(s, 0.3 + 0.05 * Math.sin(s), 2.5 + 0.3 * Math.cos(s)).map((w) => w.step));
    expect(said).toEqual([]);
    const runaway = new GanDiagnosis({ discriminatorLossFloor: floor });
    for (let s = 1; s <= 2000; s++) said.push(...runaway.step(s, floor + 0.005, 7).map((w) => w.step));
    expect(said).toEqual([501]);
  });

  it('with smoothed real labels (0.9) judges the loss above its floor ½·H(0.9) ≈ 0.1625, which a winning D cannot go below', () => {
    const floor = discriminatorLossFloor(0.9);
    expect(floor).toBeCloseTo(0.5 * (-0.9 * Math.log(0.9) - 0.1 * Math.log(0.1)), 12);
    expect(discriminatorLossFloor(1)).toBe(0);
    const plain = new GanDiagnosis({ window: 20, warmupSteps: 0 });
    const smoothed = new GanDiagnosis({ window: 20, warmupSteps: 0, discriminatorLossFloor: floor });
    const said = { plain: [] as string[], smoothed: [] as string[] };
    for (let s = 0; s < 40; s++) {
      said.plain.push(...plain.step(s, floor + 0.01, 7).map((w) => w.code));
      said.smoothed.push(...smoothed.step(s, floor + 0.01, 7).map((w) => w.message));
    }
    expect(said.plain).toEqual([]);
    expect(said.smoothed).toHaveLength(1);
    expect(said.smoothed[0]).toMatch(/the least its smoothed labels allow: 0\.1625/);
    // a healthy tug of war with smoothing says nothing
    const healthy = new GanDiagnosis({ window: 20, warmupSteps: 0, discriminatorLossFloor: floor });
    for (let s = 0; s < 40; s++) expect(healthy.step(s, 0.6, 1)).toEqual([]);
  });

  it('remembers what it said across a resume', () => {
    const d = new GanDiagnosis();
    d.samples(1, 1, 0, 0.3);
    const resumed = new GanDiagnosis();
    resumed.restore(d.snapshot());
    expect(resumed.samples(2, 2, 0, 0.3)).toEqual([]);
  });
});
