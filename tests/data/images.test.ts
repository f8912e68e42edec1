/** @file Image folders: exact NCHW values from PNGs, resize and channels, bad images, streaming equals in-memory, seeded train-only augmentation. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { AugmentedDataset, ChunkedDataset, InMemoryDataset } from '../../core/data';
import { importImageFolder } from '../../electron/services/datasets/images';
import { SpillChunkSource, SpillWriter } from '../../electron/services/datasets/spill';
import { holdOut, loadDataset, recipeTrainRows } from '../../electron/services/datasets/load';
import { ctx, datasetError, readAll, scratch, shuffledEpoch } from './helpers';

const dir = scratch('images');

async function png(path: string, width: number, height: number, channels: 1 | 3, pixel: (x: number, y: number, c: number) => number): Promise<void> {
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) raw[(y * width + x) * channels + c] = pixel(x, y, c);
  mkdirSync(join(path, '..'), { recursive: true });
  const image = sharp(raw, { raw: { width, height, channels } });
  await (channels === 1 ? image.toColourspace('b-w') : image).png().toFile(path);
}

/** libvips' b-w value of pure red (255, 0, 0) after a JPEG round trip (perceptual lightness, not Rec. 601 luma), measured once and pinned. */
const JPEG_RED_LUMA = 127;
const grayValue = (k: number) => (x: number, y: number) => (k * 37 + y * 3 + x * 11) % 256;

beforeAll(async () => {
  // gray/: 2 classes x 3 images of 3x2 (w x h), 1 channel, pixel values known.
  for (let k = 0; k < 6; k++) await png(join(dir, 'gray', k < 3 ? 'cat' : 'dog', `${k}.png`), 3, 2, 1, grayValue(k));
  await png(join(dir, 'rgb', 'a', '0.png'), 2, 2, 3, (x, y, c) => 10 * c + 2 * y + x);
  await png(join(dir, 'rgb', 'b', '0.png'), 2, 2, 3, (x, y, c) => 100 + 10 * c + 2 * y + x);
  await png(join(dir, 'mixed', 'a', 'small.png'), 4, 4, 3, () => 200);
  await png(join(dir, 'mixed', 'b', 'large.png'), 8, 6, 3, () => 50);
  await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 255, g: 0, b: 0 } } }).jpeg().toFile(join(dir, 'mixed', 'b', 'photo.jpg'));
  // broken/: one good image per class, a truncated PNG and a text file named .png.
  await png(join(dir, 'broken', 'a', 'ok.png'), 2, 2, 1, () => 1);
  await png(join(dir, 'broken', 'b', 'ok.png'), 2, 2, 1, () => 2);
  const whole = await sharp(Buffer.alloc(16 * 16, 7), { raw: { width: 16, height: 16, channels: 1 } }).png().toBuffer();
  writeFileSync(join(dir, 'broken', 'a', 'truncated.png'), whole.subarray(0, 40));
  writeFileSync(join(dir, 'broken', 'b', 'notes.png'), 'this is not an image\n');
  mkdirSync(join(dir, 'empty', 'a'), { recursive: true });
  mkdirSync(join(dir, 'empty', 'b'), { recursive: true });
  await png(join(dir, 'oneclass', 'only', '0.png'), 2, 2, 1, () => 0);
});

