/**
 * @file One door from a dataset reference ({ source, kind, options }) to training data: resolve
 * the path, pick the importer by kind, hold out a seeded test split, and describe the result.
 * Statistics that shape the data (normalization, fill means) come from the rows the recipe will
 * train on: the same seeded train/validation split `trainSupervised` makes is computed here.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import {
  AugmentedDataset, ChannelNormalizedDataset, type ChunkedDataset, channelStatistics, classCounts, DatasetError, describeDropped, describeFields, describeFormat, firstFew, importSeriesWindows, importTable, importText, importWindows,
  InMemoryDataset, parseIdx, parseNpy, seriesFromTable, sniffFormat, SubsetDataset, trainValidationSplit,
  type Dataset, type DatasetDescription, type DatasetKind, type FieldArray, type FieldSpec, type NpyArray, type SeriesTable,
} from '../../../core/data';
import { BUILTINS, loadBuiltinDataset, type DatasetSplits } from './builtin';
import { readCsv, readHead } from './csv';
import { describeSkippedImages, importImageFolder } from './images';
import { readNpz } from './npz';
import type { SpillChunkSource } from './spill';
import { spillSink } from './spillSink';
import { streamSeries } from './seriesStream';
import { streamTable } from './tableStream';
import { DatasetOptions } from './options';

export interface DatasetRefLike {
  source: string;
  kind: DatasetKind;
  options: Record<string, unknown>;
}

export interface LoadContext {
  /** Relative sources resolve against it. */
  projectDir: string;
  /** The training seed and validation fraction (the recipe's split is reproduced from them). */
  seed: number;
  validationSplit: number;
  /** Where decoded image chunks and streamed tables and series are spilled (default: the system temp folder). */
  cacheDir?: string;
  /** Tables and series whose files hold more bytes than this stream from disk (default 16 MiB). */
  streamAboveBytes?: number;
  /** Streamed tables and series: samples per chunk and the bound of the cache of decoded chunks. */
  chunkRows?: number;
  cacheBytes?: number;
  /** Called with each streamed dataset made and its chunk file (tests and benchmarks watch their caches). */
  watch?: (dataset: ChunkedDataset, source: SpillChunkSource) => void;
}

const STREAM_ABOVE_BYTES = 16 * 2 ** 20;

/** Where a streamed import writes its samples: a chunk file in the cache folder, read through a bounded cache. */
function streamSink(ctx: LoadContext) {
  return spillSink({ cacheDir: ctx.cacheDir ?? join(tmpdir(), 'brrr-datasets'), chunkRows: ctx.chunkRows, cacheBytes: ctx.cacheBytes, onDataset: ctx.watch });
}

export interface LoadedDataset extends DatasetSplits {
  description: DatasetDescription;
}

/** Rows `0..n-1` split into kept and held-out test rows, seeded apart from the validation split. */
export function holdOut(n: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const split = trainValidationSplit(n, testFraction, (seed ^ 0x7e57da7a) >>> 0);
  return { train: split.train, test: split.validation };
}

/** The rows of `kept` the recipe trains on (it holds out `validationSplit` of them with `seed`). */
export function recipeTrainRows(kept: Int32Array, validationSplit: number, seed: number): Int32Array {
  const inner = trainValidationSplit(kept.length, validationSplit, seed).train;
  return Int32Array.from(inner, (i) => kept[i]);
}

export function resolveSource(source: string, projectDir: string): string {
  return isAbsolute(source) ? source : resolve(projectDir, source);
}

async function mustExist(path: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(path);
  } catch {
    throw new DatasetError('E_DATA_NOT_FOUND', `${path} does not exist; check the dataset's source path.`, { file: path });
  }
}

/** Guess the kind of a file or folder from its name and first bytes (for `brrr data inspect`). */
export async function detectKind(path: string): Promise<DatasetKind> {
  if (path.startsWith('builtin:')) return 'builtin';
  const info = await mustExist(path);
  if (info.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true });
    if (entries.some((e) => e.isDirectory() && !e.name.startsWith('.'))) return 'images';
    if (entries.some((e) => e.isFile() && /\.(csv|tsv)$/i.test(e.name))) return 'timeseries';
    throw new DatasetError('E_DATA_EMPTY', `${path} holds neither class subfolders of images nor CSV files.`, { file: path });
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.npy' || ext === '.npz') return 'npy';
  if (ext === '.txt' || ext === '.text' || ext === '.md') return 'text';
  if (ext === '.idx' || /-ubyte$|\.idx\d$/.test(path)) return 'idx';
  const format = sniffFormat(await readHead(path));
  if (format === 'npy' || format === 'zip') return 'npy';
  if (format === 'idx') return 'idx';
  if (format === 'text') return 'text';
  throw new DatasetError('E_DATA_UNSUPPORTED', `${path} is ${describeFormat(format)}, which is not a dataset format this studio reads (CSV/TSV, .npy/.npz, IDX, text, or a folder of images).`, { file: path });
}

