/** @file Sensor time series: exact windows and labels, splits by unit, train-only per-sensor statistics, the generated builtin:sensors set, and bad series. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importWindows, makeSensors, SENSOR_DEFAULTS, type SeriesTable } from '../../core/data';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';
import { loadDataset } from '../../electron/services/datasets/load';
import { ctx, datasetError, readAll, scratch } from './helpers';

const dir = scratch('series');

/** One sensor whose value is the row number; failures at the given rows. */
function ramp(units: number[], failures: number[][]): SeriesTable {
  const rows = units.reduce((a, b) => a + b, 0);
  const unitOf = new Int32Array(rows);
  const failure = new Uint8Array(rows);
  let at = 0;
  units.forEach((n, u) => {
    for (let t = 0; t < n; t++) unitOf[at + t] = u;
    for (const f of failures[u]) failure[at + f] = 1;
    at += n;
  });
  return { file: 'ramp', units: units.map((_, u) => `u${u}`), sensors: ['s'], values: Float64Array.from({ length: rows }, (_, r) => r), unitOf, failure };
}

describe('windows', () => {
  it('cuts windows with their failure labels exactly, leaving censored ones out', () => {
    // One unit of 10 rows, a failure at row 6; windows of 3 every 2 rows, horizon 2.
    const imported = importWindows(ramp([10], [[6]]), { length: 3, stride: 2, horizon: 2, testFraction: 0, normalize: false }, 1);
    // Ends 2, 4, 6, 8: failure within (e, e+2]: e=4 yes (6), e=2 no, e=6 no (6 is not after 6) and 7..8 known, e=8: row 9 only → censored.
    expect(readAll(imported.train, 'window')).toEqual([0, 1, 2, 2, 3, 4, 4, 5, 6]);
    expect(readAll(imported.train, 'label')).toEqual([0, 1, 0]);
    expect(imported.censored).toBe(1);
    expect(imported.train.classes).toEqual(['ok', 'fails']);
  });

  it('labels remaining useful life in rows to the next failure, capped when asked', () => {
    const imported = importWindows(ramp([8], [[7]]), { length: 2, stride: 1, horizon: 1, label: 'rul', testFraction: 0, normalize: false, rulCap: 4 }, 1);
    expect(imported.train.fields.rul).toEqual({ shape: [1], dtype: 'f32' });
    // Ends 1..7, failure at 7: RUL 6, 5, 4, 3, 2, 1, 0, capped at 4.
    expect(readAll(imported.train, 'rul')).toEqual([4, 4, 4, 3, 2, 1, 0]);
  });

  it('splits by unit so no machine is in both train and test, with statistics from the training units only', () => {
    const table = ramp([6, 6, 6, 6], [[5], [5], [5], [5]]);
    const imported = importWindows(table, { length: 2, horizon: 2, testFraction: 0.25 }, 11);
    expect(imported.testUnits).toHaveLength(1);
    const trainUnits = new Set(imported.train.unitOfWindow);
    const testUnits = new Set(imported.test!.unitOfWindow);
    expect([...testUnits].some((u) => trainUnits.has(u))).toBe(false);
    const trainRows = table.values.filter((_, r) => !testUnits.has(table.unitOf[r]));
    const mean = trainRows.reduce((a, b) => a + b, 0) / trainRows.length;
    expect(imported.normalization[0].mean).toBeCloseTo(mean, 9);
  });

  it('removes each window\'s first row or mean per sensor when asked (windowNormalize)', async () => {
    // Two sensors: [r, r²] at row r; one unit of 6 rows, a failure at row 5; windows of 3 every 2 rows.
    const base = ramp([6], [[5]]);
    const table: SeriesTable = { ...base, sensors: ['a', 'b'], values: Float64Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? i / 2 : (i >> 1) ** 2)) };
    const at = (windowNormalize: 'none' | 'first' | 'mean') => importWindows(table, { length: 3, stride: 2, horizon: 2, testFraction: 0, normalize: false, windowNormalize }, 1).train;
    // Window ends 2 and 4: rows 0..2 then 2..4, row-major [time, sensor].
    expect(readAll(at('none'), 'window')).toEqual([0, 0, 1, 1, 2, 4, 2, 4, 3, 9, 4, 16]);
    expect(readAll(at('first'), 'window')).toEqual([0, 0, 1, 1, 2, 4, 0, 0, 1, 5, 2, 12]);
    // Means: window 1 (1, 5/3), window 2 (3, 29/3).
    const mean = [0 - 1, 0 - 5 / 3, 1 - 1, 1 - 5 / 3, 2 - 1, 4 - 5 / 3, 2 - 3, 4 - 29 / 3, 3 - 3, 9 - 29 / 3, 4 - 3, 16 - 29 / 3];
    readAll(at('mean'), 'window').forEach((v, i) => expect(v).toBeCloseTo(mean[i], 5));
    // The shared series is untouched: gathering centred windows leaves the plain ones as they were.
    expect(readAll(at('none'), 'window', [1])).toEqual([2, 4, 3, 9, 4, 16]);
    expect(readAll(at('mean'), 'label')).toEqual([0, 1]);
    const error = await datasetError(() => loadBuiltinDataset('builtin:sensors', { windowNormalize: 'last' }, 1));
    expect(error.message).toBe('builtin:sensors: option windowNormalize must be one of none, first, mean (got "last").');
  });

  it('refuses a window longer than every series, naming the longest', async () => {
    const error = await datasetError(() => importWindows(ramp([5, 7], [[4], [6]]), { length: 9, horizon: 1 }, 1));
    expect(error.code).toBe('E_DATA_WINDOW_TOO_LONG');
    expect(error.message).toBe('ramp: a window of 9 rows is longer than every series (the longest unit has 7 rows); choose a window of at most 7.');
  });

  it('reads one CSV with a unit column, or a folder with one CSV per machine, the same way', async () => {
    const rows = (unit: string, n: number, fail: number) => Array.from({ length: n }, (_, t) => `${unit},${t},${t * 2},${t === fail ? 1 : 0}`);
    writeFileSync(join(dir, 'all.csv'), ['machine,time,temp,failure', ...rows('a', 8, 7), ...rows('b', 8, 5)].join('\n'));
    mkdirSync(join(dir, 'units'));
    writeFileSync(join(dir, 'units', 'a.csv'), ['time,temp,failure', ...rows('a', 8, 7).map((r) => r.slice(2))].join('\n'));
    writeFileSync(join(dir, 'units', 'b.csv'), ['time,temp,failure', ...rows('b', 8, 5).map((r) => r.slice(2))].join('\n'));
    const options = { unit: 'machine', time: 'time', length: 3, horizon: 2, testFraction: 0, normalize: false };
    const one = await loadDataset({ source: 'all.csv', kind: 'timeseries', options }, ctx(dir));
    const many = await loadDataset({ source: 'units', kind: 'timeseries', options: { ...options, unit: undefined } }, ctx(dir));
    expect(readAll(one.train, 'window')).toEqual(readAll(many.train, 'window'));
    expect(readAll(one.train, 'label')).toEqual(readAll(many.train, 'label'));
    expect(readAll(one.train, 'window', [0])).toEqual([0, 2, 4]);
    expect(one.description.fields).toEqual([{ name: 'window', shape: [3, 1], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }]);
  });

  it('names the line of a non-numeric sensor value', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'temp,failure\n1,0\n2,0\nhot,0\n4,1\n');
    const error = await datasetError(() => loadDataset({ source: 'bad.csv', kind: 'timeseries', options: { length: 2, horizon: 1 } }, ctx(dir)));
    expect(error.code).toBe('E_DATA_MIXED_TYPES');
    expect(error.message).toMatch(/bad\.csv line 4: column "temp" holds "hot", not a number/);
  });
});

