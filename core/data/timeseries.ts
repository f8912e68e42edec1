/**
 * @file Sensor time series to windows: per unit (machine) a series of sensor rows with failure
 * events; windows of `length` rows every `stride` rows; labels "fails within `horizon` rows after
 * the window" (classification) or remaining useful life (regression, rows to the next failure).
 * Splits are by unit, so no machine appears in both train and test; per-sensor z-scores use the
 * training units only. Windows overlap, so they are never materialised: the normalized series is
 * one dataset of rows ([sensors] f32 each, in memory or a chunk file behind a bounded cache), and
 * window i is a range read of its rows (`gatherRange`). The raw values are read by row range
 * (`SeriesValues`), so a series larger than memory is normalized from disk in passes.
 */
import { permutation } from './split';
import type { Dataset, FieldArray, FieldSpec, RangeDataset } from './dataset';
import { DatasetError } from './errors';
import { memorySink, type SinkFactory } from './sink';

export interface SeriesTable {
  file: string;
  units: string[];
  /** Row-major [rows, sensors]; rows grouped by unit, in time order. */
  values: Float64Array;
  sensors: string[];
  /** Unit index per row. */
  unitOf: Int32Array;
  /** 1 where a failure happens at that row. */
  failure: Uint8Array;
}

export interface WindowOptions {
  length: number;
  stride?: number;
  /** Rows after the window within which a failure makes the label 1. */
  horizon: number;
  label?: 'failure' | 'rul';
  /** Fraction of units held out for test (default 0.25; 0 = none). */
  testFraction?: number;
  normalize?: boolean;
  /** Cap remaining useful life (piecewise-linear RUL); default none. */
  rulCap?: number;
  /**
   * Per-window, per-sensor offset removed when windows are gathered: 'first' subtracts the
   * window's first row (x[t] - x[0]), 'mean' the window's mean over time; default 'none'.
   * Removes each machine's own level so a model sees the change inside the window (drift).
   */
  windowNormalize?: WindowNormalize;
}

export type WindowNormalize = 'none' | 'first' | 'mean';

/** A series without its values: units, sensors, and per row (grouped by unit, in time order) its unit and failure flag. */
export type SeriesIndex = Omit<SeriesTable, 'values'>;

/** The raw sensor values of a series in row order, read by range: rows [start, start + count) into out (count * sensors). */
export interface SeriesValues {
  read(start: number, count: number, out: Float64Array): void;
}

/** Rows read at a time by the statistics and normalization passes. */
const BLOCK_ROWS = 4096;

export interface WindowImport {
  train: WindowDataset;
  test?: WindowDataset;
  trainUnits: string[];
  testUnits: string[];
  /** Windows left out because nothing is known after them (no failure seen within the horizon or later). */
  censored: number;
  /** Units shorter than the window, skipped. */
  shortUnits: string[];
  normalization: { sensor: string; mean: number; std: number }[];
}

/** Windows over a normalized series: window `i` is rows [end[i]-length+1, end[i]]. */
export class WindowDataset implements Dataset {
  /** The unit (machine) of each window: validation splits keep a machine on one side. */
  readonly groups: Int32Array;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly classes?: readonly string[];

  constructor(
    readonly name: string,
    /** The normalized series: field `row` [sensors] f32, one sample per row. */
    private readonly series: RangeDataset,
    private readonly sensors: number,
    private readonly length: number,
    private readonly ends: Int32Array,
    private readonly labels: Int32Array | Float32Array,
    readonly unitOfWindow: Int32Array,
    readonly windowNormalize: WindowNormalize = 'none',
  ) {
    this.groups = unitOfWindow;
    const label: FieldSpec = labels instanceof Int32Array ? { shape: [], dtype: 'i32' } : { shape: [1], dtype: 'f32' };
    this.fields = { window: { shape: [length, sensors], dtype: 'f32' }, [labels instanceof Int32Array ? 'label' : 'rul']: label };
    if (labels instanceof Int32Array) this.classes = ['ok', 'fails'];
  }

