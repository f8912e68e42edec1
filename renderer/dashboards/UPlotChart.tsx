/**
 * @file One streaming chart: a uPlot created once per series layout, fed new columns whenever
 * `version` changes (the runs store bumps it at most ~10 times a second), resized with its box.
 * Axes carry labels and units, the legend names the series, the tooltip reads values under the cursor.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axis, tooltipPlugin } from './chartTheme';

export interface ChartSeries {
  label: string;
  color: string;
  unit?: string;
  /** Draw points at each value (sparse per-epoch series). */
  points?: boolean;
  width?: number;
  dash?: number[];
}

export interface UPlotChartProps {
  /** The x axis counts (steps, epochs): its ticks are whole numbers. */
  xLabel: string;
  xUnit?: string;
  yLabel: string;
  yUnit?: string;
  series: readonly ChartSeries[];
  /** The columns `[xs, ys...]`, read on every version change. */
  data: () => uPlot.AlignedData;
  version: number | string;
  height?: number;
  testId?: string;
}

type UPlotClass = typeof uPlot;
let loading: Promise<UPlotClass> | null = null;
/** uPlot is loaded on first use: it is only needed once a dashboard shows (and it reads matchMedia when loaded). */
const loadUPlot = (): Promise<UPlotClass> => (loading ??= import('uplot').then((m) => m.default));

function UPlotChartView({ xLabel, xUnit, yLabel, yUnit, series, data, version, height = 200, testId }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // Columns are rebuilt once per version, not per render.
  const columns = useMemo(() => data(), [version]);
  const latest = useRef(columns);
  latest.current = columns;
  const layout = JSON.stringify([xLabel, xUnit, yLabel, yUnit, series, height]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      scales: { x: { time: false } },
      axes: [axis(xLabel, xUnit, 'x'), axis(yLabel, yUnit, 'y')],
      legend: { live: false },
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      series: [
        { label: xLabel },
        ...series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            width: s.width ?? 1.5,
            spanGaps: true,
            ...(s.dash ? { dash: s.dash } : {}),
            points: s.points ? { show: true, size: 5, fill: s.color } : { show: false },
          }),
        ),
      ],
      plugins: [tooltipPlugin(xUnit ? `${xLabel} (${xUnit})` : xLabel, series.map((s) => s.unit ?? yUnit))],
    };
    let chart: uPlot | null = null;
    let gone = false;
    const resize = new ResizeObserver(() => chart?.setSize({ width: Math.max(200, el.clientWidth), height }));
    void loadUPlot().then((UPlot) => {
      if (gone) return;
      chart = new UPlot(options, latest.current, el);
      plot.current = chart;
      resize.observe(el);
    });
    return () => {
      gone = true;
      resize.disconnect();
      chart?.destroy();
      plot.current = null;
    };
    // The layout string stands for every option above.
  }, [layout]);

  useEffect(() => {
    plot.current?.setData(columns);
  }, [columns]);

  return <div className="chart" ref={box} data-testid={testId} data-points={countPoints(columns)} />;
}

/** Non-null y values across the series: what the e2e test watches grow. */
function countPoints(columns: uPlot.AlignedData): number {
  let n = 0;
  for (let i = 1; i < columns.length; i++) for (const v of columns[i] ?? []) if (v !== null && v !== undefined) n++;
  return n;
}

export const UPlotChart = memo(UPlotChartView);
