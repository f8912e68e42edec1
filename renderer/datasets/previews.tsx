/**
 * @file Sample previews by what the fields hold: an image grid with labels (`image` [C, H, W]), a
 * sensor plot per window (`window` [T, S], SVG), decoded text (`tokens`), or a table (anything else).
 */
import { memo, useEffect, useRef } from 'react';
import type { DatasetDescriptionMessage } from '../../core/contract/studio';
import { chwToRgba, detokenize } from './pixels';

export interface PreviewPage {
  count: number;
  fields: Record<string, number[]>;
}

interface PreviewProps {
  description: DatasetDescriptionMessage;
  page: PreviewPage;
  classNames?: readonly string[];
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function labelOf(page: PreviewPage, i: number, classNames?: readonly string[]): string | undefined {
  const label = page.fields.label?.[i];
  if (label !== undefined) return classNames?.[label] ?? String(label);
  const target = page.fields.target?.[i] ?? page.fields.rul?.[i];
  return target === undefined ? undefined : String(Number(target.toPrecision(4)));
}

const ImageTile = memo(function ImageTile({ values, shape, label }: { values: number[]; shape: readonly number[]; label?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [channels, height, width] = shape;
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(chwToRgba(values, channels, height, width), width, height), 0, 0);
  }, [values, channels, height, width]);
  return (
    <figure className="dataset-tile">
      <canvas ref={canvas} width={width} height={height} style={{ width: 56, height: 56, imageRendering: 'pixelated' }} />
      {label !== undefined && <figcaption>{label}</figcaption>}
    </figure>
  );
});

function SeriesPlot({ values, steps, sensors, label }: { values: number[]; steps: number; sensors: number; label?: string }) {
  let min = Infinity, max = -Infinity;
  for (const v of values) { min = Math.min(min, v); max = Math.max(max, v); }
  const span = max - min || 1;
  const lines = Array.from({ length: sensors }, (_, s) =>
    Array.from({ length: steps }, (_, t) => `${((t / Math.max(1, steps - 1)) * 200).toFixed(1)},${(60 - ((values[t * sensors + s] - min) / span) * 60).toFixed(1)}`).join(' '),
  );
  return (
    <figure className="dataset-series">
      <svg viewBox="0 0 200 60" width={200} height={60} role="img" aria-label={`${sensors} sensors over ${steps} steps`}>
        {lines.map((points, s) => <polyline key={s} points={points} fill="none" stroke={`hsl(${(s * 67) % 360} 70% 45%)`} strokeWidth={1} />)}
      </svg>
      {label !== undefined && <figcaption>{label}</figcaption>}
    </figure>
  );
}

export function SamplePreview({ description, page, classNames }: PreviewProps) {
  const field = (name: string) => description.fields.find((f) => f.name === name);
  const image = field('image');
  const window = field('window');
  const tokens = field('tokens');
  const samples = Array.from({ length: page.count }, (_, i) => i);
  if (image && image.shape.length === 3 && page.fields.image) {
    const n = sizeOf(image.shape);
    return (
      <div className="dataset-grid" data-testid="image-grid">
        {samples.map((i) => <ImageTile key={i} values={page.fields.image.slice(i * n, (i + 1) * n)} shape={image.shape} label={labelOf(page, i, classNames)} />)}
      </div>
    );
  }
  if (window && window.shape.length === 2 && page.fields.window) {
    const [steps, sensors] = window.shape;
    const n = steps * sensors;
    return (
      <div className="dataset-grid" data-testid="series-plots">
        {samples.slice(0, 12).map((i) => <SeriesPlot key={i} values={page.fields.window.slice(i * n, (i + 1) * n)} steps={steps} sensors={sensors} label={labelOf(page, i, classNames)} />)}
      </div>
    );
  }
  if (tokens && page.fields.tokens && classNames) {
    const n = sizeOf(tokens.shape);
    return (
      <ol className="dataset-text" data-testid="text-windows">
        {samples.slice(0, 8).map((i) => <li key={i}><code>{detokenize(page.fields.tokens.slice(i * n, (i + 1) * n), classNames)}</code></li>)}
      </ol>
    );
  }
  const columns = description.fields.filter((f) => page.fields[f.name]);
  return (
    <table className="dataset-table" data-testid="sample-table">
      <thead>
        <tr><th>#</th>{columns.map((f) => <th key={f.name}>{f.name}</th>)}</tr>
      </thead>
      <tbody>
        {samples.map((i) => (
          <tr key={i}>
            <td>{i}</td>
            {columns.map((f) => {
              const n = sizeOf(f.shape);
              const values = page.fields[f.name].slice(i * n, (i + 1) * n);
              const text = f.name === 'label' && classNames ? (classNames[values[0]] ?? String(values[0])) : values.slice(0, 8).map((v) => Number(v.toPrecision(4))).join(', ') + (n > 8 ? ', ...' : '');
              return <td key={f.name}>{text}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
