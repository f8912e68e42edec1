/**
 * @file `brrr data inspect` behind its argument checks: describe what importing the path would
 * give (kind, samples, fields, classes, columns, problems), as text or one JSON line; an import
 * error becomes one line with its stable code.
 */
import { DatasetError, type DatasetDescription } from '../../core/data';
import { inspectDataset } from '../services/datasets/inspect';
import type { InspectDataRequest } from './engine';
import { CliError } from './errors';
import type { CliIo } from './io';

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

export function formatDescription(d: DatasetDescription): string[] {
  const lines = [`${d.source}: ${d.kind}, ${d.samples} samples${d.testSamples ? ` (+ ${d.testSamples} held out for test)` : ''}`];
  const width = Math.max(...d.fields.map((f) => f.name.length));
  lines.push('fields:');
  for (const f of d.fields) lines.push(`  ${f.name.padEnd(width)}  ${shapeText(f.shape)} ${f.dtype}`);
  if (d.classes) {
    const shown = d.classes.slice(0, 20).map((c) => `${c.name} ${c.count}`);
    lines.push(`classes (${d.classes.length}): ${shown.join(', ')}${d.classes.length > 20 ? ', ...' : ''}`);
  }
  if (d.columns) {
    lines.push('columns:');
    for (const c of d.columns) {
      const stats =
        c.type === 'number' ? `min ${fmt(c.min)}, max ${fmt(c.max)}, mean ${fmt(c.mean)}, std ${fmt(c.std)}`
        : c.type === 'category' ? `${c.categories?.length ?? 0} values (${(c.categories ?? []).slice(0, 5).map((k) => `${k.name} ${k.count}`).join(', ')})`
        : 'ignored';
      lines.push(`  ${c.name}: ${c.type}${c.missing ? `, ${c.missing} missing` : ''}; ${stats}`);
    }
  }
  for (const note of d.notes) lines.push(`note: ${note}`);
  if (d.problems.length) {
    lines.push('problems:');
    for (const p of d.problems) lines.push(`  - ${p}`);
  }
  return lines;
}

const fmt = (v: number | undefined) => (v === undefined ? '?' : Number(v.toPrecision(4)).toString());

export async function runInspect(request: InspectDataRequest, io: CliIo): Promise<number> {
  let description: DatasetDescription;
  try {
    description = await inspectDataset(request.path);
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(error.message, { code: error.code, ...error.where });
    throw error;
  }
  if (request.json) io.json({ type: 'dataset', ...description });
  else for (const line of formatDescription(description)) io.out(line);
  return 0;
}
