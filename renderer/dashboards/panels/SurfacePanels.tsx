/**
 * @file Panels for what small models show directly: a two-feature classifier's decision surface
 * (p(class 1) over the plane, the training points, and the line w·x + b = 0 for one linear unit),
 * and the text a language model generates at each epoch end next to the bigram baseline.
 */
import { useEffect, useRef } from 'react';
import { formatValue } from '../chartTheme';
import type { PanelProps } from '../panelTypes';
import type { EventOf } from '../runView';

const SIZE = 260;
const PAD = 34;

/** p → colour: class 0 blue, class 1 orange, mixed towards the panel background as p nears ½. */
function surfaceColor(p: number): [number, number, number] {
  const t = Math.max(0, Math.min(1, p));
  const towards = t < 0.5 ? [106, 166, 255] : [245, 158, 11];
  const base = [24, 27, 33];
  const k = Math.abs(t - 0.5) * 2 * 0.75;
  return [0, 1, 2].map((i) => Math.round((base[i] as number) * (1 - k) + (towards[i] as number) * k)) as [number, number, number];
}

/** RGBA of the grid, top row first (the event's row 0 is the bottom edge, y = yRange[0]). */
export function surfacePixels(event: EventOf<'decisionBoundary'>): Uint8ClampedArray<ArrayBuffer> {
  const n = event.size;
  const rgba = new Uint8ClampedArray(n * n * 4);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const [r, g, b] = surfaceColor(event.probabilities[row]?.[col] ?? 0.5);
      const at = ((n - 1 - row) * n + col) * 4;
      rgba[at] = r;
      rgba[at + 1] = g;
      rgba[at + 2] = b;
      rgba[at + 3] = 255;
    }
  }
  return rgba;
}

/** Where w·x + b = 0 crosses the plotted box (its two ends), or null when it misses it. */
export function boundaryLine(event: EventOf<'decisionBoundary'>): [[number, number], [number, number]] | null {
  if (!event.weights || event.bias === undefined) return null;
  const [a, b] = event.weights;
  const c = event.bias;
  const [x0, x1] = event.xRange;
  const [y0, y1] = event.yRange;
  const ends: [number, number][] = [];
  if (b !== 0) for (const x of [x0, x1]) ends.push([x, -(a * x + c) / b]);
  if (a !== 0) for (const y of [y0, y1]) ends.push([-(b * y + c) / a, y]);
  const eps = 1e-9 * Math.max(1, Math.abs(x1 - x0), Math.abs(y1 - y0));
  const inside = ends.filter(([x, y]) => x >= x0 - eps && x <= x1 + eps && y >= y0 - eps && y <= y1 + eps);
  return inside.length >= 2 ? [inside[0] as [number, number], inside[inside.length - 1] as [number, number]] : null;
}

export function DecisionBoundaryPanel({ run }: PanelProps) {
  const event = run.decisionBoundary;
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !event) return;
    ctx.putImageData(new ImageData(surfacePixels(event), event.size, event.size), 0, 0);
  }, [event]);
  if (!event) return null;
  const [x0, x1] = event.xRange;
  const [y0, y1] = event.yRange;
  const sx = (x: number) => PAD + ((x - x0) / (x1 - x0 || 1)) * SIZE;
  const sy = (y: number) => SIZE - ((y - y0) / (y1 - y0 || 1)) * SIZE;
  const line = boundaryLine(event);
  return (
    <>
      <div className="panel-caption">
        Epoch {event.epoch} · blue: class 0, orange: class 1, shade: confidence
        {event.weights && event.bias !== undefined ? ` · ${formatValue(event.weights[0])}·x₁ + ${formatValue(event.weights[1])}·x₂ + ${formatValue(event.bias)} = 0` : ''}
      </div>
      <div className="surface" style={{ width: SIZE + PAD, height: SIZE + PAD }} data-testid="decision-boundary">
        <canvas ref={canvas} width={event.size} height={event.size} className="surface__image" style={{ left: PAD, width: SIZE, height: SIZE }} />
        <svg width={SIZE + PAD} height={SIZE + PAD} className="surface__overlay" role="img" aria-label={`Decision boundary at epoch ${event.epoch}`}>
          {line && <line x1={sx(line[0][0])} y1={sy(line[0][1])} x2={sx(line[1][0])} y2={sy(line[1][1])} className="surface__line" data-testid="decision-line" />}
          {event.points.map((p, i) => (
            <circle key={i} cx={sx(p.x)} cy={sy(p.y)} r="3.2" className={`surface__point surface__point--${p.label ? 1 : 0}`} />
          ))}
          <text x={PAD} y={SIZE + 14} className="scatter__tick">
            {formatValue(x0)}
          </text>
          <text x={PAD + SIZE} y={SIZE + 14} className="scatter__tick" textAnchor="end">
            {formatValue(x1)}
          </text>
          <text x={PAD - 4} y={SIZE} className="scatter__tick" textAnchor="end">
            {formatValue(y0)}
          </text>
          <text x={PAD - 4} y={10} className="scatter__tick" textAnchor="end">
            {formatValue(y1)}
          </text>
          <text x={PAD + SIZE / 2} y={SIZE + 28} className="scatter__label" textAnchor="middle">
            x₁
          </text>
          <text x={10} y={SIZE / 2} className="scatter__label" textAnchor="middle">
            x₂
          </text>
        </svg>
      </div>
    </>
  );
}

export function GeneratedTextPanel({ run }: PanelProps) {
  const event = run.texts.at(-1);
  if (!event) return null;
  const validationLoss = run.epochs.find((e) => e.epoch === event.epoch)?.validation?.loss;
  return (
    <>
      <div className="panel-caption">
        Epoch {event.epoch} · temperature {formatValue(event.temperature)}
        {validationLoss !== undefined ? ` · validation loss ${formatValue(validationLoss)}` : ''}
        {event.baselineLoss !== undefined ? ` · bigram baseline ${formatValue(event.baselineLoss)}` : ''}
      </div>
      <ol className="text-samples" data-testid="generated-text">
        {event.samples.map((sample, i) => (
          <li key={i}>
            <span className="text-samples__prompt">{event.prompts[i] ?? ''}</span>
            {sample}
          </li>
        ))}
      </ol>
    </>
  );
}
