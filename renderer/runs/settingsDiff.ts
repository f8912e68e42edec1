/**
 * @file What differs between runs: their settings flattened to dotted keys (`optimizer.learningRate`),
 * from the services' listing when it has them, else from the run's start event; plus the project
 * version each trained. Only the keys whose values are not all equal are returned.
 */
import { stepColumn, type RunView } from '../dashboards/runView';
import type { RunListing } from './runsClient';

export type Settings = Record<string, string>;

function flatten(value: unknown, prefix: string, out: Settings): void {
  if (value === undefined) return;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** A run's settings as flat key → text. */
export function runSettings(run: RunView | undefined, listing: RunListing | undefined): Settings {
  const out: Settings = {};
  const start = run?.start;
  if (start) {
    flatten({ recipe: start.recipe, epochs: start.epochs, batchSize: start.batchSize, seed: start.seed, backend: `${start.backend.kind} (${start.backend.detail})`, parameters: start.parameters, trainSamples: start.trainSamples }, '', out);
  }
  // The optimizer's rate as the first logged step ran it (the listing does not carry the optimizer).
  const firstRate = run?.steps.first(stepColumn('learningRate'));
  if (firstRate !== undefined) out['learningRate (first logged step)'] = String(Number(firstRate.toPrecision(4)));
  if (listing) {
    const { recipe, backend, epochs, seed, kfold } = listing;
    flatten({ recipe, backend, epochs, seed, kfold }, '', out);
  }
  if (listing?.settings) flatten(listing.settings, '', out);
  if (listing?.projectVersion) out.projectVersion = listing.projectVersion;
  return out;
}

export interface SettingsDiffRow {
  key: string;
  /** One value per run, in the runs' order (`–` where a run lacks the key). */
  values: string[];
}

export function settingsDiff(settings: readonly Settings[]): SettingsDiffRow[] {
  const keys = [...new Set(settings.flatMap((s) => Object.keys(s)))].sort();
  return keys
    .map((key) => ({ key, values: settings.map((s) => s[key] ?? '–') }))
    .filter((row) => new Set(row.values).size > 1);
}
