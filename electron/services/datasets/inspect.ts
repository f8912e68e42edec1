/**
 * @file What importing a path would give, without a project: the kind guessed from the path,
 * the importer run with default options (seed 0), and its description. The command line's
 * `brrr data inspect` and the studio's dataset panel both call this.
 */
import { basename, dirname } from 'node:path';
import type { DatasetDescription, DatasetKind } from '../../../core/data';
import { readCsv } from './csv';
import { detectKind, loadDataset } from './load';

const UNIT_COLUMNS = ['unit', 'machine', 'unit_id', 'machine_id', 'engine', 'id'];
const FAILURE_COLUMNS = ['failure', 'failed', 'fail', 'event'];

export interface InspectOptions {
  kind?: DatasetKind;
  options?: Record<string, unknown>;
}

export async function inspectDataset(path: string, request: InspectOptions = {}): Promise<DatasetDescription> {
  const kind = request.kind ?? (await detectKind(path));
  const options = { ...(request.options ?? {}) };
  const notes: string[] = [];
  if (kind === 'timeseries' && (options.length === undefined || options.horizon === undefined)) {
    options.length ??= 30;
    options.horizon ??= 10;
    notes.push(`windows of ${String(options.length)} rows, failure horizon ${String(options.horizon)} (defaults: set length and horizon in the dataset's options)`);
  }
  const loaded = await loadDataset({ source: path, kind, options }, { projectDir: dirname(path), seed: 0, validationSplit: 0.1 });
  const description = loaded.description;
  description.source = basename(path) || path;
  description.notes.unshift(...notes);
  if (kind === 'csv') {
    const head = await readCsv(path, { limit: 1 });
    const lower = head.header.map((h) => h.toLowerCase());
    const unit = head.header[lower.findIndex((h) => UNIT_COLUMNS.includes(h))];
    const failure = head.header[lower.findIndex((h) => FAILURE_COLUMNS.includes(h))];
    if (unit && failure) description.notes.push(`looks like sensor time series (unit column "${unit}", failure column "${failure}"): import it as kind timeseries with options unit, failure, length and horizon`);
  }
  return description;
}