describe('image folders', () => {
  it('decodes grayscale PNGs to exact [1, H, W] values with class labels', async () => {
    const loaded = await loadDataset({ source: 'gray', kind: 'images', options: { testFraction: 0 } }, ctx(dir));
    expect(loaded.description.fields).toEqual([{ name: 'image', shape: [1, 2, 3], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }]);
    expect(loaded.description.classes).toEqual([{ name: 'cat', count: 3 }, { name: 'dog', count: 3 }]);
    const expected: number[] = [];
    for (let k = 0; k < 6; k++) for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) expected.push(Math.fround(grayValue(k)(x, y) / 255));
    expect(readAll(loaded.train, 'image')).toEqual(expected);
    expect(readAll(loaded.train, 'label')).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('lays RGB out as NCHW planes', async () => {
    const loaded = await loadDataset({ source: 'rgb', kind: 'images', options: { testFraction: 0 } }, ctx(dir));
    expect(loaded.train.fields.image.shape).toEqual([3, 2, 2]);
    const first = readAll(loaded.train, 'image', [0]).map((v) => Math.round(v * 255));
    expect(first).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
  });

  it('refuses images of different sizes without a size, naming both; resizes them (PNG and JPEG) with one', async () => {
    const error = await datasetError(() => loadDataset({ source: 'mixed', kind: 'images', options: {} }, ctx(dir)));
    expect(error.code).toBe('E_DATA_IMAGE_SIZE');
    expect(error.message).toMatch(/small\.png is 4x4, .*large\.png is 8x6\); set the option size: \[height, width\]/);
    const gray = await loadDataset({ source: 'mixed', kind: 'images', options: { size: [5, 5], channels: 1, testFraction: 0 } }, ctx(dir));
    expect(gray.train.fields.image.shape).toEqual([1, 5, 5]);
    const values = readAll(gray.train, 'image');
    // a/small.png is flat 200, b/large.png flat 50, b/photo.jpg pure red.
    expect(values.slice(0, 25).every((v) => Math.round(v * 255) === 200)).toBe(true);
    expect(values.slice(25, 50).every((v) => Math.round(v * 255) === 50)).toBe(true);
    expect(values.slice(50).map((v) => Math.round(v * 255))).toEqual(new Array(25).fill(JPEG_RED_LUMA));
  });

  it('skips a truncated image and a text file named .png, saying how many and which', async () => {
    const loaded = await loadDataset({ source: 'broken', kind: 'images', options: { testFraction: 0 } }, ctx(dir));
    expect(loaded.train.size).toBe(2);
    expect(loaded.description.problems).toHaveLength(1);
    const [problem] = loaded.description.problems;
    expect(problem).toMatch(/^2 images skipped \(.*truncated\.png, .*notes\.png\): /);
    expect(problem).toMatch(/truncated\.png cannot be read \(.*\); the file is damaged: remove or replace it\./);
    expect(problem).toMatch(/notes\.png is named like an image but is a text file; remove it or replace it with a PNG or JPEG\./);
  });

  it('decodes several images at once yet keeps the samples, and the skipped files, in folder order', async () => {
    for (const folder of ['gray', 'broken', 'mixed']) {
      const options = { size: [3, 3] as [number, number], channels: 1 as const };
      const one = await importImageFolder(join(dir, folder), { ...options, concurrency: 1 }, join(dir, 'cache'));
      const many = await importImageFolder(join(dir, folder), { ...options, concurrency: 5 }, join(dir, 'cache'));
      expect(readAll(many.dataset, 'image')).toEqual(readAll(one.dataset, 'image'));
      expect(readAll(many.dataset, 'label')).toEqual(readAll(one.dataset, 'label'));
      expect(many.skipped).toEqual(one.skipped);
    }
  });

  it('refuses an empty folder and a single class', async () => {
    expect((await datasetError(() => loadDataset({ source: 'empty', kind: 'images', options: {} }, ctx(dir)))).code).toBe('E_DATA_EMPTY');
    expect((await datasetError(() => loadDataset({ source: 'nothing-here', kind: 'images', options: {} }, ctx(dir)))).code).toBe('E_DATA_NOT_FOUND');
    const single = await datasetError(() => loadDataset({ source: 'oneclass', kind: 'images', options: {} }, ctx(dir)));
    expect(single.code).toBe('E_DATA_SINGLE_CLASS');
  });
});

describe('standardization', () => {
  it('z-scores each channel with the statistics of the rows the recipe trains on', async () => {
    const loaded = await loadDataset({ source: 'gray', kind: 'images', options: { testFraction: 0, normalize: 'standard' } }, ctx(dir));
    const trainRows = recipeTrainRows(holdOut(6, 0, 3).train, 0.25, 3);
    const raw: number[] = [];
    for (const k of trainRows) for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) raw.push(Math.fround(grayValue(k)(x, y) / 255));
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length);
    const sample = readAll(loaded.train, 'image', [0]);
    sample.forEach((v, i) => expect(v).toBeCloseTo((Math.fround(grayValue(0)(i % 3, Math.floor(i / 3)) / 255) - mean) / std, 4));
    expect(loaded.description.notes[1]).toMatch(/^standardized per channel with 4 training images: mean /);
  });
});

