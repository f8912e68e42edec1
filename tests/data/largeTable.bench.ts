/**
 * @file A CSV far bigger than the cache, streamed: 1,000,000 rows x 20 columns (17 numeric with
 * gaps, 2 categorical, a 3-class label; about 110 MB) generated into a temp folder, imported
 * through `loadDataset` (three csv-parse passes into a chunk file), then one shuffled epoch of
 * batches of 256 and one in-order pass over the training split. Prints rows/s of each stage and
 * the process's resident memory: before, and its peak (which must stay far below the file).
 * The second case streams sensor series: 200 machines x 5,000 rows x 8 sensors in one CSV (1,000,000
 * rows), windows of 30 rows every 5, and one shuffled epoch of windows in batches of 64.
 * Resident memory peaks are per process: run one case at a time (-t table, -t series) for its own.
 * The shuffled epoch runs read on the training thread and announced one batch ahead (as the
 * trainer does: the worker stages the next batch), alternated; then the streamed case imports the
 * same file in memory too and prints the shuffled epoch from disk as a fraction of the one from memory.
 * BRRR_BENCH_PATH=memory imports the table in memory only.
 * Run: BRRR_BENCH_ROWS=1000000 nice -n 5 npx vitest bench --run tests/data/largeTable.bench.ts -t table
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { allocateField, permutation, type ChunkedDataset, type Dataset } from '../../core/data';
import { loadDataset } from '../../electron/services/datasets/load';

const ROWS = Number(process.env.BRRR_BENCH_ROWS ?? 1_000_000);
const IN_MEMORY = process.env.BRRR_BENCH_PATH === 'memory';
const dir = mkdtempSync(join(tmpdir(), 'brrr-large-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  const header = [...Array.from({ length: 17 }, (_, c) => `x${c}`), 'colour', 'shape', 'label'];
  out.write(header.join(',') + '\n');
  let seed = 12345;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let start = 0; start < ROWS; start += 10_000) {
    const lines: string[] = [];
    for (let r = start; r < Math.min(ROWS, start + 10_000); r++) {
      const cells: string[] = [];
      let sum = 0;
      for (let c = 0; c < 17; c++) {
        const v = next() * 10 - 5;
        sum += c < 4 ? v : 0;
        cells.push(next() < 0.01 ? '' : v.toFixed(3));
      }
      cells.push(['red', 'green', 'blue', 'cyan', 'gold'][r % 5], ['round', 'square', 'flat', 'tall', 'thin'][(r * 7) % 5], sum < -2 ? 'low' : sum > 2 ? 'high' : 'mid');
      lines.push(cells.join(','));
    }
    if (!out.write(lines.join('\n') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

describe(`${IN_MEMORY ? 'in-memory' : 'streamed'} CSV table, ${ROWS} rows x 20 columns`, () => {
  bench(
    'generate, import (3 passes), one shuffled epoch and one in-order pass',
    async () => {
      const file = join(dir, 'large.csv');
      let t = performance.now();
      await generate(file);
      const size = statSync(file).size;
      const rssBefore = process.memoryUsage().rss;
      console.log(`generated ${mib(size)} in ${((performance.now() - t) / 1000).toFixed(1)} s; resident memory before import ${mib(rssBefore)}`);
      const watched: ChunkedDataset[] = [];
      t = performance.now();
      const loaded = await loadDataset(
        { source: file, kind: 'csv', options: { missing: 'mean', testFraction: 0.1 } },
        { projectDir: dir, seed: 1, validationSplit: 0.2, cacheDir: dir, streamAboveBytes: IN_MEMORY ? Infinity : 0, cacheBytes: 32 * 2 ** 20, watch: (d) => watched.push(d) },
      );
      const importS = (performance.now() - t) / 1000;
      const chunked = watched.at(0);
      console.log(`import: ${(ROWS / importS).toFixed(0)} rows/s (${importS.toFixed(1)} s); ${loaded.train.size} training rows, features ${loaded.train.fields.features.shape.join('x')}; ${chunked ? `cache bound ${chunked.maxChunks} chunks` : 'in memory'}`);
      const train = loaded.train;
      const features = allocateField(train.fields.features, 256), labels = allocateField(train.fields.label, 256);
      // One shuffled epoch read on this thread, then one whose next batch is announced as the trainer
      // does (willGather: the prefetch worker reads it while this batch is used); in memory both are the same.
      const order = permutation(train.size, 7);
      /** `stepMs` of busy work after each batch stands in for the training step the read overlaps. */
      const shuffled = (data: Dataset, announce: boolean, stepMs = 0) => {
        const start = performance.now();
        for (let at = 0; at + 256 <= order.length; at += 256) {
          const rows = order.subarray(at, at + 256);
          data.gather('features', rows, features);
          data.gather('label', rows, labels);
          if (announce && at + 512 <= order.length) data.willGather?.(order.subarray(at + 256, at + 512));
          for (const until = performance.now() + stepMs; performance.now() < until; );
        }
        return (performance.now() - start) / 1000;
      };
      // Alternated, twice each, so that warm-up and the other jobs on the machine weigh on both alike.
      const [sync1, ahead1, sync2, ahead2] = [false, true, false, true].map((announce) => shuffled(train, announce));
      const syncS = (sync1 + sync2) / 2, shuffledS = (ahead1 + ahead2) / 2;
      t = performance.now();
      const rows = new Int32Array(256);
      for (let at = 0; at + 256 <= train.size; at += 256) {
        for (let i = 0; i < 256; i++) rows[i] = at + i;
        train.gather('features', rows, features);
        train.gather('label', rows, labels);
      }
      const inOrderS = (performance.now() - t) / 1000;
      const peak = process.resourceUsage().maxRSS * 1024;
      console.log(`shuffled epoch: ${(train.size / syncS).toFixed(0)} rows/s read on this thread, ${(train.size / shuffledS).toFixed(0)} rows/s announced one batch ahead${chunked ? ` (${chunked.stats.stagedRows / 2} rows staged by the worker)` : ''}; in-order pass: ${(train.size / inOrderS).toFixed(0)} rows/s; ${chunked ? `chunks held ${chunked.stats.held} of ${chunked.maxChunks}` : 'in memory'}`);
      console.log(`peak resident memory ${mib(peak)} for a ${mib(size)} file (${mib(peak - rssBefore)} above the process before the import)`);
      if (IN_MEMORY) return;
      // The same rows imported in memory, in this run (the machine's load varies from run to run):
      // the shuffled epoch from disk as a fraction of the one from memory.
      t = performance.now();
      const memory = await loadDataset(
        { source: file, kind: 'csv', options: { missing: 'mean', testFraction: 0.1 } },
        { projectDir: dir, seed: 1, validationSplit: 0.2, cacheDir: dir, streamAboveBytes: Infinity },
      );
      const memoryImportS = (performance.now() - t) / 1000;
      const memoryS = (shuffled(memory.train, false) + shuffled(memory.train, false)) / 2;
      const [memoryStep, syncStep, aheadStep] = [shuffled(memory.train, false, 0.5), shuffled(train, false, 0.5), shuffled(train, true, 0.5)];
      console.log(`with a 0.5 ms step per batch: memory ${(memory.train.size / memoryStep).toFixed(0)} rows/s, disk ${(memoryStep / syncStep).toFixed(2)} of it read on this thread, ${(memoryStep / aheadStep).toFixed(2)} announced one batch ahead`);
      console.log(`in memory, same run: import ${(ROWS / memoryImportS).toFixed(0)} rows/s; shuffled epoch ${(memory.train.size / memoryS).toFixed(0)} rows/s; from disk ${(memoryS / syncS).toFixed(2)} of it read on this thread, ${(memoryS / shuffledS).toFixed(2)} announced one batch ahead`);
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});

