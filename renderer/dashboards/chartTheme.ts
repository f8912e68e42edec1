/**
 * @file How every dashboard chart looks and reads: the dark theme's colours, axes with labels and
 * units, number formats, and a tooltip that follows the cursor with the value of each series.
 */
import type uPlot from 'uplot';

export const COLORS = {
  train: '#6aa6ff',
  validation: '#f59e0b',
  step: 'rgba(106, 166, 255, 0.45)',
  generator: '#a78bfa',
  discriminator: '#34d399',
  learningRate: '#f472b6',
  throughput: '#4ade80',
  gradient: '#fbbf24',
  axis: '#9097a3',
  grid: 'rgba(255, 255, 255, 0.06)',
  ticks: 'rgba(255, 255, 255, 0.12)',
} as const;

/** Colours of overlaid runs, in selection order. */
export const RUN_COLORS = ['#6aa6ff', '#f59e0b', '#4ade80', '#f472b6', '#a78bfa', '#22d3ee', '#f87171', '#facc15'] as const;
export const runColor = (index: number): string => RUN_COLORS[index % RUN_COLORS.length] as string;

/** Compact numbers for axes and tooltips: 3 significant digits, k/M for big ones, exponents for tiny ones. */
export function formatValue(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const a = Math.abs(value);
  let text: string;
  // thresholds at the rounding edge, so 999,600 reads 1.00M, not 1.00e+3k
  if (a !== 0 && (a < 1e-3 || a >= 999.5e6)) text = value.toExponential(2);
  else if (a >= 999.5e3) text = `${(value / 1e6).toPrecision(3)}M`;
  else if (a >= 1e4) text = `${(value / 1e3).toPrecision(3)}k`;
  else text = Number(value.toPrecision(4)).toString();
  return unit === '%' ? `${text}%` : unit ? `${text} ${unit}` : text;
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Tick steps for counted axes (steps, epochs): never a fraction. */
const INTEGER_INCREMENTS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 2.5e4, 5e4, 1e5, 2e5, 5e5, 1e6];

/** The x axis counts steps or epochs (whole-number ticks); a y axis is as wide as its longest tick. */
export function axis(label: string, unit: string | undefined, role: 'x' | 'y'): uPlot.Axis {
  return {
    ...(role === 'x' ? { incrs: INTEGER_INCREMENTS } : {}),
    label: unit ? `${label} (${unit})` : label,
    labelSize: 16,
    labelFont: '11px system-ui, sans-serif',
    font: '11px system-ui, sans-serif',
    stroke: COLORS.axis,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.ticks, width: 1, size: 4 },
    values: (_u, splits) => splits.map((v) => formatValue(v)),
    // x: the axis' height; y: its width, from the longest tick text (≈ 6.6 px a character at 11 px) plus the label.
    size: role === 'x' ? 52 : (_u, values) => Math.max(48, Math.ceil(Math.max(0, ...(values ?? []).map((v) => v.length)) * 6.6) + 30),
  };
}

/** A tooltip box beside the cursor listing x and each visible series' value there. */
export function tooltipPlugin(xLabel: string, units: readonly (string | undefined)[]): uPlot.Plugin {
  let box: HTMLDivElement | null = null;
  return {
    hooks: {
      init: (u) => {
        box = document.createElement('div');
        box.className = 'chart-tooltip';
        box.style.display = 'none';
        u.over.appendChild(box);
        u.over.addEventListener('mouseleave', () => {
          if (box) box.style.display = 'none';
        });
      },
      setCursor: (u) => {
        const { idx, left, top } = u.cursor;
        if (!box) return;
        if (idx === null || idx === undefined || left === undefined || left < 0) {
          box.style.display = 'none';
          return;
        }
        const rows = u.series
          .map((s, i) => ({ s, i, v: u.data[i]?.[idx] }))
          .filter(({ s, i, v }) => i > 0 && s.show !== false && v !== null && v !== undefined)
          .map(({ s, i, v }) => `<div><i style="background:${String(s.stroke && typeof s.stroke === 'function' ? s.stroke(u, i) : (s.stroke ?? ''))}"></i>${escapeHtml(String(s.label ?? ''))}: <b>${formatValue(v as number, units[i - 1])}</b></div>`);
        if (!rows.length) {
          box.style.display = 'none';
          return;
        }
        box.innerHTML = `<div class="chart-tooltip__x">${escapeHtml(xLabel)} ${formatValue(u.data[0]?.[idx] as number)}</div>${rows.join('')}`;
        box.style.display = 'block';
        const flip = left > u.over.clientWidth / 2;
        box.style.left = `${flip ? left - box.offsetWidth - 12 : left + 12}px`;
        box.style.top = `${Math.max(0, (top ?? 0) - 10)}px`;
      },
    },
  };
}

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
