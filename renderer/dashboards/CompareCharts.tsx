/**
 * @file Runs overlaid: the step loss and each per-epoch metric of every selected run on shared
 * axes, one colour per run (the same colour as its row in the history).
 */
import { memo } from 'react';
import { runColor } from './chartTheme';
import { epochMetricNames, type RunView } from './runView';
import { epochTable, metricLabel, overlayTable, scaleTable, stepTable } from './seriesData';
import { UPlotChart } from './UPlotChart';

export interface CompareChartsProps {
  runs: readonly RunView[];
  /** Changes when any compared run changes. */
  version: string;
  labelOf(run: RunView): string;
}

function CompareChartsView({ runs, version, labelOf }: CompareChartsProps) {
  const names = [...new Set(runs.flatMap((r) => epochMetricNames(r)))];
  const series = (points: boolean) => runs.map((r, i) => ({ label: labelOf(r), color: runColor(i), points }));
  const split = (run: RunView, name: string): [number[], (number | null)[]] => {
    const [epochs, train, validation] = epochTable(run, name);
    return validation?.some((v) => v !== null) ? [epochs, validation] : [epochs, train ?? []];
  };
  return (
    <div className="compare" data-testid="compare">
      <section className="panel panel--wide">
        <header className="panel__header">
          <h3 className="panel__title">Loss per step</h3>
          <span className="panel__hint">{runs.length} runs overlaid</span>
        </header>
        <div className="panel__body">
          <UPlotChart testId="compare-step-loss" xLabel="Step" yLabel="Loss" series={series(false)} data={() => overlayTable(runs, (r) => stepTable(r, ['loss']) as [number[], (number | null)[]])} version={version} height={220} />
        </div>
      </section>
      {names.map((name) => {
        const { label, unit, scale } = metricLabel(name);
        return (
          <section key={name} className="panel">
            <header className="panel__header">
              <h3 className="panel__title">{label} per epoch</h3>
              <span className="panel__hint">validation where the run has it, else train</span>
            </header>
            <div className="panel__body">
              <UPlotChart
                testId={`compare-${name}`}
                xLabel="Epoch"
                yLabel={label}
                yUnit={unit}
                series={series(true)}
                data={() => scaleTable(overlayTable(runs, (r) => split(r, name)), scale)}
                version={version}
                height={180}
              />
            </div>
          </section>
        );
      })}
    </div>
  );
}

export const CompareCharts = memo(CompareChartsView);
