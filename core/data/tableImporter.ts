/**
 * @file A table imported in three passes over its rows, so that a CSV larger than memory can be
 * streamed from disk (three reads of the file) and a small one read from memory with the same code:
 *
 *   1. scan:   column types (inferred, or the overrides) and their errors;
 *   2. survey: which rows are kept (missing values: error, drop or fill), per-column summaries,
 *              categorical vocabularies and the classes; the kept count n fixes the split;
 *   3. encode: each kept row to its sample (numeric features raw, a missing one as NaN), while
 *              the training rows' statistics accumulate; normalization and fill are applied when
 *              batches are gathered (`FeatureNormalizedDataset`), so no fourth pass is needed.
 *
 * Each pass sees the rows in file order; an error is the one the first offending row raises.
 */
import type { Dataset, FieldSpec } from './dataset';
import { DatasetError } from './errors';
import { FeatureNormalizedDataset, type FeatureScale } from './normalize';
import { RunningMoments, type SampleSink, type SinkSpec } from './sink';
import type { ColumnSummary, ColumnType, TableImport, TableOptions } from './table';

const MISSING = new Set(['', 'na', 'n/a', 'null', 'none', '?']);
export const isMissing = (cell: string): boolean => MISSING.has(cell.trim().toLowerCase());
export const isNaNText = (cell: string): boolean => cell.trim().toLowerCase() === 'nan';

export function parseNumber(cell: string): number | undefined {
  const t = cell.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$/i.test(t)) return undefined;
  return /inf/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t);
}

interface Inference { numeric: number; other: number; line: number; cell: string }
interface Survey { missing: number; moments: RunningMoments; mixed?: { line: number; cell: string }; counts: Map<string, number> }
type Part =
  | { kind: 'number'; c: number; at: number }
  | { kind: 'onehot'; c: number; at: number; index: Map<string, number> }
  | { kind: 'index'; c: number; key: string; index: Map<string, number>; out: Int32Array }
  | { kind: 'label'; c: number; key: string; numeric: boolean; index?: Map<string, number>; out: Int32Array | Float32Array };

const byCountThenName = (a: { name: string; count: number }, b: { name: string; count: number }) => b.count - a.count || (a.name < b.name ? -1 : 1);

export class TableImporter {
  readonly target: string;
  private readonly targetIndex: number;
  private readonly inference: Inference[];
  private types: ColumnType[] = [];
  private task: 'classification' | 'regression' = 'regression';
  private surveys: Survey[] = [];
  private readonly dropped: number[] = [];
  private kept = 0;
  private parts: Part[] = [];
  private width = 0;
  private train = new Uint8Array(0);
  private trainMoments: RunningMoments[] = [];
  private features = new Float32Array(0);
  private sample: Record<string, Float32Array | Int32Array> = {};
  private encoded = 0;
  private classes?: string[];

