/**
 * @file Tables (CSV/TSV already split into cells) to a dataset: column types inferred and
 * overridable, a target column, categorical features one-hot or as index fields, a missing-value
 * policy, and z-score normalization whose statistics come from the TRAINING rows only.
 *
 * Fields: `features` [F] f32 (numeric columns, then one-hot blocks), one i32 field per categorical
 * column encoded as `index`, and the target as `label` [] i32 (classification, with classes) or
 * `target` [1] f32 (regression); `targetField` renames it (a BCE loss reading `label` [1] f32).
 */
import { InMemoryDataset, type FieldArray, type FieldSpec } from './dataset';
import { DatasetError, firstFew } from './errors';

export type ColumnType = 'number' | 'category' | 'ignore';
export type MissingPolicy = 'drop' | 'mean' | 'constant' | 'error';

export interface TableOptions {
  /** Target column (default: the last one). */
  target?: string;
  /** Per-column type overrides. */
  types?: Record<string, ColumnType>;
  /** Categorical feature columns: one-hot blocks in `features`, or an i32 index field each (for an Embedding). */
  categorical?: 'onehot' | 'index';
  /** z-score numeric features with training statistics (default true). */
  normalize?: boolean;
  missing?: MissingPolicy;
  /** The value used by `missing: 'constant'` (default 0). */
  fill?: number;
  /** Regression or classification (default: classification for a category target, else regression). */
  task?: 'classification' | 'regression';
  /** Name of the target's field (default `label` for classification, `target` for regression). */
  targetField?: string;
}

export interface RawTable {
  file: string;
  header: string[];
  rows: string[][];
  /** 1-based line of each row in the file. */
  lines: number[];
}

export interface ColumnSummary {
  name: string;
  type: ColumnType;
  missing: number;
  /** Numeric columns: statistics over the kept rows (before normalization). */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** Category columns: each value with its count, by count then name. */
  categories?: { name: string; count: number }[];
}

export interface TableImport {
  dataset: InMemoryDataset;
  columns: ColumnSummary[];
  target: string;
  task: 'classification' | 'regression';
  /** Rows dropped by `missing: 'drop'`, with their lines. */
  dropped: number[];
  /** Normalization used: per numeric feature column, mean and std from the training rows. */
  normalization: Record<string, { mean: number; std: number }>;
}

const MISSING = new Set(['', 'na', 'n/a', 'null', 'none', '?']);
const isMissing = (cell: string) => MISSING.has(cell.trim().toLowerCase());
const isNaNText = (cell: string) => cell.trim().toLowerCase() === 'nan';

function parseNumber(cell: string): number | undefined {
  const t = cell.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$/i.test(t)) return undefined;
  return /inf/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t);
}

/** A column is numeric when every present value parses; mostly-numeric columns with a stray word are an error. */
export function inferColumnType(table: RawTable, column: number): ColumnType {
  let numeric = 0;
  let other = 0;
  let firstOther = -1;
  for (let r = 0; r < table.rows.length; r++) {
    const cell = table.rows[r][column];
    if (isMissing(cell) || isNaNText(cell)) continue;
    if (parseNumber(cell) !== undefined) numeric++;
    else if (other++ === 0) firstOther = r;
  }
  if (other === 0) return numeric > 0 ? 'number' : 'category';
  if (numeric >= 4 * other) {
    const name = table.header[column];
    throw new DatasetError(
      'E_DATA_MIXED_TYPES',
      `${table.file} line ${table.lines[firstOther]}: column "${name}" holds numbers but this row has ${JSON.stringify(table.rows[firstOther][column])} (${other} such rows); fix those cells or set the column's type to category.`,
      { file: table.file, line: table.lines[firstOther] },
    );
  }
  return 'category';
}

function summarizeNumbers(values: Float64Array): Pick<ColumnSummary, 'min' | 'max' | 'mean' | 'std'> {
  let min = Infinity, max = -Infinity, sum = 0;
  let n = 0;
  for (const v of values) if (!Number.isNaN(v)) { min = Math.min(min, v); max = Math.max(max, v); sum += v; n++; }
  const mean = n ? sum / n : 0;
  let sq = 0;
  for (const v of values) if (!Number.isNaN(v)) sq += (v - mean) ** 2;
  return { min, max, mean, std: n ? Math.sqrt(sq / n) : 0 };
}

