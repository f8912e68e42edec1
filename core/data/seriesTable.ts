/**
 * @file A table of sensor rows (CSV cells) to a `SeriesTable`: a unit column (one machine per
 * value; absent = one unit, or one file per unit merged by the caller), an optional time column
 * to sort by, a failure column (1 at the row where a failure happens), and numeric sensor columns.
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

export function seriesFromTable(table: RawTable, columns: SeriesColumns, unitName = table.file): SeriesTable {
  const { file, header } = table;
  const find = (name: string | undefined, role: string): number => {
    if (name === undefined) return -1;
    const i = header.indexOf(name);
    if (i < 0) throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `${file}: the ${role} column "${name}" is not in the header (columns: ${header.join(', ')}).`, { file, line: 1 });
    return i;
  };
  if (table.rows.length === 0) throw new DatasetError('E_DATA_EMPTY', `${file} has no data rows.`, { file });
  const unitCol = find(columns.unit, 'unit');
  const timeCol = find(columns.time, 'time');
  const failureCol = find(columns.failure ?? 'failure', 'failure');
  const sensorCols = columns.sensors ? columns.sensors.map((s) => find(s, 'sensor')) : header.map((_, i) => i).filter((i) => i !== unitCol && i !== timeCol && i !== failureCol);
  if (sensorCols.length === 0) throw new DatasetError('E_DATA_EMPTY', `${file}: no sensor columns remain besides unit, time and failure.`, { file });

  const number = (r: number, c: number): number => {
    const cell = table.rows[r][c].trim();
    const v = Number(cell);
    if (cell === '' || Number.isNaN(v)) {
      throw new DatasetError(cell === '' ? 'E_DATA_MISSING_VALUE' : 'E_DATA_MIXED_TYPES', `${file} line ${table.lines[r]}: column "${header[c]}" holds ${JSON.stringify(cell)}, not a number; sensor, time and failure columns must be numeric.`, { file, line: table.lines[r] });
    }
    if (!Number.isFinite(v)) throw new DatasetError('E_DATA_NOT_FINITE', `${file} line ${table.lines[r]}: column "${header[c]}" is ${cell}; replace it with a finite number.`, { file, line: table.lines[r] });
    return v;
  };
  const units: string[] = [];
  const unitIndex = new Map<string, number>();
  const order = table.rows.map((row, r) => {
    const unit = unitCol >= 0 ? row[unitCol].trim() : unitName;
    if (!unitIndex.has(unit)) { unitIndex.set(unit, units.length); units.push(unit); }
    return { r, u: unitIndex.get(unit)!, t: timeCol >= 0 ? number(r, timeCol) : r };
  });
  // Group by unit (first appearance), then by time; a stable sort keeps file order on ties.
  order.sort((a, b) => a.u - b.u || a.t - b.t);
  const S = sensorCols.length;
  const values = new Float64Array(order.length * S);
  const unitOf = new Int32Array(order.length);
  const failure = new Uint8Array(order.length);
  order.forEach(({ r, u }, i) => {
    unitOf[i] = u;
    failure[i] = number(r, failureCol) !== 0 ? 1 : 0;
    sensorCols.forEach((c, s) => (values[i * S + s] = number(r, c)));
  });
  return { file, units, sensors: sensorCols.map((c) => header[c]), values, unitOf, failure };
}
