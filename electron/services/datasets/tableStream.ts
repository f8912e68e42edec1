/**
 * @file A CSV/TSV table larger than memory: the two passes of `TableImporter` (scan, encode) each
 * stream the file through csv-parse (a third, rarely, completes the vocabulary of a category column
 * with very many values or whose first values looked like numbers), and the encoded samples go to a
 * sink (a chunk file behind a bounded cache, see spillSink.ts). Only per-column counters, the categorical vocabularies, one byte per kept row (in the
 * training split or not) and the lines of skipped rows are held in memory, never the rows.
 */
import { TableImporter, type SinkFactory, type TableImport, type TableOptions } from '../../../core/data';
import { streamCsv, type CsvOptions } from './csv';

export interface StreamedTable extends TableImport {
  header: string[];
  /** Lines of rows skipped for a wrong field count. */
  skipped: number[];
}

export async function streamTable(file: string, csv: CsvOptions, options: TableOptions, trainRows: (n: number) => ArrayLike<number>, sink: SinkFactory, name = file, vocabularyLimit?: number): Promise<StreamedTable> {
  let importer: TableImporter | undefined;
  const first = await streamCsv(file, csv, (cells, line, header) => {
    importer ??= new TableImporter(file, header, options, name, vocabularyLimit);
    importer.scan(cells, line);
  });
  const table = importer!;
  if (table.endScan().length) await streamCsv(file, csv, (cells) => table.countCategories(cells));
  const samples = sink(table.plan(trainRows));
  await streamCsv(file, csv, (cells) => table.encode(cells, samples));
  return { ...table.finish(samples), header: first.header, skipped: first.skipped };
}
