/**
 * @file How to read a batch of records from a file of fixed-size records in few reads: the rows in
 * file order, coalesced into runs of consecutive rows (bridging gaps of at most `maxGap` rows,
 * whose records are read and ignored: one longer read costs less than two short ones), and where
 * each batch position's record lands in the buffer the runs are read into, back to back.
 */

export interface ReadPlan {
  /** (first row, row count) pairs, in file order; run j lands right after run j-1 in the buffer. */
  runs: Int32Array;
  /** For each batch position, the record slot in the buffer holding its row. */
  slotOf: Int32Array;
  /** Records the buffer holds (the rows and the gaps bridged). */
  records: number;
}

/** Batch positions sorted by (row, position): key = row * n + position is exact in float64 for n < 2^21. */
const MAX_BATCH = 2 ** 21;

/**
 * The reads for `rows` (row numbers, any order, repeats allowed), or undefined when the buffer
 * would hold more than `maxRecords` records.
 */
export function planReads(rows: ArrayLike<number>, maxGap: number, maxRecords: number): ReadPlan | undefined {
  const n = rows.length;
  if (n === 0 || n > MAX_BATCH) return undefined;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = rows[i] * n + i;
  keys.sort();
  const slotOf = new Int32Array(n);
  const runs: number[] = [];
  let start = -1, end = -1, base = 0, records = 0;
  for (let j = 0; j < n; j++) {
    const position = keys[j] % n;
    const row = (keys[j] - position) / n;
    if (start >= 0 && row < end) {
      slotOf[position] = base + row - start; // a repeated row: its record is already planned
      continue;
    }
    if (start >= 0 && row - end <= maxGap) {
      records += row + 1 - end;
      end = row + 1;
    } else {
      if (start >= 0) runs.push(start, end - start);
      start = row;
      end = row + 1;
      base = records;
      records++;
    }
    if (records > maxRecords) return undefined;
    slotOf[position] = base + row - start;
  }
  runs.push(start, end - start);
  return { runs: Int32Array.from(runs), slotOf, records };
}
