/** @file How a run is named in lists and legends: its start time (from the listing, or read from its id) and its headline metrics. */
import { formatValue } from '../dashboards/chartTheme';
import { headlineMetrics, keyMetrics, type RunStatus, type RunView } from '../dashboards/runView';
import { metricLabel } from '../dashboards/seriesData';
import type { RunListing } from './runsClient';

/** `run-20261124-223000-ab12` → a Date, or null. */
function dateFromRunId(runId: string): Date | null {
  const m = /(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(runId);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  return Number.isNaN(date.getTime()) ? null : date;
}

export function runDate(runId: string, listing: RunListing | undefined): Date | null {
  const listed = listing?.startedAt ? new Date(listing.startedAt) : null;
  return listed && !Number.isNaN(listed.getTime()) ? listed : dateFromRunId(runId);
}

export function runDateText(runId: string, listing: RunListing | undefined): string {
  const date = runDate(runId, listing);
  return date ? date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }) : runId;
}

/** Up to `max` headline metrics as `name value` texts (loss and accuracy first). */
export function keyMetricTexts(run: RunView | undefined, listing: RunListing | undefined, max = 3): string[] {
  const metrics = run?.version ? keyMetrics(run) : headlineMetrics(listing?.metrics ?? {});
  const rank = (k: string) => (/loss/.test(k) ? 0 : /accuracy/.test(k) ? 1 : 2);
  return Object.keys(metrics)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, max)
    .map((k) => {
      const bare = k.replace(/^val /, '');
      const { unit, scale } = metricLabel(bare);
      return `${k} ${formatValue((metrics[k] as number) * scale, unit)}`;
    });
}

const STATUSES: readonly RunStatus[] = ['starting', 'running', 'paused', 'completed', 'stopped', 'failed'];

/** The status the services list for a run whose events are not read yet (an interrupted run counts as failed). */
export function listedStatus(status: string | undefined): RunStatus {
  if (status && (STATUSES as readonly string[]).includes(status)) return status as RunStatus;
  return status === 'interrupted' || status === 'crashed' ? 'failed' : 'stopped';
}
