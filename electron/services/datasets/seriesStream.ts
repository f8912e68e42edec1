/**
 * @file Sensor series larger than memory: each CSV (one file, or one per unit) is streamed once;
 * every row's raw sensor values (float64) are appended to a staging file in file order, and only
 * its unit, time and failure flag stay in memory (13 bytes a row). The rows are then ordered by
 * unit and time (`seriesOrder`; already in order for sorted files) and read back by range through
 * that order, coalescing consecutive rows into one positioned read. `importSeriesWindows` makes
 * its statistics and normalized rows from these reads, exactly as it does from memory.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { DatasetError, firstFew, seriesOrder, SeriesRowParser, type SeriesColumns, type SeriesIndex, type SeriesValues } from '../../../core/data';
import { streamCsv, type CsvOptions } from './csv';
import { spillFile } from './spillSink';

/** A typed array that doubles when full. */
class Growable<T extends Int32Array | Float64Array | Uint8Array> {
  length = 0;
  constructor(public data: T) {}

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/** The staged values, read in series order; close() removes the staging file. */
export interface StagedValues extends SeriesValues {
  close(): void;
}

export interface StreamedSeries {
  index: SeriesIndex;
  values: StagedValues;
  /** Per file, a line on rows skipped for a wrong number of fields. */
  skipped: string[];
}

export async function streamSeries(files: readonly string[], csv: CsvOptions, columns: SeriesColumns, path: string, cacheDir: string): Promise<StreamedSeries> {
  const staging = spillFile(cacheDir, 'series');
  const fd = openSync(staging, 'w+');
  try {
    const unit = new Growable(new Int32Array(1024));
    const time = new Growable(new Float64Array(1024));
    const failure = new Growable(new Uint8Array(1024));
    const units: string[] = [];
    const skipped: string[] = [];
    let sensors: string[] | undefined;
    let first = '';
    let S = 0;
    let buffer = new Float64Array(0);
    let buffered = 0;
    let written = 0;
    const flush = () => {
      writeSync(fd, new Uint8Array(buffer.buffer, 0, buffered * S * 8), 0, buffered * S * 8, written * S * 8);
      written += buffered;
      buffered = 0;
    };
    for (const file of files) {
      let parser: SeriesRowParser | undefined;
      const local = new Map<string, number>();
      const base = units.length;
      let row = 0;
      const pass = await streamCsv(file, csv, (cells, line, header) => {
        if (!parser) {
          parser = new SeriesRowParser(file, header, columns);
          if (!sensors) {
            sensors = parser.sensors;
            first = file;
            S = sensors.length;
            buffer = new Float64Array(8192 * S);
          } else if (parser.sensors.join() !== sensors.join()) {
            throw new DatasetError('E_DATA_WRONG_FORMAT', `${file}: its sensor columns (${parser.sensors.join(', ')}) differ from ${first} (${sensors.join(', ')}); every unit's file needs the same columns.`, { file });
          }
        }
        const parsed = parser.parse(cells, line, row++, basename(file, extname(file)), buffer.subarray(buffered * S, (buffered + 1) * S));
        if (++buffered * S === buffer.length) flush();
        let u = local.get(parsed.unit);
        if (u === undefined) local.set(parsed.unit, (u = local.size));
        unit.push(base + u);
        time.push(parsed.time);
        failure.push(parsed.failure);
      });
      if (pass.skipped.length) skipped.push(`${file}: ${pass.skipped.length} rows skipped for a wrong number of fields (lines ${firstFew(pass.skipped)}).`);
      // As when files are merged in memory: a file's units keep their names unless several files each hold several.
      units.push(...[...local.keys()].map((u) => (files.length > 1 && local.size > 1 ? `${basename(file)}:${u}` : u)));
    }
    flush();
    const order = seriesOrder(unit.view(), time.view());
    const n = order.length;
    const unitOf = new Int32Array(n);
    const fails = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      unitOf[i] = unit.data[order[i]];
      fails[i] = failure.data[order[i]];
    }
    const rowBytes = S * 8;
    const values: StagedValues = {
      read(start, count, out) {
        for (let i = start, end = start + count; i < end; ) {
          let run = 1;
          while (i + run < end && order[i + run] === order[i] + run) run++;
          readSync(fd, new Uint8Array(out.buffer, out.byteOffset + (i - start) * rowBytes, run * rowBytes), 0, run * rowBytes, order[i] * rowBytes);
          i += run;
        }
      },
      close() {
        closeSync(fd);
        rmSync(staging, { force: true });
      },
    };
    return { index: { file: files.length === 1 ? files[0] : path, units, sensors: sensors!, unitOf, failure: fails }, values, skipped };
  } catch (error) {
    closeSync(fd);
    rmSync(staging, { force: true });
    throw error;
  }
}