  get size(): number {
    return this.ends.length;
  }

  /** In place on out[at .. at + length*sensors): x[t, s] -= x[0, s] ('first') or mean_t x[t, s] ('mean'). */
  private centre(out: FieldArray, at: number): void {
    const L = this.length, S = this.sensors;
    for (let s = 0; s < S; s++) {
      let offset = out[at + s];
      if (this.windowNormalize === 'mean') {
        offset = 0;
        for (let t = 0; t < L; t++) offset += out[at + t * S + s];
        offset /= L;
      }
      for (let t = 0; t < L; t++) out[at + t * S + s] -= offset;
    }
  }

  gather(field: string, indices: ArrayLike<number>, out: FieldArray): void {
    if (field === 'window') {
      const n = this.length * this.sensors;
      for (let i = 0; i < indices.length; i++) {
        this.series.gatherRange('row', this.ends[indices[i]] - this.length + 1, this.length, out, i * this.length);
        if (this.windowNormalize !== 'none') this.centre(out, i * n);
      }
      return;
    }
    if (!(field in this.fields)) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `Dataset ${this.name} has no field "${field}" (it has ${Object.keys(this.fields).join(', ')}).`);
    for (let i = 0; i < indices.length; i++) out[i] = this.labels[indices[i]];
  }
}

/** Windows of a series held in memory. */
export function importWindows(table: SeriesTable, options: WindowOptions, seed: number, name = table.file): WindowImport {
  const S = table.sensors.length;
  const values: SeriesValues = { read: (start, count, out) => out.set(table.values.subarray(start * S, (start + count) * S)) };
  return importSeriesWindows(table, values, options, seed, name, memorySink);
}

