/**
 * @file A table imported in two passes over its rows, so that a CSV larger than memory streams
 * from disk (two reads of the file) and a small one is read from memory by the same code:
 *
 *   1. scan:   everything that does not need the column types, gathered for every column at once:
 *              type inference counts, which rows are kept (whether a cell is missing does not
 *              depend on its type), numeric summaries and categorical vocabularies of the kept
 *              rows, and the first row of each kind of error. At its end the types are known, so
 *              the errors are raised in the order a row-by-row import would meet them, and the
 *              kept count n fixes the split (`trainRows(n)`).
 *   2. encode: each kept row to its sample (numeric features raw, a missing one as NaN) while the
 *              training rows' statistics accumulate; normalization and fill are applied when
 *              batches are gathered (`FeatureNormalizedDataset`), so no third pass is needed.
 *
 * Vocabularies are counted in pass 1 for every column that does not look numeric so far, up to
 * `vocabularyLimit` distinct values each. A column that turns out to be a category without a
 * complete count (past the limit, or numbers before its first word) gets its vocabulary from one
 * more pass (`countCategories`) over the rows.
 */
import type { FieldSpec } from './dataset';
import { DatasetError } from './errors';
import { FeatureNormalizedDataset, type FeatureScale } from './normalize';
import { RunningMoments, type SampleSink, type SinkSpec } from './sink';
import type { ColumnSummary, ColumnType, TableImport, TableOptions } from './table';

/** Cells that hold no value, compared trimmed and in lower case; "nan" is reported as not finite. */
const ABSENT = new Set(['', 'na', 'n/a', 'null', 'none', '?', 'nan']);
export const isNaNText = (cell: string): boolean => cell.trim().toLowerCase() === 'nan';
/** Every such word has at most 4 letters, so longer cells skip the lowercase copy. */
const isAbsent = (trimmed: string): boolean => trimmed.length <= 4 && ABSENT.has(trimmed.toLowerCase());

/**
 * A number in decimal notation (1, -2.5, .5, 1e-3), or ±inf/±infinity in any case; anything else,
 * hexadecimal, binary and octal literals included, is not a number.
 */
export function parseNumber(cell: string): number | undefined {
  const t = cell.trim();
  const c0 = t.charCodeAt(0);
  // Digits, '.', '+' or '-' first: Number() reads exactly decimal notation then, except 0x/0b/0o.
  if ((c0 >= 48 && c0 <= 57) || c0 === 46 || c0 === 43 || c0 === 45) {
    if (c0 === 48 && t.length > 1 && 'xXbBoO'.includes(t[1])) return undefined;
    const v = Number(t);
    if (!Number.isNaN(v)) return v;
  }
  return /^[+-]?(inf|infinity)$/i.test(t) ? (c0 === 45 ? -Infinity : Infinity) : undefined;
}

/** Distinct values counted per column in pass 1 before a category column needs a pass of its own. */
export const VOCABULARY_LIMIT = 10_000;

interface Where { line: number; cell: string; column: number }
interface ColumnScan {
  /** Type inference, over every row. */
  numeric: number;
  other: number;
  firstOther?: Where;
  /** First line where this column holds ±Infinity. */
  infinite?: Where;
  /** Over kept rows: numbers, cells that are not numbers, empty cells, the first non-number word. */
  moments: RunningMoments;
  unparsed: number;
  empty: number;
  word?: Where;
  /** Trimmed values with counts, while counted; `complete` while counted from the first kept row on; `full` past the limit. */
  values?: Map<string, number>;
  complete: boolean;
  full: boolean;
  /** A numeric classification label: String(value) with counts (undefined past the limit). */
  numbers?: Map<string, number>;
}

type Part =
  | { kind: 'number'; c: number; at: number }
  | { kind: 'onehot'; c: number; at: number; index: Map<string, number> }
  | { kind: 'index'; c: number; key: string; index: Map<string, number>; out: Int32Array }
  | { kind: 'label'; c: number; key: string; numeric: boolean; index?: Map<string, number>; out: Int32Array | Float32Array };

