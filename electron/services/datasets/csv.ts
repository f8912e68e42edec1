/**
 * @file CSV/TSV files to cells, streamed through `csv-parse` (the file is never read whole).
 * Rows with the wrong number of fields are skipped and reported by line; an unterminated quote
 * or a file that is not text stops the import with the line where it happened.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import { DatasetError, describeFormat, sniffFormat, type RawTable } from '../../../core/data';

export interface CsvOptions {
  /** Field separator (default: tab for .tsv, else comma). */
  delimiter?: string;
  /** Stop after this many data rows (previews). */
  limit?: number;
}

export interface CsvTable extends RawTable {
  /** Lines of rows skipped for a wrong field count. */
  skipped: number[];
}

export async function readHead(file: string, bytes = 4096): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export interface CsvPass {
  file: string;
  header: string[];
  /** Data rows passed to `onRow` (rows with a wrong field count excluded). */
  rows: number;
  /** Lines of rows skipped for a wrong field count. */
  skipped: number[];
}

/**
 * One pass over a CSV/TSV file, streamed: the header, then each row with the right number of
 * fields and its 1-based line (`onRow` returns false to stop early). Rows with the wrong number
 * of fields are skipped and listed; an unterminated quote or a file that is not text stops the
 * pass with the line where it happened; a file without data rows is an error.
 */
export async function streamCsv(file: string, options: CsvOptions, onRow: (cells: string[], line: number, header: readonly string[]) => boolean | void): Promise<CsvPass> {
  const format = sniffFormat(await readHead(file));
  if (format === 'empty') throw new DatasetError('E_DATA_EMPTY', `${file} is empty; a table needs a header line and at least one row.`, { file });
  if (format !== 'text') throw new DatasetError('E_DATA_WRONG_FORMAT', `${file} is named like a table but is ${describeFormat(format)}; choose a CSV or TSV text file.`, { file });
  const delimiter = options.delimiter ?? (extname(file).toLowerCase() === '.tsv' ? '\t' : ',');
  const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }));
  const pass: CsvPass = { file, header: [], rows: 0, skipped: [] };
  let lastLine = 0;
  const onRecord = ({ record, info }: { record: string[]; info: { lines: number } }): boolean => {
    lastLine = info.lines;
    if (pass.header.length === 0) {
      pass.header = record.map((h) => h.trim());
      return true;
    }
    if (record.length !== pass.header.length) {
      pass.skipped.push(info.lines);
      return true;
    }
    pass.rows++;
    return onRow(record, info.lines, pass.header) !== false && (options.limit === undefined || pass.rows < options.limit);
  };
  try {
    // Events rather than an async iterator: records parsed before an error must still be counted.
    await new Promise<void>((resolve, reject) => {
      parser.on('data', (item: { record: string[]; info: { lines: number } }) => {
        try {
          if (!onRecord(item)) {
            parser.destroy();
            resolve();
          }
        } catch (error) {
          parser.destroy();
          reject(error);
        }
      });
      parser.once('error', reject);
      parser.once('end', resolve);
    });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const e = error as { code?: string; lines?: number; message?: string };
    const line = e.lines;
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse reports the end of the file; the open quote is on the row after the last good one.
      const opened = lastLine + 1;
      throw new DatasetError('E_DATA_MALFORMED_ROW', `${file} line ${opened}: a quoted field opened on this row is never closed (a " is missing before the end of the file); close the quote or remove it.`, { file, line: opened });
    }
    throw new DatasetError('E_DATA_MALFORMED_ROW', `${file}${line ? ` line ${line}` : ''}: ${(e.message ?? String(error)).replace(/^CSV_\w+: /, '')}`, { file, line });
  } finally {
    parser.destroy();
  }
  if (pass.header.length === 0 || pass.rows === 0) {
    throw new DatasetError('E_DATA_EMPTY', `${file} has no data rows${pass.skipped.length ? ` (${pass.skipped.length} rows had the wrong number of fields)` : ''}; a table needs a header line and at least one row.`, { file });
  }
  return pass;
}

/** The whole table in memory (small files and previews). */
export async function readCsv(file: string, options: CsvOptions = {}): Promise<CsvTable> {
  const rows: string[][] = [];
  const lines: number[] = [];
  const pass = await streamCsv(file, options, (cells, line) => {
    rows.push(cells);
    lines.push(line);
  });
  return { file, header: pass.header, rows, lines, skipped: pass.skipped };
}
