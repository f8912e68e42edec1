/** @file A layer's parameters in a few short lines for its node card: `units 128`, `shape 28×28×1`, `bias on`. */

export interface ParamLine {
  name: string;
  value: string;
}

const MAX_TEXT = 18;

export function summarizeParams(params: Record<string, unknown>, maxLines = 3): { lines: ParamLine[]; hidden: number } {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined);
  const lines = entries.slice(0, maxLines).map(([name, value]) => ({ name, value: formatValue(value) }));
  return { lines, hidden: Math.max(0, entries.length - lines.length) };
}

export function formatValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return clip(value);
  if (value === null) return '—';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number')) return clip(value.map(formatNumber).join('×'));
    return `[${value.length}]`;
  }
  return '{…}';
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? n.toExponential(1) : String(Number(n.toPrecision(4)));
}

const clip = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);