const byCountThenName = (a: { name: string; count: number }, b: { name: string; count: number }) => b.count - a.count || (a.name < b.name ? -1 : 1);
const bump = (map: Map<string, number> | undefined, key: string) => map?.set(key, (map.get(key) ?? 0) + 1);

export class TableImporter {
  readonly target: string;
  private readonly targetIndex: number;
  private readonly scans: ColumnScan[];
  private readonly ignored: boolean[];
  private readonly forcedCategory: boolean[];
  private absent = new Uint8Array(0);
  private values = new Float64Array(0);
  private trimmed: string[] = [];
  private readonly policy: NonNullable<TableOptions['missing']>;
  private types: ColumnType[] = [];
  private task: 'classification' | 'regression' = 'regression';
  private readonly dropped: number[] = [];
  private firstMissing?: Where;
  private kept = 0;
  private recount: number[] = [];
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
    private readonly vocabularyLimit = VOCABULARY_LIMIT,
  ) {
    if (header.length === 0) throw new DatasetError('E_DATA_EMPTY', `${file} has no data rows; a table needs a header line and at least one row.`, { file });
    this.target = options.target ?? header[header.length - 1];
    this.targetIndex = header.indexOf(this.target);
    if (this.targetIndex < 0) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `${file}: the target column "${this.target}" is not in the header (columns: ${header.join(', ')}).`, { file, line: 1 });
    for (const col of Object.keys(options.types ?? {})) {
      if (!header.includes(col)) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `${file}: option types names column "${col}", which is not in the header (columns: ${header.join(', ')}).`, { file, line: 1 });
    }
    this.ignored = header.map((h) => options.types?.[h] === 'ignore');
    this.forcedCategory = header.map((h) => options.types?.[h] === 'category');
    this.policy = options.missing ?? 'error';
    const labels = options.task === 'classification';
    this.scans = header.map((_, c) => ({ numeric: 0, other: 0, moments: new RunningMoments(), unparsed: 0, empty: 0, values: new Map(), complete: true, full: false, numbers: labels && c === this.targetIndex ? new Map() : undefined }));
    this.absent = new Uint8Array(header.length);
    this.values = new Float64Array(header.length);
    this.trimmed = header.map(() => '');
  }

  /** The first non-ignored column of a row whose cell is missing (or "NaN"), or -1. */
  private missingAt(cells: readonly string[]): number {
    for (let c = 0; c < cells.length; c++) if (!this.ignored[c] && isAbsent(cells[c].trim())) return c;
    return -1;
  }

  /** Rows are dropped for a missing value under `missing: 'drop'`, and for a missing target under every policy. */
  private keeps(missingAt: number): boolean {
    return missingAt < 0 || !(this.policy === 'drop' || missingAt === this.targetIndex);
  }

  /** Pass 1. */
  scan(cells: readonly string[], line: number): void {
    const { absent, values, trimmed } = this;
    let missingAt = -1;
    for (let c = 0; c < cells.length; c++) {
      const t = (trimmed[c] = cells[c].trim());
      absent[c] = isAbsent(t) ? 1 : 0;
      values[c] = absent[c] ? NaN : parseNumber(t) ?? NaN;
      if (absent[c] && missingAt < 0 && !this.ignored[c]) missingAt = c;
    }
    if (missingAt >= 0) this.firstMissing ??= { line, cell: cells[missingAt], column: missingAt };
    const keep = this.keeps(missingAt);
    if (keep) this.kept++;
    else this.dropped.push(line);
    for (let c = 0; c < cells.length; c++) {
      const s = this.scans[c];
      const v = values[c];
      const number = !Number.isNaN(v);
      if (!absent[c]) {
        if (number) s.numeric++;
        else if (s.other++ === 0) s.firstOther = { line, cell: cells[c], column: c };
      }
      if (number && !Number.isFinite(v) && !this.ignored[c]) s.infinite ??= { line, cell: cells[c], column: c };
      if (!keep || this.ignored[c]) continue;
      if (number) s.moments.add(v);
      else {
        s.unparsed++;
        if (!absent[c]) s.word ??= { line, cell: cells[c], column: c };
      }
      const value = trimmed[c];
      if (value === '') s.empty++;
      this.count(c, s, value);
      if (s.numbers) {
        bump(s.numbers, String(v));
        if (s.numbers.size > this.vocabularyLimit) s.numbers = undefined;
      }
    }
  }

  /** Count a kept value while the column does not look numeric (numbers, no word yet) and is under the limit. */
  private count(c: number, s: ColumnScan, value: string): void {
    if (s.full) return;
    if (!this.forcedCategory[c] && s.numeric > 0 && s.other === 0) {
      if (s.values) { s.values = undefined; s.complete = false; }
      return;
    }
    s.values ??= new Map();
    bump(s.values, value);
    if (s.values.size > this.vocabularyLimit) { s.values = undefined; s.complete = false; s.full = true; }
  }

  /**
   * After pass 1: the column types (a column is numeric when every present value parses; a
   * mostly-numeric column, at least 4 numbers per other word, with a stray word is an error),
   * then the first row's error (±Infinity in a numeric column, or a missing value under
   * `missing: 'error'`). Returns the category columns whose vocabulary needs one more pass.
   */
  endScan(): string[] {
    const { file, header } = this;
    this.types = header.map((h, c) => {
      const given = this.options.types?.[h];
      if (given) return given;
      const { numeric, other, firstOther } = this.scans[c];
      if (other === 0) return numeric > 0 ? 'number' : 'category';
      if (numeric >= 4 * other) {
        throw new DatasetError(
          'E_DATA_MIXED_TYPES',
          `${file} line ${firstOther!.line}: column "${h}" holds numbers but this row has ${JSON.stringify(firstOther!.cell)} (${other} such rows); fix those cells or set the column's type to category.`,
          { file, line: firstOther!.line },
        );
      }
      return 'category';
    });
    this.task = this.options.task ?? (this.types[this.targetIndex] === 'category' ? 'classification' : 'regression');
    // The first error of a row-by-row reading, cell by cell: ±Infinity in a numeric column, or a missing value.
    let infinite: Where | undefined;
    for (let c = 0; c < header.length; c++) {
      const at = this.scans[c].infinite;
      if (this.types[c] === 'number' && at && (!infinite || at.line < infinite.line)) infinite = at;
    }
    const missing = this.policy === 'error' ? this.firstMissing : undefined;
    if (infinite && (!missing || infinite.line < missing.line || (infinite.line === missing.line && infinite.column < missing.column))) {
      throw new DatasetError('E_DATA_NOT_FINITE', `${file} line ${infinite.line}: column "${header[infinite.column]}" is ${infinite.cell.trim()}; replace it with a finite number or leave the cell empty and choose a missing-value policy.`, { file, line: infinite.line });
    }
    if (missing) {
      const nan = isNaNText(missing.cell);
      throw new DatasetError(
        nan ? 'E_DATA_NOT_FINITE' : 'E_DATA_MISSING_VALUE',
        `${file} line ${missing.line}: column "${header[missing.column]}" is ${nan ? 'NaN' : 'missing'}; fill it in, or set the missing-value policy to drop, mean or constant.`,
        { file, line: missing.line },
      );
    }
    const numericLabel = this.task === 'classification' && this.types[this.targetIndex] === 'number';
    this.recount = header.map((_, c) => c).filter((c) => (this.types[c] === 'category' && !this.scans[c].complete) || (c === this.targetIndex && numericLabel && !this.scans[c].numbers));
    for (const c of this.recount) {
      if (this.types[c] === 'category') this.scans[c].values = new Map();
      else this.scans[c].numbers = new Map();
    }
    return this.recount.map((c) => header[c]);
  }

  /** The extra pass `endScan` may ask for: vocabularies of category columns counted incompletely in pass 1, without a limit. */
  countCategories(cells: readonly string[]): void {
    if (!this.keeps(this.missingAt(cells))) return;
    for (const c of this.recount) {
      const s = this.scans[c];
      if (this.types[c] === 'category') bump(s.values, cells[c].trim());
      else bump(s.numbers, String(parseNumber(cells[c]) ?? NaN));
    }
  }

  /** After pass 1: checks that need every kept row, the layout of a sample, and the rows `trainRows(n)` trains on. */
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
      const s = this.scans[c];
      if (type === 'number') {
        if (s.word) {
          throw new DatasetError('E_DATA_MIXED_TYPES', `${file} line ${s.word.line}: column "${header[c]}" is set to number but holds ${JSON.stringify(s.word.cell)}; fix the cell or set the column's type to category.`, { file, line: s.word.line });
        }
        if (c !== targetIndex) { parts.push({ kind: 'number', c, at: width }); width++; }
        else if (this.task === 'regression') parts.push({ kind: 'label', c, key: 'target', numeric: true, out: new Float32Array(1) });
        else {
          // First-appearance order, then numeric (a stable sort): the classes of a numeric label.
          this.classes = [...s.numbers!.keys()].sort((a, b) => Number(a) - Number(b));
          parts.push({ kind: 'label', c, key: 'label', numeric: true, index: new Map(this.classes.map((k, i) => [k, i])), out: new Int32Array(1) });
        }
        continue;
      }
      const names = [...s.values!.keys()].sort();
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

  private changed(): DatasetError {
    return new DatasetError('E_DATA_MALFORMED_ROW', `${this.file} changed while it was being imported (its rows differ from one reading to the next); import it again.`, { file: this.file });
  }

  /** Pass 2: the sample of a kept row into `sink` (numeric features raw; NaN where missing). */
  encode(cells: readonly string[], sink: SampleSink): void {
    if (!this.keeps(this.missingAt(cells))) return;
    if (this.encoded === this.kept) throw this.changed();
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
   * After pass 2. Numeric features are z-scored with the training rows' mean and population std
   * (a zero std becomes 1 so constant columns stay finite); a missing value becomes the training
   * mean (`missing: 'mean'`) or `fill` (`'constant'`) before scaling.
   */
  finish(sink: SampleSink): TableImport {
    if (this.encoded !== this.kept) throw this.changed();
    const encoded = sink.finish();
    const columns: ColumnSummary[] = this.header.map((name, c) => {
      const type = this.types[c];
      const s = this.scans[c];
      if (type === 'ignore') return { name, type, missing: 0 };
      if (type === 'number') return { name, type, missing: s.unparsed, min: s.moments.min, max: s.moments.max, mean: s.moments.mean, std: s.moments.std };
      return { name, type, missing: s.empty, categories: [...s.values!].map(([k, count]) => ({ name: k, count })).sort(byCountThenName) };
    });
    const normalization: Record<string, { mean: number; std: number }> = {};
    const scales: FeatureScale[] = [];
    for (const p of this.parts) {
      if (p.kind !== 'number') continue;
      const m = this.trainMoments[p.c];
      const stats = { mean: m.mean, std: m.std > 0 ? m.std : 1 };
      const fill = this.policy === 'constant' ? this.options.fill ?? 0 : stats.mean;
      if (this.options.normalize !== false) normalization[this.header[p.c]] = stats;
      const scale = this.options.normalize === false ? { mean: 0, std: 1 } : stats;
      scales.push({ at: p.at, fill, ...scale });
    }
    const dataset = scales.length && this.width ? new FeatureNormalizedDataset(encoded, 'features', scales) : encoded;
    return { dataset, columns, target: this.target, task: this.task, dropped: this.dropped, normalization };
  }
}
