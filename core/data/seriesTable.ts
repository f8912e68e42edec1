/**
 * @file A table of sensor rows (CSV cells) to a `SeriesTable`: a unit column (one machine per
 * value; absent = one unit, or one file per unit merged by the caller), an optional time column
 * to sort by, a failure column (1 at the row where a failure happens), and numeric sensor columns.
 * Rows are parsed one at a time in file order (`SeriesRowParser`), so a streamed import of a file
 * larger than memory (electron/services/datasets/seriesStream.ts) reads them the same way.
 */
import { DatasetError } from './errors';
import type { RawTable } from './table';
import type { SeriesTable } from './timeseries';

export interface SeriesColumns {
  unit?: string;
  time?: string;
  /** Column with 1 where a failure happens (default "failure"). */
  failure?: string;
  /** Sensor columns (default: every other column). */
  sensors?: string[];
}

/** A row of a series file: its unit's name, time, failure flag; sensor values go to a caller's buffer. */
export interface SeriesRow {
  unit: string;
  time: number;
  failure: 0 | 1;
}

/** Reads the cells of one row by the roles of the columns (shared by the in-memory and the streamed import). */
export class SeriesRowParser {
  readonly sensors: string[];
  private readonly unitCol: number;
  private readonly timeCol: number;
  private readonly failureCol: number;
  private readonly sensorCols: number[];

  constructor(
    readonly file: string,
    readonly header: readonly string[],
    columns: SeriesColumns,
  ) {
    const find = (name: string | undefined, role: string): number => {
      if (name === undefined) return -1;
      const i = header.indexOf(name);
      if (i < 0) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `${file}: the ${role} column "${name}" is not in the header (columns: ${header.join(', ')}).`, { file, line: 1 });
      return i;
    };
    this.unitCol = find(columns.unit, 'unit');
    this.timeCol = find(columns.time, 'time');
    this.failureCol = find(columns.failure ?? 'failure', 'failure');
    this.sensorCols = columns.sensors ? columns.sensors.map((s) => find(s, 'sensor')) : header.map((_, i) => i).filter((i) => i !== this.unitCol && i !== this.timeCol && i !== this.failureCol);
    if (this.sensorCols.length === 0) throw new DatasetError('E_DATA_EMPTY', `${file}: no sensor columns remain besides unit, time and failure.`, { file });
    this.sensors = this.sensorCols.map((c) => header[c]);
  }

  private number(cells: readonly string[], c: number, line: number): number {
    const cell = cells[c].trim();
    const v = Number(cell);
    const { file, header } = this;
    if (cell === '' || Number.isNaN(v)) {
      throw new DatasetError(cell === '' ? 'E_DATA_MISSING_VALUE' : 'E_DATA_MIXED_TYPES', `${file} line ${line}: column "${header[c]}" holds ${JSON.stringify(cell)}, not a number; sensor, time and failure columns must be numeric.`, { file, line });
    }
    if (!Number.isFinite(v)) throw new DatasetError('E_DATA_NOT_FINITE', `${file} line ${line}: column "${header[c]}" is ${cell}; replace it with a finite number.`, { file, line });
    return v;
  }

  /** Parse row `row` (0-based, the time when there is no time column); sensor values into `values`. */
  parse(cells: readonly string[], line: number, row: number, unitName: string, values: Float64Array): SeriesRow {
    const unit = this.unitCol >= 0 ? cells[this.unitCol].trim() : unitName;
    const time = this.timeCol >= 0 ? this.number(cells, this.timeCol, line) : row;
    const failure = this.number(cells, this.failureCol, line) !== 0 ? 1 : 0;
    for (let s = 0; s < this.sensorCols.length; s++) values[s] = this.number(cells, this.sensorCols[s], line);
    return { unit, time, failure };
  }
}

/** Order of rows grouped by unit (first appearance), then by time; ties keep file order. */
export function seriesOrder(unit: Int32Array, time: Float64Array): Int32Array {
  const order = new Int32Array(unit.length);
  let sorted = true;
  for (let i = 0; i < order.length; i++) {
    order[i] = i;
    if (i > 0 && (unit[i] < unit[i - 1] || (unit[i] === unit[i - 1] && time[i] < time[i - 1]))) sorted = false;
  }
  if (!sorted) order.sort((a, b) => unit[a] - unit[b] || time[a] - time[b] || a - b);
  return order;
}

export function seriesFromTable(table: RawTable, columns: SeriesColumns, unitName = table.file): SeriesTable {
  const { file } = table;
  if (table.rows.length === 0) throw new DatasetError('E_DATA_EMPTY', `${file} has no data rows.`, { file });
  const parser = new SeriesRowParser(file, table.header, columns);
  const S = parser.sensors.length;
  const n = table.rows.length;
  const raw = new Float64Array(n * S);
  const unit = new Int32Array(n);
  const time = new Float64Array(n);
  const fails = new Uint8Array(n);
  const units: string[] = [];
  const unitIndex = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const row = parser.parse(table.rows[r], table.lines[r], r, unitName, raw.subarray(r * S, (r + 1) * S));
    if (!unitIndex.has(row.unit)) { unitIndex.set(row.unit, units.length); units.push(row.unit); }
    unit[r] = unitIndex.get(row.unit)!;
    time[r] = row.time;
    fails[r] = row.failure;
  }
  const order = seriesOrder(unit, time);
  const values = new Float64Array(n * S);
  const unitOf = new Int32Array(n);
  const failure = new Uint8Array(n);
  order.forEach((r, i) => {
    unitOf[i] = unit[r];
    failure[i] = fails[r];
    values.set(raw.subarray(r * S, (r + 1) * S), i * S);
  });
  return { file, units, sensors: parser.sensors, values, unitOf, failure };
}