/** Windows of a series whose values are read by range; the normalized rows go to `sink` (memory or a chunk file). */
export function importSeriesWindows(table: SeriesIndex, values: SeriesValues, options: WindowOptions, seed: number, name = table.file, sink: SinkFactory = memorySink): WindowImport {
  const { file, sensors } = table;
  const S = sensors.length;
  const rows = table.unitOf.length;
  const { length, horizon } = options;
  const stride = options.stride ?? 1;
  const kind = options.label ?? 'failure';
  if (rows === 0) throw new DatasetError('E_DATA_EMPTY', `${file} has no rows.`, { file });
  if (!(length >= 1 && stride >= 1 && horizon >= 1)) throw new DatasetError('E_DATA_BAD_OPTION', `${file}: window length, stride and horizon must be at least 1 (got ${length}, ${stride}, ${horizon}).`, { file });

  // Row span of each unit (rows are grouped by unit).
  const spans = table.units.map(() => ({ start: -1, end: -1 }));
  for (let r = 0; r < rows; r++) {
    const span = spans[table.unitOf[r]];
    if (span.start < 0) span.start = r;
    else if (span.end !== r - 1) throw new DatasetError('E_DATA_WRONG_FORMAT', `${file}: the rows of unit "${table.units[table.unitOf[r]]}" are not contiguous (row ${r}); sort the file by unit, then time.`, { file, sample: r });
    span.end = r;
  }
  const longest = Math.max(...spans.map((s) => s.end - s.start + 1));
  if (length > longest) {
    throw new DatasetError('E_DATA_WINDOW_TOO_LONG', `${file}: a window of ${length} rows is longer than every series (the longest unit has ${longest} rows); choose a window of at most ${longest}.`, { file });
  }
  const shortUnits = table.units.filter((_, u) => spans[u].end - spans[u].start + 1 < length);

  const order = permutation(table.units.length, seed);
  const nTest = Math.min(table.units.length - 1, Math.round(table.units.length * (options.testFraction ?? 0.25)));
  const isTest = new Uint8Array(table.units.length);
  for (let i = 0; i < nTest; i++) isTest[order[i]] = 1;

  // Per-sensor statistics over the training units' rows, in row order (mean, then squared deviations).
  const mean = new Float64Array(S), std = new Float64Array(S);
  const block = new Float64Array(BLOCK_ROWS * S);
  const eachBlock = (visit: (row: number, at: number) => void) => {
    for (let start = 0; start < rows; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, rows - start);
      values.read(start, count, block);
      for (let i = 0; i < count; i++) visit(start + i, i * S);
    }
  };
  let count = 0;
  eachBlock((r, at) => { if (!isTest[table.unitOf[r]]) { count++; for (let s = 0; s < S; s++) mean[s] += block[at + s]; } });
  for (let s = 0; s < S; s++) mean[s] /= count;
  eachBlock((r, at) => { if (!isTest[table.unitOf[r]]) for (let s = 0; s < S; s++) std[s] += (block[at + s] - mean[s]) ** 2; });
  for (let s = 0; s < S; s++) std[s] = Math.sqrt(std[s] / count) || 1;
  const normalize = options.normalize !== false;
  const seriesSink = sink({ name: `${name}-series`, fields: { row: { shape: [S], dtype: 'f32' } }, size: rows });
  const row = new Float32Array(S);
  const sample = { row };
  eachBlock((_, at) => {
    for (let s = 0; s < S; s++) row[s] = normalize ? (block[at + s] - mean[s]) / std[s] : block[at + s];
    seriesSink.append(sample);
  });
  const series = seriesSink.finish();

  // nextFailure[r]: the first row >= r of the same unit with a failure, or -1.
  const nextFailure = new Int32Array(rows).fill(-1);
  for (let r = rows - 1; r >= 0; r--) {
    if (table.failure[r]) nextFailure[r] = r;
    else if (r + 1 < rows && table.unitOf[r + 1] === table.unitOf[r]) nextFailure[r] = nextFailure[r + 1];
  }
  let censored = 0;
  const sets = [0, 1].map(() => ({ ends: [] as number[], labels: [] as number[], units: [] as number[] }));
  for (let u = 0; u < table.units.length; u++) {
    const { start, end } = spans[u];
    for (let e = start + length - 1; e <= end; e += stride) {
      const next = e + 1 <= end ? nextFailure[e + 1] : -1;
      let label: number;
      if (kind === 'failure') {
        if (next >= 0 && next - e <= horizon) label = 1;
        else if (next >= 0 || end - e >= horizon) label = 0;
        else { censored++; continue; }
      } else {
        const at = nextFailure[e];
        if (at < 0) { censored++; continue; }
        label = Math.min(at - e, options.rulCap ?? Infinity);
      }
      const set = sets[isTest[u]];
      set.ends.push(e);
      set.labels.push(label);
      set.units.push(u);
    }
  }
  if (sets[0].ends.length === 0) {
    throw new DatasetError('E_DATA_EMPTY', `${file}: no training window has a known label (${censored} windows censored); ${kind === 'rul' ? 'no failure follows any window: remaining useful life needs run-to-failure series' : 'shorten the horizon or the window'}.`, { file });
  }
  const make = (which: 0 | 1, suffix: string) =>
    new WindowDataset(`${name}-${suffix}`, series, S, length, Int32Array.from(sets[which].ends), kind === 'failure' ? Int32Array.from(sets[which].labels) : Float32Array.from(sets[which].labels), Int32Array.from(sets[which].units), options.windowNormalize ?? 'none');
  if (kind === 'failure' && !sets[0].labels.includes(1)) {
    throw new DatasetError('E_DATA_SINGLE_CLASS', `${file}: no training window is followed by a failure within ${horizon} rows, so the label has a single class; lengthen the horizon or check the failure column.`, { file });
  }
  return {
    train: make(0, 'train'),
    test: nTest > 0 && sets[1].ends.length > 0 ? make(1, 'test') : undefined,
    trainUnits: table.units.filter((_, u) => !isTest[u]),
    testUnits: table.units.filter((_, u) => isTest[u]),
    censored,
    shortUnits,
    normalization: sensors.map((sensor, s) => ({ sensor, mean: mean[s], std: std[s] })),
  };
}
