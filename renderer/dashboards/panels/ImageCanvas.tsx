/**
 * @file A small image drawn from plain numbers: `values` laid out by `shape` ([h,w], [1,h,w],
 * [h,w,1], [3,h,w] or [h,w,3]); values in 0..1 are used as they are, anything else is stretched
 * from its min..max. Pixels are scaled up without smoothing so digits stay crisp.
 */
import { memo, useEffect, useRef } from 'react';

export interface ImageLayout {
  height: number;
  width: number;
  channels: 1 | 3;
  /** Channel-first ([c,h,w]) or channel-last. */
  channelFirst: boolean;
}

/** A window of a multichannel series: `steps` rows of `channels` values (channel-last). */
export interface SeriesLayout {
  steps: number;
  channels: number;
}

/**
 * Sensor windows ([steps, channels] with a few channels, ≥ 2× as many steps) are series, not
 * images; so is any one-dimensional input.
 */
export function seriesLayout(shape: readonly number[] | undefined, length: number): SeriesLayout | null {
  const big = (shape ?? [length]).filter((d) => typeof d === 'number' && d > 1);
  if (big.reduce((a, b) => a * b, 1) !== length) return null;
  if (big.length === 1) return { steps: big[0] as number, channels: 1 };
  if (big.length !== 2) return null;
  const [steps, channels] = big as [number, number];
  return channels <= 16 && steps >= 2 * channels ? { steps, channels } : null;
}

/** How `shape` lays out an image, or null when it is not one (then the input is drawn as a series). */
export function imageLayout(shape: readonly number[] | undefined, length: number): ImageLayout | null {
  if (!shape || seriesLayout(shape, length)) return null;
  const dims = shape.filter((d) => typeof d === 'number' && d > 0);
  const product = dims.reduce((a, b) => a * b, 1);
  if (product !== length) return null;
  const big = dims.filter((d) => d > 1);
  if (big.length === 2) return { height: big[0] as number, width: big[1] as number, channels: 1, channelFirst: false };
  if (big.length === 3 && dims.at(-1) === 3) return { height: big[0] as number, width: big[1] as number, channels: 3, channelFirst: false };
  if (big.length === 3 && big[0] === 3) return { height: big[1] as number, width: big[2] as number, channels: 3, channelFirst: true };
  return null;
}

/** RGBA bytes for the image (exported for tests). */
export function imagePixels(values: readonly number[], layout: ImageLayout): Uint8ClampedArray<ArrayBuffer> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const unit = lo >= 0 && hi <= 1;
  const scale = unit ? 1 : hi > lo ? 1 / (hi - lo) : 0;
  const offset = unit ? 0 : lo;
  const { height, width, channels, channelFirst } = layout;
  const rgba = new Uint8ClampedArray(height * width * 4);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++) {
      const channel = channels === 1 ? 0 : c;
      const index = channels === 1 ? p : channelFirst ? channel * height * width + p : p * 3 + channel;
      rgba[p * 4 + c] = Math.round(((values[index] ?? 0) - offset) * scale * 255);
    }
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

function ImageCanvasView({ values, layout, size = 56, title }: { values: readonly number[]; layout: ImageLayout; size?: number; title?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(imagePixels(values, layout), layout.width, layout.height), 0, 0);
  }, [values, layout]);
  return <canvas ref={canvas} className="pixel-image" width={layout.width} height={layout.height} style={{ width: size, height: (size * layout.height) / layout.width }} title={title} />;
}

export const ImageCanvas = memo(ImageCanvasView);

const CHANNEL_COLORS = ['#6aa6ff', '#4ade80', '#f472b6', '#a78bfa', '#22d3ee', '#facc15', '#f87171', '#fb923c'];

/** A multichannel window: one line per channel, each scaled to its own range. */
export function ChannelSparkline({ values, layout, width = 120, height = 48 }: { values: readonly number[]; layout: SeriesLayout; width?: number; height?: number }) {
  const { steps, channels } = layout;
  const x = (i: number) => (steps <= 1 ? 0 : (i / (steps - 1)) * (width - 4) + 2);
  const lines = Array.from({ length: channels }, (_, c) => {
    const ys = Array.from({ length: steps }, (_, i) => values[i * channels + c] ?? 0);
    const lo = Math.min(...ys);
    const span = Math.max(...ys) - lo || 1;
    return ys.map((v, i) => `${x(i).toFixed(1)},${(height - 2 - ((v - lo) / span) * (height - 4)).toFixed(1)}`).join(' ');
  });
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${channels}-channel window of ${steps} steps`}>
      {lines.map((points, c) => (
        <polyline key={c} points={points} fill="none" stroke={CHANNEL_COLORS[c % CHANNEL_COLORS.length]} strokeWidth="1" strokeOpacity="0.85" />
      ))}
    </svg>
  );
}

/** A one-dimensional input drawn as a line (a series with its forecast). */
export function Sparkline({ values, width = 120, height = 40, marker }: { values: readonly number[]; width?: number; height?: number; marker?: number }) {
  const lo = Math.min(...values, marker ?? Infinity);
  const hi = Math.max(...values, marker ?? -Infinity);
  const span = hi - lo || 1;
  const n = values.length + (marker === undefined ? 0 : 1);
  const x = (i: number) => (n <= 1 ? 0 : (i / (n - 1)) * (width - 4) + 2);
  const y = (v: number) => height - 2 - ((v - lo) / span) * (height - 4);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img">
      <polyline points={points} fill="none" stroke="#6aa6ff" strokeWidth="1.5" />
      {marker !== undefined && <circle cx={x(n - 1)} cy={y(marker)} r="3" fill="#f59e0b" />}
    </svg>
  );
}
