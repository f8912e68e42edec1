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

export async function readCsv(file: string, options: CsvOptions = {}): Promise<CsvTable> {
  const format = sniffFormat(await readHead(file));
  if (format === 'empty') throw new DatasetError('E_DATA_EMPTY', `${file} is empty; a table needs a header line and at least one row.`, { file });
  if (format !== 'text') throw new DatasetError('E_DATA_WRONG_FORMAT', `${file} is named like a table but is ${describeFormat(format)}; choose a CSV or TSV text file.`, { file });
  const delimiter = options.delimiter ?? (extname(file).toLowerCase() === '.tsv' ? '\t' : ',');
  const parser = createReadStream(file).pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }));
  const table: CsvTable = { file, header: [], rows: [], lines: [], skipped: [] };
  let lastLine = 0;
  const onRecord = ({ record, info }: { record: string[]; info: { lines: number } }): boolean => {
    lastLine = info.lines;
    if (table.header.length === 0) {
      table.header = record.map((h) => h.trim());
      return true;
    }
    if (record.length !== table.header.length) {
      table.skipped.push(info.lines);
      return true;
    }
    table.rows.push(record);
    table.lines.push(info.lines);
    return options.limit === undefined || table.rows.length < options.limit;
  };
  try {
    // Events rather than an async iterator: records parsed before an error must still be counted.
    await new Promise<void>((resolve, reject) => {
      parser.on('data', (item: { record: string[]; info: { lines: number } }) => {
        if (!onRecord(item)) {
          parser.destroy();
          resolve();
        }
      });
      parser.once('error', reject);
      parser.once('end', resolve);
    });
  } catch (error) {
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
  if (table.header.length === 0 || table.rows.length === 0) {
    throw new DatasetError('E_DATA_EMPTY', `${file} has no data rows${table.skipped.length ? ` (${table.skipped.length} rows had the wrong number of fields)` : ''}; a table needs a header line and at least one row.`, { file });
  }
  return table;
}
