/**
 * @file The example panels: sample predictions (image or series, predicted next to true),
 * predicted-against-true for regression, the GAN's generated samples per epoch, and per-layer
 * weight histograms.
 */
import { useState } from 'react';
import { formatValue } from '../chartTheme';
import type { PanelProps } from '../panelTypes';
import { ChannelSparkline, ImageCanvas, imageLayout, seriesLayout, Sparkline, type SeriesLayout } from './ImageCanvas';

export function PredictionsPanel({ run }: PanelProps) {
  const p = run.classification;
  if (!p) return null;
  const classes = run.confusion?.classes;
  const name = (c: number): string => classes?.[c] ?? String(c);
  const right = p.items.filter((i) => i.predicted === i.actual).length;
  return (
    <>
      <div className="panel-caption">
        {p.split} split, epoch {p.epoch} · {right} of {p.items.length} right
      </div>
      <div className="prediction-grid" data-testid="predictions">
        {p.items.map((item, i) => {
          const layout = item.input ? imageLayout(item.inputShape, item.input.length) : null;
          const series = item.input && !layout ? seriesLayout(item.inputShape, item.input.length) : null;
          const ok = item.predicted === item.actual;
          return (
            <figure key={i} className={`prediction${ok ? '' : ' is-wrong'}`}>
              {item.input && layout ? (
                <ImageCanvas values={item.input} layout={layout} />
              ) : item.input && series ? (
                <ChannelSparkline values={item.input} layout={series} width={96} />
              ) : item.input ? (
                <Sparkline values={item.input} width={84} />
              ) : null}
              <figcaption>
                <span title="predicted">{name(item.predicted)}</span>
                <span className="prediction__true" title="true label">
                  {ok ? '✓' : `≠ ${name(item.actual)}`}
                </span>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </>
  );
}

const SCATTER = { width: 320, height: 240, pad: 38 };

export function RegressionPanel({ run }: PanelProps) {
  const p = run.regression;
  if (!p) return null;
  const values = p.items.flatMap((i) => [i.predicted, i.actual]).filter(Number.isFinite);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  const { width, height, pad } = SCATTER;
  const sx = (v: number) => pad + ((v - lo) / span) * (width - pad - 8);
  const sy = (v: number) => height - pad + 8 - ((v - lo) / span) * (height - pad);
  const ticks = [lo, lo + span / 2, hi];
  const withSeries = p.items.filter((i) => i.input && i.input.length > 1 && seriesLayout(i.inputShape, i.input.length)).slice(0, 6);
  return (
    <div className="regression">
      <svg className="scatter" width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-testid="regression-scatter" role="img" aria-label="Predicted against true values">
        <line x1={sx(lo)} y1={sy(lo)} x2={sx(hi)} y2={sy(hi)} className="scatter__diagonal" />
        {ticks.map((t) => (
          <g key={t}>
            <text x={sx(t)} y={height - pad + 22} className="scatter__tick" textAnchor="middle">
              {formatValue(t)}
            </text>
            <text x={pad - 6} y={sy(t) + 3} className="scatter__tick" textAnchor="end">
              {formatValue(t)}
            </text>
          </g>
        ))}
        {p.items.map((item, i) => (
          <circle key={i} cx={sx(item.actual)} cy={sy(item.predicted)} r="3" className="scatter__point">
            <title>
              true {formatValue(item.actual)}, predicted {formatValue(item.predicted)}
            </title>
          </circle>
        ))}
        <text x={(width + pad) / 2} y={height - 2} className="scatter__label" textAnchor="middle">
          True value
        </text>
        <text x={10} y={(height - pad) / 2} className="scatter__label" textAnchor="middle" transform={`rotate(-90 10 ${(height - pad) / 2})`}>
          Predicted
        </text>
      </svg>
      {withSeries.length > 0 && (
        <div className="forecasts">
          {withSeries.map((item, i) => (
            <figure key={i} className="forecast">
              {seriesLayout(item.inputShape, (item.input as number[]).length)?.channels === 1 ? (
                <Sparkline values={item.input as number[]} marker={item.predicted} />
              ) : (
                <ChannelSparkline values={item.input as number[]} layout={seriesLayout(item.inputShape, (item.input as number[]).length) as SeriesLayout} />
              )}
              <figcaption>
                forecast {formatValue(item.predicted)} · true {formatValue(item.actual)}
              </figcaption>
            </figure>
          ))}
        </div>
      )}
    </div>
  );
}

export function SamplesPanel({ run }: PanelProps) {
  const [picked, setPicked] = useState<number | null>(null);
  const grids = run.samples;
  const grid = grids.find((g) => g.epoch === picked) ?? grids.at(-1);
  if (!grid) return null;
  const layout = imageLayout(grid.shape, grid.images[0]?.length ?? 0);
  return (
    <>
      <div className="panel-caption">
        Epoch{' '}
        <select value={grid.epoch} onChange={(e) => setPicked(Number(e.target.value))} data-testid="samples-epoch">
          {grids.map((g) => (
            <option key={g.epoch} value={g.epoch}>
              {g.epoch}
            </option>
          ))}
        </select>{' '}
        · {grid.images.length} generated samples
      </div>
      <div className="sample-grid" data-testid="samples">
        {layout ? grid.images.map((image, i) => <ImageCanvas key={i} values={image} layout={layout} size={48} />) : <p className="muted">Samples of shape [{grid.shape.join(', ')}] are not images.</p>}
      </div>
    </>
  );
}

export function HistogramsPanel({ run }: PanelProps) {
  const h = run.histograms;
  if (!h) return null;
  return (
    <>
      <div className="panel-caption">Weights at the end of epoch {h.epoch}</div>
      <div className="histograms" data-testid="histograms">
        {h.layers.map((layer) => (
          <Histogram key={layer.name} {...layer} kind="weight" />
        ))}
      </div>
      {h.activations && h.activations.length > 0 && (
        <>
          <div className="panel-caption">Layer outputs on one validation batch</div>
          <div className="histograms" data-testid="activation-histograms">
            {h.activations.map((layer) => (
              <Histogram key={layer.name} {...layer} kind="activation" />
            ))}
          </div>
        </>
      )}
    </>
  );
}

function Histogram({ name, min, max, bins, kind }: { name: string; min: number; max: number; bins: number[]; kind: 'weight' | 'activation' }) {
  const top = Math.max(1, ...bins);
  const width = 180;
  const height = 54;
  const w = width / Math.max(1, bins.length);
  return (
    <figure className="histogram">
      <figcaption title={name}>{name}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${name} ${kind} histogram`}>
        {bins.map((count, i) => {
          const barHeight = (count / top) * (height - 2);
          const from = min + ((max - min) * i) / bins.length;
          return (
            <rect key={i} x={i * w} y={height - barHeight} width={Math.max(1, w - 1)} height={barHeight} className="histogram__bar">
              <title>
                {formatValue(from)} … {formatValue(from + (max - min) / bins.length)}: {count}
              </title>
            </rect>
          );
        })}
      </svg>
      <div className="histogram__range">
        <span>{formatValue(min)}</span>
        <span>{formatValue(max)}</span>
      </div>
    </figure>
  );
}
