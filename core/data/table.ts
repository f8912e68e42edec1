/**
 * @file Tables (CSV/TSV already split into cells) to a dataset: column types inferred and
 * overridable, a target column, categorical features one-hot or as index fields, a missing-value
 * policy, and z-score normalization whose statistics come from the TRAINING rows only.
 *
 * Fields: `features` [F] f32 (numeric columns and one-hot blocks, in column order), one i32 field per categorical
 * column encoded as `index`, and the target as `label` [] i32 (classification, with classes) or
 * `target` [1] f32 (regression); `targetField` renames it (a BCE loss reading `label` [1] f32).
 */
import type { Dataset } from './dataset';
import { DatasetError, firstFew } from './errors';
import { memorySink, type SinkFactory } from './sink';
import { TableImporter } from './tableImporter';

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
  dataset: Dataset;
  columns: ColumnSummary[];
  target: string;
  task: 'classification' | 'regression';
  /** Rows dropped by `missing: 'drop'`, with their lines. */
  dropped: number[];
  /** Normalization used: per numeric feature column, mean and std from the training rows. */
  normalization: Record<string, { mean: number; std: number }>;
}

/**
 * Build the dataset from rows in memory. `trainRows(n)` returns the rows (of the n kept rows) that
 * will be trained on: normalization and fill means are computed from those rows only. The same
 * passes stream a file from disk in electron/services/datasets/tableStream.ts.
 */
export function importTable(table: RawTable, options: TableOptions, trainRows: (n: number) => ArrayLike<number>, name = table.file, sink: SinkFactory = memorySink, vocabularyLimit?: number): TableImport {
  const { header, file, rows, lines } = table;
  if (header.length === 0 || rows.length === 0) throw new DatasetError('E_DATA_EMPTY', `${file} has no data rows; a table needs a header line and at least one row.`, { file });
  const importer = new TableImporter(file, header, options, name, vocabularyLimit);
  for (let r = 0; r < rows.length; r++) importer.scan(rows[r], lines[r]);
  if (importer.endScan().length) for (const row of rows) importer.countCategories(row);
  const samples = sink(importer.plan(trainRows));
  for (const row of rows) importer.encode(row, samples);
  return importer.finish(samples);
}

/** One line for an import that dropped rows: how many and which. */
export function describeDropped(file: string, lines: readonly number[]): string | undefined {
  if (lines.length === 0) return undefined;
  return `${file}: ${lines.length} row${lines.length === 1 ? '' : 's'} skipped (line${lines.length === 1 ? '' : 's'} ${firstFew(lines)}).`;
}