describe('streaming from disk', () => {
  it('gives the same batches as in memory with the same seed, holding at most cacheChunks chunks', async () => {
    // 6 images in chunks of 2 with room for 2 chunks: the set never fits the cache.
    const imported = await importImageFolder(join(dir, 'gray'), { chunkRows: 2, cacheChunks: 2 }, join(dir, 'cache'));
    const streamed: ChunkedDataset = imported.dataset;
    const memory = new InMemoryDataset('memory', 6, {
      image: { spec: streamed.fields.image, data: Float32Array.from(readAll(streamed, 'image')) },
      label: { spec: streamed.fields.label, data: Int32Array.from(readAll(streamed, 'label')) },
    });
    for (const seed of [1, 2, 3]) {
      expect(shuffledEpoch(streamed, 'image', 4, seed)).toEqual(shuffledEpoch(memory, 'image', 4, seed));
      expect(shuffledEpoch(streamed, 'label', 4, seed)).toEqual(shuffledEpoch(memory, 'label', 4, seed));
    }
    expect(streamed.stats.held).toBeLessThanOrEqual(2);
    expect(streamed.stats.misses).toBeGreaterThan(3);
    expect(imported.source.counts.prefetched + imported.source.counts.direct).toBe(streamed.stats.misses);
    imported.source.close();
  });
});

describe('streaming access patterns', () => {
  it('reads shuffled batches sample by sample and sequential ones by chunk, with the same values as in memory', () => {
    const N = 200;
    const fields = { x: { shape: [3], dtype: 'f32' as const }, y: { shape: [], dtype: 'i32' as const } };
    const file = join(dir, 'synthetic.chunks');
    const writer = new SpillWriter(file, fields, 32);
    const x = Float32Array.from({ length: N * 3 }, (_, i) => i / 7);
    const y = Int32Array.from({ length: N }, (_, i) => i % 5);
    for (let i = 0; i < N; i++) writer.append({ x: x.subarray(i * 3, i * 3 + 3), y: [y[i]] });
    writer.finish();
    const source = new SpillChunkSource(file, fields, 32, { name: 'synthetic', size: N, prefetchSlots: 2 });
    const streamed = new ChunkedDataset(source, 2);
    const memory = new InMemoryDataset('memory', N, { x: { spec: fields.x, data: x }, y: { spec: fields.y, data: y } });
    expect(shuffledEpoch(streamed, 'x', 8, 5)).toEqual(shuffledEpoch(memory, 'x', 8, 5));
    expect(shuffledEpoch(streamed, 'y', 8, 5)).toEqual(shuffledEpoch(memory, 'y', 8, 5));
    // Each field of each sample comes either from a sample read or from a loaded chunk; a sample
    // read fetches the whole record, so y of a sample whose x was read comes from the record cache.
    expect(streamed.stats.sampleReads).toBeGreaterThan(100);
    expect(streamed.stats.sampleReads).toBe(source.counts.sampleReads + source.counts.recordHits);
    expect(source.counts.recordHits).toBeGreaterThan(50);
    // In order (evaluation): whole chunks, the next one prefetched.
    const inOrder = (d: typeof memory | ChunkedDataset) => readAll(d, 'x', Array.from({ length: N }, (_, i) => i));
    const before = streamed.stats.sampleReads;
    for (let s = 0; s < N; s += 50) expect(readAll(streamed, 'x', Array.from({ length: Math.min(50, N - s) }, (_, i) => s + i))).toEqual(inOrder(memory).slice(s * 3, (s + 50) * 3));
    expect(streamed.stats.sampleReads).toBe(before);
    expect(streamed.stats.held).toBeLessThanOrEqual(2);
    source.close();
  });
});

describe('augmentation', () => {
  it('changes training rows only, the same way for the same seed', async () => {
    const loaded = await importImageFolder(join(dir, 'gray'), {}, join(dir, 'cache'));
    const trainRows = [0, 1, 2, 3];
    const make = () => new AugmentedDataset(loaded.dataset, { flip: true }, 5, trainRows);
    const a = make(), b = make();
    const original = readAll(loaded.dataset, 'image');
    let flipped = 0;
    for (let call = 0; call < 8; call++) {
      const x = readAll(a, 'image');
      expect(x).toEqual(readAll(b, 'image'));
      expect(x.slice(4 * 6)).toEqual(original.slice(4 * 6)); // rows 4, 5: validation, untouched
      for (let r = 0; r < 4; r++) {
        const row = x.slice(r * 6, r * 6 + 6);
        const orig = original.slice(r * 6, r * 6 + 6);
        const mirror = [orig[2], orig[1], orig[0], orig[5], orig[4], orig[3]];
        expect([orig, mirror]).toContainEqual(row);
        if (row.join() !== orig.join()) flipped++;
      }
    }
    expect(flipped).toBeGreaterThan(5);
    expect(flipped).toBeLessThan(27);
    expect(readAll(new AugmentedDataset(loaded.dataset, { flip: true }, 6, trainRows), 'image')).not.toEqual(readAll(make(), 'image'));
    loaded.source.close();
  });
});