function describe(source: string, kind: DatasetKind, splits: DatasetSplits, notes: string[], problems: (string | undefined)[]): LoadedDataset {
  return {
    ...splits,
    description: {
      source,
      kind,
      samples: splits.train.size,
      testSamples: splits.test?.size ?? 0,
      fields: describeFields(splits.train),
      classes: classCounts(splits.train),
      vocabulary: splits.train.fields.tokens && splits.train.classes ? splits.train.classes.slice(0, 5000) : undefined,
      notes,
      problems: problems.filter((p): p is string => p !== undefined),
    },
  };
}

function splitRows(all: Dataset, fraction: number, seed: number): DatasetSplits & { kept: Int32Array } {
  const { train, test } = holdOut(all.size, fraction, seed);
  return { kept: train, train: new SubsetDataset(`${all.name}-train`, all, train), test: test.length ? new SubsetDataset(`${all.name}-test`, all, test) : undefined };
}

export async function loadDataset(ref: DatasetRefLike, ctx: LoadContext): Promise<LoadedDataset> {
  if (ref.kind === 'builtin' || ref.source.startsWith('builtin:')) {
    if (!(BUILTINS as readonly string[]).includes(ref.source)) throw new DatasetError('E_DATA_NOT_FOUND', `Unknown built-in dataset "${ref.source}"; built-ins: ${BUILTINS.join(', ')}.`);
    try {
      return describe(ref.source, 'builtin', await loadBuiltinDataset(ref.source, ref.options, ctx.seed), [], []);
    } catch (error) {
      if (error instanceof DatasetError) throw error;
      throw new DatasetError('E_DATA_BAD_OPTION', (error as Error).message, { file: ref.source });
    }
  }
  const path = resolveSource(ref.source, ctx.projectDir);
  await mustExist(path);
  const o = new DatasetOptions(ref.options, ref.source);
  const testFraction = o.number('testFraction', 0) ?? 0.2;
  if (testFraction >= 1) throw new DatasetError('E_DATA_BAD_OPTION', `${ref.source}: option testFraction must be below 1 (got ${testFraction}).`);
  switch (ref.kind) {
    case 'csv': {
      const csv = { delimiter: o.string('delimiter') };
      const options = {
        target: o.string('target'),
        types: o.record('types', ['number', 'category', 'ignore'] as const),
        categorical: o.oneOf('categorical', ['onehot', 'index'] as const),
        normalize: o.boolean('normalize'),
        missing: o.oneOf('missing', ['drop', 'mean', 'constant', 'error'] as const),
        fill: o.number('fill'),
        task: o.oneOf('task', ['classification', 'regression'] as const),
        targetField: o.string('targetField'),
      };
      let kept: Int32Array = new Int32Array(0);
      const trainRows = (n: number) => {
        kept = holdOut(n, testFraction, ctx.seed).train;
        return recipeTrainRows(kept, ctx.validationSplit, ctx.seed);
      };
      const streamed = (await stat(path)).size > (ctx.streamAboveBytes ?? STREAM_ABOVE_BYTES);
      const imported = streamed ? await streamTable(path, csv, options, trainRows, streamSink(ctx), basename(path)) : await readCsv(path, csv).then((table) => ({ ...importTable(table, options, trainRows, basename(path)), header: table.header, skipped: table.skipped }));
      const { train, test } = splitRows(imported.dataset, testFraction, ctx.seed);
      const notes = [`target ${imported.target} (${imported.task}); normalization from ${recipeTrainRows(kept, ctx.validationSplit, ctx.seed).length} training rows`];
      if (streamed) notes.push('streamed from disk: encoded rows in a chunk file, read through a bounded cache');
      const loaded = describe(ref.source, 'csv', { train, test }, notes, [
        imported.skipped.length ? `${path}: ${imported.skipped.length} row${imported.skipped.length === 1 ? '' : 's'} skipped for a wrong number of fields (expected ${imported.header.length}; line${imported.skipped.length === 1 ? '' : 's'} ${firstFew(imported.skipped)}).` : undefined,
        describeDropped(path, imported.dropped)?.replace('skipped', 'skipped for a missing value'),
      ]);
      loaded.description.columns = imported.columns;
      return loaded;
    }
    case 'timeseries': {
      const info = await stat(path);
      const files = info.isDirectory() ? (await readdir(path)).filter((f) => /\.(csv|tsv)$/i.test(f)).sort().map((f) => join(path, f)) : [path];
      if (files.length === 0) throw new DatasetError('E_DATA_EMPTY', `${path} holds no CSV files (one per unit expected).`, { file: path });
      const columns = { unit: o.string('unit'), time: o.string('time'), failure: o.string('failure'), sensors: o.strings('sensors') };
      const csv = { delimiter: o.string('delimiter') };
      const length = o.integer('length', 1);
      const horizon = o.integer('horizon', 1);
      if (length === undefined || horizon === undefined) throw new DatasetError('E_DATA_BAD_OPTION', `${ref.source}: a time series needs the options length (rows per window) and horizon (rows ahead a failure counts).`);
      const options = { length, horizon, stride: o.integer('stride', 1), label: o.oneOf('label', ['failure', 'rul'] as const), testFraction, normalize: o.boolean('normalize'), rulCap: o.number('rulCap', 1), windowNormalize: o.oneOf('windowNormalize', ['none', 'first', 'mean'] as const) };
      let bytes = 0;
      for (const file of files) bytes += (await stat(file)).size;
      const streamed = bytes > (ctx.streamAboveBytes ?? STREAM_ABOVE_BYTES);
      const skipped: string[] = [];
      let windows: ReturnType<typeof importWindows>;
      if (streamed) {
        const series = await streamSeries(files, csv, columns, path, ctx.cacheDir ?? join(tmpdir(), 'brrr-datasets'));
        skipped.push(...series.skipped);
        try {
          windows = importSeriesWindows(series.index, series.values, options, ctx.seed, basename(path), streamSink(ctx));
        } finally {
          series.values.close();
        }
      } else {
        const tables: SeriesTable[] = [];
        for (const file of files) {
          const table = await readCsv(file, csv);
          if (table.skipped.length) skipped.push(`${file}: ${table.skipped.length} rows skipped for a wrong number of fields (lines ${firstFew(table.skipped)}).`);
          tables.push(seriesFromTable(table, columns, basename(file, extname(file))));
        }
        windows = importWindows(mergeSeries(tables, path), options, ctx.seed, basename(path));
      }
      const notes = [`train units: ${windows.trainUnits.join(', ')}`, `test units: ${windows.testUnits.join(', ') || 'none'}`];
      if (streamed) notes.push('streamed from disk: normalized series in a chunk file, windows read from it through a bounded cache');
      return describe(ref.source, 'timeseries', { train: windows.train, test: windows.test }, notes, [
        ...skipped,
        windows.censored ? `${windows.censored} windows left out: nothing is known about a failure after them (end of a recording).` : undefined,
        windows.shortUnits.length ? `units shorter than the window, skipped: ${firstFew(windows.shortUnits)}.` : undefined,
      ]);
    }
    case 'images': {
      if (!(await stat(path)).isDirectory()) throw new DatasetError('E_DATA_WRONG_FORMAT', `${path} is a file; an image dataset is a folder with one subfolder per class.`, { file: path });
      const size = o.numbers('size', 2);
      const channels = o.integer('channels', 1);
      if (channels !== undefined && channels !== 1 && channels !== 3) throw new DatasetError('E_DATA_BAD_OPTION', `${ref.source}: option channels must be 1 or 3.`);
      const imported = await importImageFolder(path, { size: size as [number, number] | undefined, channels, mean: o.numbers('mean'), std: o.numbers('std'), chunkRows: o.integer('chunkRows', 1), cacheChunks: o.integer('cacheChunks', 1) }, ctx.cacheDir ?? join(tmpdir(), 'brrr-datasets'), basename(path));
      const { train: kept, test } = holdOut(imported.dataset.size, testFraction, ctx.seed);
      const trainRows = recipeTrainRows(kept, ctx.validationSplit, ctx.seed);
      // normalize: 'unit' keeps [0, 1]; 'standard' z-scores each channel with the training rows' statistics.
      const standard = o.oneOf('normalize', ['unit', 'standard'] as const) === 'standard';
      const statistics = standard ? channelStatistics(imported.dataset, 'image', trainRows) : undefined;
      const normalized: Dataset = statistics ? new ChannelNormalizedDataset(imported.dataset, 'image', statistics) : imported.dataset;
      const augment = { flip: o.boolean('flip'), shift: o.integer('shift', 0), rotate: o.number('rotate', 0) };
      const base: Dataset = augment.flip || augment.shift || augment.rotate ? new AugmentedDataset(normalized, augment, ctx.seed, trainRows) : normalized;
      const splits = { train: new SubsetDataset(`${basename(path)}-train`, base, kept), test: test.length ? new SubsetDataset(`${basename(path)}-test`, base, test) : undefined };
      const notes = [`${imported.shape.join('x')} NCHW, chunks of ${imported.source.chunkRows} on disk`];
      if (statistics) notes.push(`standardized per channel with ${trainRows.length} training images: mean ${statistics.mean.map((m) => m.toFixed(4)).join(', ')}, std ${statistics.std.map((v) => v.toFixed(4)).join(', ')}`);
      return describe(ref.source, 'images', splits, notes, [
        describeSkippedImages(imported.skipped),
        imported.ignored.length ? `${imported.ignored.length} files that are not PNG or JPEG ignored: ${firstFew(imported.ignored, 3)}.` : undefined,
      ]);
    }
    case 'npy':
    case 'idx': {
      const all = ref.kind === 'npy' ? await loadNpy(path, o) : await loadIdx(path, o, ctx.projectDir);
      const { train, test } = splitRows(all, testFraction, ctx.seed);
      return describe(ref.source, ref.kind, { train, test }, [], []);
    }
    case 'text': {
      const bytes = await readFile(path);
      const format = sniffFormat(bytes.subarray(0, 4096));
      if (format !== 'text') throw new DatasetError(format === 'empty' ? 'E_DATA_EMPTY' : 'E_DATA_WRONG_FORMAT', `${path} is ${describeFormat(format)}, not plain text; choose a UTF-8 text file.`, { file: path });
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new DatasetError('E_DATA_WRONG_FORMAT', `${path} is not valid UTF-8 text; save it as UTF-8.`, { file: path });
      }
      const imported = importText(text, path, { level: o.oneOf('level', ['char', 'word'] as const), length: o.integer('length', 1), stride: o.integer('stride', 1), vocabSize: o.integer('vocabSize', 2) }, o.number('testFraction', 0) ?? 0.1);
      return describe(ref.source, 'text', { train: imported.train, test: imported.test }, [`${imported.tokens} tokens, vocabulary of ${imported.vocabulary.length}`], []);
    }
    default:
      return ref.kind satisfies never;
  }
}