async function generateSeries(file: string, machines: number, steps: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(['machine', 'time', ...Array.from({ length: 8 }, (_, s) => `s${s}`), 'failure'].join(',') + '\n');
  let seed = 777;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let m = 0; m < machines; m++) {
    const lines: string[] = [];
    for (let t = 0; t < steps; t++) {
      const cycle = t % 300;
      const sensors = Array.from({ length: 8 }, (_, s) => (20 + s + (s < 3 && cycle > 260 ? (cycle - 260) / 10 : 0) + next()).toFixed(3));
      lines.push([`m${m}`, t, ...sensors, cycle === 299 ? 1 : 0].join(','));
    }
    if (!out.write(lines.join('\n') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

describe(`streamed sensor series, ${ROWS} rows x 8 sensors`, () => {
  bench(
    'generate, import (one pass and the normalized series), one shuffled epoch of windows',
    async () => {
      const file = join(dir, 'sensors.csv');
      await generateSeries(file, 200, Math.round(ROWS / 200));
      const size = statSync(file).size;
      const rssBefore = process.memoryUsage().rss;
      const watched: ChunkedDataset[] = [];
      let t = performance.now();
      const loaded = await loadDataset(
        { source: file, kind: 'timeseries', options: { unit: 'machine', time: 'time', length: 30, stride: 5, horizon: 20 } },
        { projectDir: dir, seed: 1, validationSplit: 0.2, cacheDir: dir, streamAboveBytes: 0, cacheBytes: 16 * 2 ** 20, watch: (d) => watched.push(d) },
      );
      const importS = (performance.now() - t) / 1000;
      const train = loaded.train;
      const windows = allocateField(train.fields.window, 64), labels = allocateField(train.fields.label, 64);
      t = performance.now();
      const order = permutation(train.size, 3);
      for (let at = 0; at + 64 <= order.length; at += 64) {
        train.gather('window', order.subarray(at, at + 64), windows);
        train.gather('label', order.subarray(at, at + 64), labels);
      }
      const epochS = (performance.now() - t) / 1000;
      const peak = process.resourceUsage().maxRSS * 1024;
      console.log(`series: ${mib(size)} imported at ${(ROWS / importS).toFixed(0)} rows/s (${importS.toFixed(1)} s); ${train.size} training windows [30, 8]: ${(train.size / epochS).toFixed(0)} windows/s shuffled; cache ${watched[0].stats.held} of ${watched[0].maxChunks} chunks; peak resident memory ${mib(peak)} (${mib(peak - rssBefore)} above the process before the import)`);
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
