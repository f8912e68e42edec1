/**
 * @file A CSV/TSV table larger than memory: the three passes of `TableImporter` (scan, survey,
 * encode) each stream the file through csv-parse, and the encoded samples go to a sink (a chunk
 * file behind a bounded cache, see spill.ts). Only per-column counters, the categorical
 * vocabularies and the lines of skipped rows are held in memory, never the rows.
 */
import { TableImporter, type SinkFactory, type TableImport, type TableOptions } from '../../../core/data';
import { streamCsv, type CsvOptions } from './csv';

export interface StreamedTable extends TableImport {
  header: string[];
  /** Lines of rows skipped for a wrong field count. */
  skipped: number[];
}

export async function streamTable(file: string, csv: CsvOptions, options: TableOptions, trainRows: (n: number) => ArrayLike<number>, sink: SinkFactory, name = file): Promise<StreamedTable> {
  let importer: TableImporter | undefined;
  const first = await streamCsv(file, csv, (cells, line, header) => {
    importer ??= new TableImporter(file, header, options, name);
    importer.scan(cells, line);
  });
  const table = importer!;
  table.endScan();
  await streamCsv(file, csv, (cells, line) => table.survey(cells, line));
  const samples = sink(table.plan(trainRows));
  await streamCsv(file, csv, (cells, line) => table.encode(cells, line, samples));
  return { ...table.finish(samples.finish()), header: first.header, skipped: first.skipped };
}