function mergeSeries(tables: SeriesTable[], file: string): SeriesTable {
  if (tables.length === 1) return tables[0];
  const sensors = tables[0].sensors;
  for (const t of tables) {
    if (t.sensors.join() !== sensors.join()) throw new DatasetError('E_DATA_WRONG_FORMAT', `${t.file}: its sensor columns (${t.sensors.join(', ')}) differ from ${tables[0].file} (${sensors.join(', ')}); every unit's file needs the same columns.`, { file: t.file });
  }
  const rows = tables.reduce((a, t) => a + t.unitOf.length, 0);
  const merged: SeriesTable = { file, units: [], sensors, values: new Float64Array(rows * sensors.length), unitOf: new Int32Array(rows), failure: new Uint8Array(rows) };
  let at = 0;
  for (const t of tables) {
    const base = merged.units.length;
    merged.units.push(...t.units.map((u) => (t.units.length === 1 ? u : `${basename(t.file)}:${u}`)));
    merged.values.set(t.values, at * sensors.length);
    merged.failure.set(t.failure, at);
    for (let r = 0; r < t.unitOf.length; r++) merged.unitOf[at + r] = base + t.unitOf[r];
    at += t.unitOf.length;
  }
  return merged;
}

/** An array's samples along its first axis, as f32 (floats) or i32 (integers). */
function toField(array: NpyArray, name: string, file: string): { spec: FieldSpec; data: FieldArray } {
  if (array.shape.length === 0) throw new DatasetError('E_DATA_SHAPE', `${file}: array ${name} is a scalar; a dataset array needs a first axis of samples.`, { file });
  const spec: FieldSpec = { shape: array.shape.slice(1), dtype: array.integer ? 'i32' : 'f32' };
  for (let i = 0; i < array.values.length; i++) {
    if (!Number.isFinite(array.values[i])) {
      const per = spec.shape.reduce((a, b) => a * b, 1);
      throw new DatasetError('E_DATA_NOT_FINITE', `${file}: array ${name} holds ${array.values[i]} at sample ${Math.floor(i / per)}; replace non-finite values before importing.`, { file, sample: Math.floor(i / per) });
    }
  }
  return { spec, data: array.integer ? Int32Array.from(array.values) : Float32Array.from(array.values) };
}