describe('builtin:sensors', () => {
  const hash = (t: SeriesTable) => createHash('sha256').update(Float32Array.from(t.values)).update(t.failure).update(t.unitOf).digest('hex').slice(0, 16);

  it('is deterministic from its seed (hash of its arrays pinned)', () => {
    const a = makeSensors(7);
    expect(hash(a)).toBe(hash(makeSensors(7)));
    expect(hash(a)).not.toBe(hash(makeSensors(8)));
    expect(hash(a)).toBe('899c778220aefd06');
    expect([a.units.length, a.sensors.length, a.unitOf.length]).toEqual([10, 6, 8000]);
  });

  it('precedes failures by drift on the drifting sensors only', () => {
    const t = makeSensors(7);
    const S = t.sensors.length;
    const failures = [...t.failure.keys()].filter((r) => t.failure[r]);
    expect(failures.length).toBeGreaterThan(15);
    // Mean |x(failure row) - x(40 rows before)| in noise units: large for drifting sensors, small for others.
    const shift = (s: number) => failures.filter((r) => r >= 40 && t.unitOf[r - 40] === t.unitOf[r]).reduce((a, r) => a + Math.abs(t.values[r * S + s] - t.values[(r - 40) * S + s]), 0) / failures.length / (0.5 + 0.1 * s);
    for (let s = 0; s < S; s++) {
      if ((SENSOR_DEFAULTS.drifting as readonly number[]).includes(s)) expect(shift(s)).toBeGreaterThan(3);
      else expect(shift(s)).toBeLessThan(2.5);
    }
  });

  it('offers both label kinds through the builtin loader', async () => {
    const failure = await loadBuiltinDataset('builtin:sensors', {}, 0);
    expect(failure.train.fields).toEqual({ window: { shape: [30, 6], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } });
    const labels = readAll(failure.train, 'label');
    expect(labels.filter((l) => l === 1).length).toBeGreaterThan(50);
    const rul = await loadBuiltinDataset('builtin:sensors', { label: 'rul' }, 0);
    expect(rul.train.fields.rul).toEqual({ shape: [1], dtype: 'f32' });
    expect(Math.min(...readAll(rul.train, 'rul'))).toBe(0);
    expect(rul.test!.size).toBeGreaterThan(0);
  });
});