/** Mean and population std over `rows` (NaN skipped); std 0 becomes 1 so constant columns stay finite. */
export function trainStatistics(values: Float64Array, rows: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0, n = 0;
  for (let i = 0; i < rows.length; i++) { const v = values[rows[i]]; if (!Number.isNaN(v)) { sum += v; n++; } }
  const mean = n ? sum / n : 0;
  let sq = 0;
  for (let i = 0; i < rows.length; i++) { const v = values[rows[i]]; if (!Number.isNaN(v)) sq += (v - mean) ** 2; }
  const std = n ? Math.sqrt(sq / n) : 0;
  return { mean, std: std > 0 ? std : 1 };
}

function categoriesOf(cells: readonly string[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const c of cells) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
}

/**
 * Build the dataset. `trainRows(n)` returns the rows (of the n kept rows) that will be trained on:
 * normalization and fill means are computed from those rows only.
 */
export function importTable(table: RawTable, options: TableOptions, trainRows: (n: number) => ArrayLike<number>, name = table.file): TableImport {
  const { header, file } = table;
  if (header.length === 0 || table.rows.length === 0) throw new DatasetError('E_DATA_EMPTY', `${file} has no data rows; a table needs a header line and at least one row.`, { file });
  const target = options.target ?? header[header.length - 1];
  const targetIndex = header.indexOf(target);
  if (targetIndex < 0) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `${file}: the target column "${target}" is not in the header (columns: ${header.join(', ')}).`, { file, line: 1 });
  for (const col of Object.keys(options.types ?? {})) {
    if (!header.includes(col)) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `${file}: option types names column "${col}", which is not in the header (columns: ${header.join(', ')}).`, { file, line: 1 });
  }
  const types = header.map((h, c) => options.types?.[h] ?? inferColumnType(table, c));
  const task = options.task ?? (types[targetIndex] === 'category' ? 'classification' : 'regression');
  const policy = options.missing ?? 'error';

  // Missing values: error, drop the row, or fill (numbers only; a missing category becomes its own value "").
  const dropped: number[] = [];
  const keep: number[] = [];
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r];
    let missingAt = -1;
    for (let c = 0; c < header.length; c++) {
      if (types[c] === 'ignore') continue;
      const cell = row[c];
      if (types[c] === 'number' && parseNumber(cell) !== undefined && !Number.isFinite(parseNumber(cell))) {
        throw new DatasetError('E_DATA_NOT_FINITE', `${file} line ${table.lines[r]}: column "${header[c]}" is ${cell.trim()}; replace it with a finite number or leave the cell empty and choose a missing-value policy.`, { file, line: table.lines[r] });
      }
      if (isMissing(cell) || isNaNText(cell) || (c === targetIndex && cell.trim() === '')) { missingAt = c; break; }
    }
    if (missingAt < 0) { keep.push(r); continue; }
    const mustDrop = policy === 'drop' || missingAt === targetIndex;
    if (policy === 'error') {
      const cell = row[missingAt];
      throw new DatasetError(
        isNaNText(cell) ? 'E_DATA_NOT_FINITE' : 'E_DATA_MISSING_VALUE',
        `${file} line ${table.lines[r]}: column "${header[missingAt]}" is ${isNaNText(cell) ? 'NaN' : 'missing'}; fill it in, or set the missing-value policy to drop, mean or constant.`,
        { file, line: table.lines[r] },
      );
    }
    if (mustDrop) dropped.push(table.lines[r]);
    else keep.push(r);
  }
  const n = keep.length;
  if (n === 0) throw new DatasetError('E_DATA_EMPTY', `${file}: every row has a missing value, so none is left to train on (${dropped.length} dropped).`, { file });
  const train = trainRows(n);

  const columns: ColumnSummary[] = [];
  const featureParts: { name: string; width: number; write: (row: number, out: Float32Array, at: number) => void }[] = [];
  const indexFields: Record<string, { spec: FieldSpec; data: FieldArray }> = {};
  const normalization: Record<string, { mean: number; std: number }> = {};
  let labelField: { key: string; spec: FieldSpec; data: FieldArray } | undefined;
  let classes: string[] | undefined;

  for (let c = 0; c < header.length; c++) {
    const colName = header[c];
    if (types[c] === 'ignore') { columns.push({ name: colName, type: 'ignore', missing: 0 }); continue; }
    let missing = 0;
    if (types[c] === 'number') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = parseNumber(table.rows[keep[i]][c]);
        if (v === undefined) {
          const cell = table.rows[keep[i]][c];
          if (!isMissing(cell) && !isNaNText(cell)) {
            throw new DatasetError('E_DATA_MIXED_TYPES', `${file} line ${table.lines[keep[i]]}: column "${colName}" is set to number but holds ${JSON.stringify(cell)}; fix the cell or set the column's type to category.`, { file, line: table.lines[keep[i]] });
          }
          missing++;
        }
        values[i] = v ?? NaN;
      }
      columns.push({ name: colName, type: 'number', missing, ...summarizeNumbers(values) });
      if (c === targetIndex && task === 'regression') {
        const data = new Float32Array(n);
        for (let i = 0; i < n; i++) data[i] = values[i];
        labelField = { key: 'target', spec: { shape: [1], dtype: 'f32' }, data };
        continue;
      }
      if (c === targetIndex) {
        const cells = Array.from(values, String);
        classes = [...new Set(cells)].sort((a, b) => Number(a) - Number(b));
        labelField = { key: 'label', spec: { shape: [], dtype: 'i32' }, data: Int32Array.from(cells, (s) => classes!.indexOf(s)) };
        continue;
      }
      const stats = trainStatistics(values, train);
      const fillValue = policy === 'constant' ? options.fill ?? 0 : stats.mean;
      const scale = options.normalize === false ? { mean: 0, std: 1 } : stats;
      if (options.normalize !== false) normalization[colName] = stats;
      featureParts.push({ name: colName, width: 1, write: (row, out, at) => { const v = Number.isNaN(values[row]) ? fillValue : values[row]; out[at] = (v - scale.mean) / scale.std; } });
      continue;
    }
    const cells = keep.map((r) => table.rows[r][c].trim());
    const categories = categoriesOf(cells);
    columns.push({ name: colName, type: 'category', missing: cells.filter((s) => s === '').length, categories });
    const names = categories.map((k) => k.name).sort();
    const index = new Map(names.map((k, i) => [k, i]));
    if (c === targetIndex) {
      if (task === 'regression') throw new DatasetError('E_DATA_BAD_OPTION', `${file}: the target "${colName}" holds categories, so it cannot be a regression target; choose classification or another column.`, { file });
      classes = names;
      labelField = { key: 'label', spec: { shape: [], dtype: 'i32' }, data: Int32Array.from(cells, (s) => index.get(s)!) };
    } else if (options.categorical === 'index') {
      indexFields[colName] = { spec: { shape: [], dtype: 'i32' }, data: Int32Array.from(cells, (s) => index.get(s)!) };
    } else {
      featureParts.push({ name: colName, width: names.length, write: (row, out, at) => { out.fill(0, at, at + names.length); out[at + index.get(cells[row])!] = 1; } });
    }
  }
  if (labelField?.key === 'label' && classes && classes.length < 2) {
    throw new DatasetError('E_DATA_SINGLE_CLASS', `${file}: the label column "${target}" has a single class (${JSON.stringify(classes[0] ?? '')}) in ${n} rows; a classifier needs at least two; check the file or choose another target column.`, { file });
  }
  const width = featureParts.reduce((a, p) => a + p.width, 0);
  const fields: Record<string, { spec: FieldSpec; data: FieldArray }> = { ...indexFields };
  if (width > 0) {
    const features = new Float32Array(n * width);
    for (let i = 0; i < n; i++) {
      let at = i * width;
      for (const part of featureParts) { part.write(i, features, at); at += part.width; }
    }
    fields.features = { spec: { shape: [width], dtype: 'f32' }, data: features };
  }
  if (labelField) fields[options.targetField ?? labelField.key] = { spec: labelField.spec, data: labelField.data };
  return { dataset: new InMemoryDataset(name, n, fields, classes), columns, target, task, dropped, normalization };
}

/** One line for an import that dropped rows: how many and which. */
export function describeDropped(file: string, lines: readonly number[]): string | undefined {
  if (lines.length === 0) return undefined;
  return `${file}: ${lines.length} row${lines.length === 1 ? '' : 's'} skipped (line${lines.length === 1 ? '' : 's'} ${firstFew(lines)}).`;
}