function datasetFromArrays(arrays: Record<string, NpyArray>, file: string, name: string): InMemoryDataset {
  const entries = Object.entries(arrays);
  const samples = entries[0][1].shape[0] ?? 0;
  const columns: Record<string, { spec: FieldSpec; data: FieldArray }> = {};
  for (const [key, array] of entries) {
    if (array.shape[0] !== samples) throw new DatasetError('E_DATA_SHAPE', `${file}: array ${key} has ${array.shape[0]} samples but ${entries[0][0]} has ${samples}; every array needs the same first axis.`, { file });
    columns[key] = toField(array, key, file);
  }
  if (samples === 0) throw new DatasetError('E_DATA_EMPTY', `${file} holds arrays with no samples.`, { file });
  // Integer scalar labels named y/label/labels become classes 0..max.
  const labelKey = ['label', 'labels', 'y'].find((k) => columns[k]?.spec.dtype === 'i32' && columns[k].spec.shape.length === 0);
  let classes: string[] | undefined;
  if (labelKey) {
    const data = columns[labelKey].data;
    let max = 0;
    for (const v of data) max = Math.max(max, v);
    classes = Array.from({ length: max + 1 }, (_, i) => String(i));
    if (labelKey !== 'label') { columns.label = columns[labelKey]; delete columns[labelKey]; }
  }
  return new InMemoryDataset(name, samples, columns, classes);
}

