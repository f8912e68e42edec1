/**
 * @file Image-folder import: 300 JPEGs of 256x256 RGB in 3 classes, generated into a temp folder,
 * probed and decoded one at a time against several at a time (sharp decodes on its own thread
 * pool; the samples are written in folder order either way).
 * Run: nice -n 5 npx vitest bench --run tests/data/imageImport.bench.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { importImageFolder } from '../../electron/services/datasets/images';

const dir = mkdtempSync(join(tmpdir(), 'brrr-image-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  for (let k = 0; k < 300; k++) {
    const folder = join(dir, 'images', `class${k % 3}`);
    mkdirSync(folder, { recursive: true });
    const raw = Buffer.alloc(256 * 256 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * (k + 7) + (i >> 8) * 13) % 256;
    await sharp(raw, { raw: { width: 256, height: 256, channels: 3 } }).jpeg().toFile(join(folder, `${k}.jpg`));
  }
});

describe('import 300 JPEGs of 256x256 RGB, resized to 64x64', () => {
  for (const concurrency of [1, 4, 8]) {
    bench(`${concurrency} at a time`, async () => {
      await importImageFolder(join(dir, 'images'), { size: [64, 64], channels: 3, concurrency }, join(dir, 'cache'));
    }, { iterations: 3, warmupIterations: 1 });
  }
});