  constructor(
    readonly file: string,
    readonly header: readonly string[],
    readonly options: TableOptions,
    readonly name = file,
  ) {
    if (header.length === 0) throw new DatasetError('E_DATA_EMPTY', `${file} has no data rows; a table needs a header line and at least one row.`, { file });
    this.target = options.target ?? header[header.length - 1];
    this.targetIndex = header.indexOf(this.target);
    if (this.targetIndex < 0) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `${file}: the target column "${this.target}" is not in the header (columns: ${header.join(', ')}).`, { file, line: 1 });
    for (const col of Object.keys(options.types ?? {})) {
      if (!header.includes(col)) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `${file}: option types names column "${col}", which is not in the header (columns: ${header.join(', ')}).`, { file, line: 1 });
    }
    this.inference = header.map(() => ({ numeric: 0, other: 0, line: 0, cell: '' }));
  }

  /** Pass 1. */
  scan(cells: readonly string[], line: number): void {
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (isMissing(cell) || isNaNText(cell)) continue;
      const inf = this.inference[c];
      if (parseNumber(cell) !== undefined) inf.numeric++;
      else if (inf.other++ === 0) { inf.line = line; inf.cell = cell; }
    }
  }

  /**
   * After pass 1. A column is numeric when every present value parses; a mostly-numeric column
   * (at least 4 numbers per other word) with a stray word is an error rather than a category.
   */
  endScan(): ColumnType[] {
    this.types = this.header.map((h, c) => {
      const given = this.options.types?.[h];
      if (given) return given;
      const { numeric, other, line, cell } = this.inference[c];
      if (other === 0) return numeric > 0 ? 'number' : 'category';
      if (numeric >= 4 * other) {
        throw new DatasetError(
          'E_DATA_MIXED_TYPES',
          `${this.file} line ${line}: column "${h}" holds numbers but this row has ${JSON.stringify(cell)} (${other} such rows); fix those cells or set the column's type to category.`,
          { file: this.file, line },
        );
      }
      return 'category';
    });
    this.task = this.options.task ?? (this.types[this.targetIndex] === 'category' ? 'classification' : 'regression');
    this.surveys = this.header.map(() => ({ missing: 0, moments: new RunningMoments(), counts: new Map() }));
    return this.types;
  }

  /** Missing values: error, drop the row, or keep it to be filled (a missing category is its own value ""). */
  private keep(cells: readonly string[], line: number): boolean {
    const { header, file, types, targetIndex } = this;
    const policy = this.options.missing ?? 'error';
    let missingAt = -1;
    for (let c = 0; c < header.length; c++) {
      if (types[c] === 'ignore') continue;
      const cell = cells[c];
      if (types[c] === 'number') {
        const v = parseNumber(cell);
        if (v !== undefined && !Number.isFinite(v)) {
          throw new DatasetError('E_DATA_NOT_FINITE', `${file} line ${line}: column "${header[c]}" is ${cell.trim()}; replace it with a finite number or leave the cell empty and choose a missing-value policy.`, { file, line });
        }
      }
      if (isMissing(cell) || isNaNText(cell) || (c === targetIndex && cell.trim() === '')) { missingAt = c; break; }
    }
    if (missingAt < 0) return true;
    if (policy === 'error') {
      const cell = cells[missingAt];
      throw new DatasetError(
        isNaNText(cell) ? 'E_DATA_NOT_FINITE' : 'E_DATA_MISSING_VALUE',
        `${file} line ${line}: column "${header[missingAt]}" is ${isNaNText(cell) ? 'NaN' : 'missing'}; fill it in, or set the missing-value policy to drop, mean or constant.`,
        { file, line },
      );
    }
    return !(policy === 'drop' || missingAt === targetIndex);
  }

  /** Pass 2. */
  survey(cells: readonly string[], line: number): void {
    if (!this.keep(cells, line)) { this.dropped.push(line); return; }
    this.kept++;
    for (let c = 0; c < this.header.length; c++) {
      const type = this.types[c];
      if (type === 'ignore') continue;
      const s = this.surveys[c];
      const cell = cells[c];
      if (type === 'category') {
        const value = cell.trim();
        if (value === '') s.missing++;
        s.counts.set(value, (s.counts.get(value) ?? 0) + 1);
        continue;
      }
      const v = parseNumber(cell);
      if (v === undefined) {
        if (!isMissing(cell) && !isNaNText(cell)) s.mixed ??= { line, cell };
        s.missing++;
      } else s.moments.add(v);
      if (c === this.targetIndex && this.task === 'classification') {
        const key = String(v ?? NaN);
        s.counts.set(key, (s.counts.get(key) ?? 0) + 1);
      }
    }
  }

  /** After pass 2: checks that need every kept row, the layout of a sample, and the rows `trainRows(n)` trains on. */
  plan(trainRows: (n: number) => ArrayLike<number>): SinkSpec {
    const { file, header, targetIndex } = this;
    const n = this.kept;
    if (n === 0) throw new DatasetError('E_DATA_EMPTY', `${file}: every row has a missing value, so none is left to train on (${this.dropped.length} dropped).`, { file });
    const parts: Part[] = [];
    let width = 0;
    const fields: Record<string, FieldSpec> = {};
    for (let c = 0; c < header.length; c++) {
      const type = this.types[c];
      if (type === 'ignore') continue;
      const s = this.surveys[c];
      if (type === 'number') {
        if (s.mixed) {
          throw new DatasetError('E_DATA_MIXED_TYPES', `${file} line ${s.mixed.line}: column "${header[c]}" is set to number but holds ${JSON.stringify(s.mixed.cell)}; fix the cell or set the column's type to category.`, { file, line: s.mixed.line });
        }
        if (c !== targetIndex) { parts.push({ kind: 'number', c, at: width }); width++; }
        else if (this.task === 'regression') parts.push({ kind: 'label', c, key: 'target', numeric: true, out: new Float32Array(1) });
        else {
          // First-appearance order, then numeric (a stable sort): the classes of a numeric label.
          this.classes = [...s.counts.keys()].sort((a, b) => Number(a) - Number(b));
          parts.push({ kind: 'label', c, key: 'label', numeric: true, index: new Map(this.classes.map((k, i) => [k, i])), out: new Int32Array(1) });
        }
        continue;
      }
      const names = [...s.counts.keys()].sort();
      const index = new Map(names.map((k, i) => [k, i]));
      if (c === targetIndex) {
        if (this.task === 'regression') throw new DatasetError('E_DATA_BAD_OPTION', `${file}: the target "${header[c]}" holds categories, so it cannot be a regression target; choose classification or another column.`, { file });
        this.classes = names;
        parts.push({ kind: 'label', c, key: 'label', numeric: false, index, out: new Int32Array(1) });
      } else if (this.options.categorical === 'index') {
        parts.push({ kind: 'index', c, key: header[c], index, out: new Int32Array(1) });
        fields[header[c]] = { shape: [], dtype: 'i32' };
      } else {
        parts.push({ kind: 'onehot', c, at: width, index });
        width += names.length;
      }
    }
    const label = parts.find((p) => p.kind === 'label');
    if (label?.key === 'label' && this.classes && this.classes.length < 2) {
      throw new DatasetError('E_DATA_SINGLE_CLASS', `${file}: the label column "${this.target}" has a single class (${JSON.stringify(this.classes[0] ?? '')}) in ${n} rows; a classifier needs at least two; check the file or choose another target column.`, { file });
    }
    this.parts = parts;
    this.width = width;
    this.features = new Float32Array(width);
    if (width > 0) { fields.features = { shape: [width], dtype: 'f32' }; this.sample.features = this.features; }
    for (const p of parts) if (p.kind === 'index') this.sample[p.key] = p.out;
    if (label?.kind === 'label') {
      const key = this.options.targetField ?? label.key;
      fields[key] = label.numeric && !label.index ? { shape: [1], dtype: 'f32' } : { shape: [], dtype: 'i32' };
      this.sample[key] = label.out;
    }
    this.train = new Uint8Array(n);
    const rows = trainRows(n);
    for (let i = 0; i < rows.length; i++) this.train[rows[i]] = 1;
    this.trainMoments = header.map(() => new RunningMoments());
    return { name: this.name, fields, size: n, classes: this.classes };
  }

  /** Pass 3: the sample of a kept row into `sink` (numeric features raw; NaN where missing). */
  encode(cells: readonly string[], line: number, sink: SampleSink): void {
    if (!this.keep(cells, line)) return;
    const isTrain = this.train[this.encoded++] === 1;
    const out = this.features;
    for (const p of this.parts) {
      const cell = cells[p.c];
      switch (p.kind) {
        case 'number': {
          const v = parseNumber(cell) ?? NaN;
          if (isTrain && !Number.isNaN(v)) this.trainMoments[p.c].add(v);
          out[p.at] = v;
          break;
        }
        case 'onehot':
          out.fill(0, p.at, p.at + p.index.size);
          out[p.at + p.index.get(cell.trim())!] = 1;
          break;
        case 'index':
          p.out[0] = p.index.get(cell.trim())!;
          break;
        case 'label':
          p.out[0] = !p.index ? parseNumber(cell) ?? NaN : p.index.get(p.numeric ? String(parseNumber(cell) ?? NaN) : cell.trim())!;
          break;
        default:
          p satisfies never;
      }
    }
    sink.append(this.sample);
  }

  /**
   * After pass 3. Numeric features are z-scored with the training rows' mean and population std
   * (a zero std becomes 1 so constant columns stay finite); a missing value becomes the training
   * mean (`missing: 'mean'`) or `fill` (`'constant'`) before scaling.
   */
  finish(encoded: Dataset): TableImport {
    const columns: ColumnSummary[] = this.header.map((name, c) => {
      const type = this.types[c];
      const s = this.surveys[c];
      if (type === 'ignore') return { name, type, missing: 0 };
      if (type === 'number') return { name, type, missing: s.missing, min: s.moments.min, max: s.moments.max, mean: s.moments.mean, std: s.moments.std };
      return { name, type, missing: s.missing, categories: [...s.counts].map(([k, count]) => ({ name: k, count })).sort(byCountThenName) };
    });
    const normalization: Record<string, { mean: number; std: number }> = {};
    const scales: FeatureScale[] = [];
    for (const p of this.parts) {
      if (p.kind !== 'number') continue;
      const m = this.trainMoments[p.c];
      const stats = { mean: m.mean, std: m.std > 0 ? m.std : 1 };
      const fill = this.options.missing === 'constant' ? this.options.fill ?? 0 : stats.mean;
      if (this.options.normalize !== false) normalization[this.header[p.c]] = stats;
      const scale = this.options.normalize === false ? { mean: 0, std: 1 } : stats;
      scales.push({ at: p.at, fill, ...scale });
    }
    const dataset = scales.length && this.width ? new FeatureNormalizedDataset(encoded, 'features', scales) : encoded;
    return { dataset, columns, target: this.target, task: this.task, dropped: this.dropped, normalization };
  }
}