async function loadNpy(path: string, o: DatasetOptions): Promise<InMemoryDataset> {
  const bytes = await readFile(path);
  const format = sniffFormat(bytes.subarray(0, 64));
  const ext = extname(path).toLowerCase();
  if (format === 'empty') throw new DatasetError('E_DATA_EMPTY', `${path} is empty.`, { file: path });
  if (ext === '.npz' || format === 'zip') {
    if (format !== 'zip') throw new DatasetError('E_DATA_WRONG_FORMAT', `${path} is named .npz but is ${describeFormat(format)}; save it with numpy.savez.`, { file: path });
    return datasetFromArrays(readNpz(bytes, path), path, basename(path));
  }
  if (format !== 'npy') throw new DatasetError('E_DATA_WRONG_FORMAT', `${path} is named .npy but is ${describeFormat(format)}; save it with numpy.save.`, { file: path });
  const arrays: Record<string, NpyArray> = { [o.string('field') ?? 'x']: parseNpy(bytes, path) };
  const labels = o.string('labels');
  if (labels) arrays.label = parseNpy(await readFile(resolve(path, '..', labels)), labels);
  return datasetFromArrays(arrays, path, basename(path));
}

async function loadIdx(path: string, o: DatasetOptions, projectDir: string): Promise<InMemoryDataset> {
  const read = async (file: string) => {
    try {
      return parseIdx(await readFile(file), file);
    } catch (error) {
      throw new DatasetError('E_DATA_WRONG_FORMAT', (error as Error).message, { file });
    }
  };
  const x = await read(path);
  const image = x.shape.length === 3;
  const arrays: Record<string, NpyArray> = {};
  const scale = x.dtype === 'uint8' && o.boolean('scale') !== false ? 1 / 255 : 1;
  arrays[image ? 'image' : 'x'] = { dtype: 'f4', shape: image ? [x.shape[0], 1, x.shape[1], x.shape[2]] : x.shape, values: x.values.map((v) => v * scale), integer: false };
  const labels = o.string('labels');
  if (labels) {
    const y = await read(resolveSource(labels, projectDir));
    arrays.label = { dtype: 'i4', shape: y.shape, values: y.values, integer: true };
  }
  return datasetFromArrays(arrays, path, basename(path));
}
