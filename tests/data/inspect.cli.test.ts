/** @file `brrr data inspect PATH [--json]` on every kind, spawned as a user runs it, and its one-line errors. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy, type DatasetDescription } from '../../core/data';
import { ensureBuilt, repoRoot } from '../build/ensureBuilt';
import { runBrrr } from '../cli/runBrrr';
import { scratch } from './helpers';

const dir = scratch('inspect');
const inspect = (path: string, json = true) => runBrrr(['data', 'inspect', path, ...(json ? ['--json'] : [])], { cwd: dir, timeoutMs: 60_000 });

async function described(path: string): Promise<DatasetDescription & { type: string }> {
  const r = await inspect(path);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as DatasetDescription & { type: string };
}

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(join(dir, 'flowers.csv'), 'petal,sepal,species\n1.4,5.1,setosa\n4.7,7.0,versicolor\n1.3,4.9,setosa\n4.5,6.4,versicolor\n6.0,6.3,virginica\n');
  mkdirSync(join(dir, 'machines'));
  for (const m of ['m1', 'm2', 'm3', 'm4']) {
    writeFileSync(join(dir, 'machines', `${m}.csv`), ['t,vibration,temp,failure', ...Array.from({ length: 60 }, (_, t) => `${t},${t % 7},${20 + t / 10},${t === 45 ? 1 : 0}`)].join('\n'));
  }
  for (const [cls, value] of [['ok', 30], ['scratch', 220]] as const) {
    mkdirSync(join(dir, 'parts', cls), { recursive: true });
    for (let i = 0; i < 3; i++) await sharp({ create: { width: 6, height: 4, channels: 3, background: { r: value, g: i * 10, b: 0 } } }).png().toFile(join(dir, 'parts', cls, `${i}.png`));
  }
  writeFileSync(join(dir, 'features.npy'), encodeNpy(Float32Array.from({ length: 20 }, (_, i) => i), [5, 4]));
  copyFileSync(join(repoRoot, 'tests', 'fixtures', 'data', 'compressed.npz'), join(dir, 'digits.npz'));
  const idx = new DataView(new ArrayBuffer(4 + 12 + 8));
  idx.setUint8(2, 8);
  idx.setUint8(3, 3);
  [2, 2, 2].forEach((d, i) => idx.setUint32(4 + 4 * i, d, false));
  writeFileSync(join(dir, 'tiny-idx3-ubyte'), new Uint8Array(idx.buffer));
  writeFileSync(join(dir, 'poem.txt'), 'Tyger Tyger, burning bright, In the forests of the night; '.repeat(20));
  writeFileSync(join(dir, 'broken.csv'), 'a,label\n1,x\n2,"y\n');
  writeFileSync(join(dir, 'fake.png.csv'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
});

describe('brrr data inspect', () => {
  it('describes a CSV table: fields, classes with counts, column statistics', async () => {
    const d = await described('flowers.csv');
    expect([d.type, d.kind, d.samples + d.testSamples]).toEqual(['dataset', 'csv', 5]);
    expect(d.fields).toEqual([{ name: 'features', shape: [2], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }]);
    expect(d.classes?.map((c) => c.name)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.columns?.[0]).toMatchObject({ name: 'petal', type: 'number', min: 1.3, max: 6 });
    const text = await inspect('flowers.csv', false);
    expect(text.stdout).toMatch(/^flowers\.csv: csv, \d+ samples/);
    expect(text.stdout).toMatch(/ {2}features {2}\[2\] f32/);
  });

  it('describes a folder of per-machine CSVs as time series windows split by machine', async () => {
    const d = await described('machines');
    expect(d.kind).toBe('timeseries');
    expect(d.fields).toEqual([{ name: 'window', shape: [30, 3], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }]);
    expect(d.notes.join('\n')).toMatch(/train units: .*\ntest units: m\d/);
    expect(d.classes?.find((c) => c.name === 'fails')?.count).toBeGreaterThan(0);
  });

  it('describes an image folder: NCHW shape and classes', async () => {
    const d = await described('parts');
    expect(d.kind).toBe('images');
    expect(d.fields[0]).toEqual({ name: 'image', shape: [3, 4, 6], dtype: 'f32' });
    expect(d.samples + d.testSamples).toBe(6);
  });

  it('describes .npy, .npz, IDX and text', async () => {
    expect((await described('features.npy')).fields).toEqual([{ name: 'x', shape: [4], dtype: 'f32' }]);
    const npz = await described('digits.npz');
    expect(npz.fields.map((f) => f.name)).toEqual(['x', 'label']);
    expect(npz.classes).toHaveLength(3);
    expect((await described('tiny-idx3-ubyte')).fields).toEqual([{ name: 'image', shape: [1, 2, 2], dtype: 'f32' }]);
    const text = await described('poem.txt');
    expect([text.kind, text.fields]).toEqual(['text', [{ name: 'tokens', shape: [64], dtype: 'i32' }, { name: 'next', shape: [64], dtype: 'i32' }]]);
  });

  it('turns a bad file into one line with a stable code, never a stack', async () => {
    const human = await inspect('broken.csv', false);
    expect(human.code).toBe(1);
    expect(human.stderr.trim().split('\n')).toHaveLength(1);
    expect(human.stderr).toMatch(/^brrr: .*broken\.csv line 3: a quoted field opened on this row is never closed/);
    expect(human.stderr).not.toMatch(/\n\s+at /);
    const json = await inspect('fake.png.csv');
    expect(json.code).toBe(1);
    const error = JSON.parse(json.stdout.trim() || json.stderr.trim()) as { type: string; code: string; message: string };
    expect([error.type, error.code]).toEqual(['error', 'E_DATA_WRONG_FORMAT']);
    expect(error.message).toMatch(/fake\.png\.csv is named like a table but is a PNG image/);
  });
});
