/**
 * @file The curve panels: loss (per step, with the epoch train and validation losses), the other
 * metrics per epoch (train against validation), both GAN losses, learning rate, throughput with
 * ETA, and gradient norm. Each reads the run model when the run's version changes.
 */
import { COLORS, formatDuration, formatValue } from '../chartTheme';
import type { PanelProps } from '../panelTypes';
import { epochMetricNames, progress, type RunView } from '../runView';
import { epochTable, lossTable, metricLabel, scaleTable, stepTable, type Table } from '../seriesData';
import { UPlotChart } from '../UPlotChart';

export function LossPanel({ run }: PanelProps) {
  const validation = hasValidation(run);
  return (
    <UPlotChart
      testId="chart-loss"
      xLabel="Step"
      yLabel="Loss"
      series={[
        { label: 'Train (step)', color: COLORS.step, width: 1 },
        { label: 'Train (epoch)', color: COLORS.train, points: true, width: 2 },
        ...(validation ? [{ label: 'Validation (epoch)', color: COLORS.validation, points: true, width: 2 }] : []),
      ]}
      data={() => (validation ? lossTable(run) : lossTable(run).slice(0, 3)) as Table}
      version={run.version}
      height={240}
    />
  );
}

/** Whether any epoch reported validation metrics (a run without a validation split has none to draw). */
const hasValidation = (run: RunView): boolean => run.epochs.some((e) => e.validation && Object.keys(e.validation).length > 0);

export function MetricsPanel({ run }: PanelProps) {
  const names = epochMetricNames(run).filter((n) => n !== 'loss');
  return (
    <div className="panel-grid">
      {names.map((name) => {
        const { label, unit, scale, hint } = metricLabel(name);
        // a metric only measured on one side (a GAN's D on generated images: train only) draws that side alone
        const sides = [
          { label: 'Train', color: COLORS.train, column: 1, shown: run.epochs.some((e) => e.train[name] !== undefined) },
          { label: 'Validation', color: COLORS.validation, column: 2, shown: run.epochs.some((e) => e.validation?.[name] !== undefined) },
        ].filter((side) => side.shown);
        return (
          <div key={name} className="panel-grid__cell">
            <div className="panel-grid__title" title={hint}>
              {label}
            </div>
            <UPlotChart
              testId={`chart-metric-${name}`}
              xLabel="Epoch"
              yLabel={label}
              yUnit={unit}
              series={sides.map((side) => ({ label: side.label, color: side.color, points: true, width: 2 }))}
              data={() => {
                const table = epochTable(run, name);
                return scaleTable([table[0], ...sides.map((side) => table[side.column])] as Table, scale);
              }}
              version={run.version}
              height={170}
            />
          </div>
        );
      })}
    </div>
  );
}

export function GanLossesPanel({ run }: PanelProps) {
  return (
    <UPlotChart
      testId="chart-gan"
      xLabel="Step"
      yLabel="Loss"
      series={[
        { label: 'Generator', color: COLORS.generator },
        { label: 'Discriminator', color: COLORS.discriminator },
      ]}
      data={() => stepTable(run, ['generatorLoss', 'discriminatorLoss'])}
      version={run.version}
    />
  );
}

export function LearningRatePanel({ run }: PanelProps) {
  return (
    <UPlotChart
      testId="chart-lr"
      xLabel="Step"
      yLabel="Learning rate"
      series={[{ label: 'Learning rate', color: COLORS.learningRate }]}
      data={() => stepTable(run, ['learningRate'])}
      version={run.version}
      height={160}
    />
  );
}

export function ThroughputPanel({ run }: PanelProps) {
  const last = run.lastStep;
  const done = progress(run);
  return (
    <>
      <div className="panel-figures">
        <Figure label="Throughput" value={formatValue(last?.samplesPerSecond, 'samples/s')} />
        <Figure label="ETA" value={run.status === 'running' ? formatDuration(last?.etaSeconds) : '–'} />
        <Figure label="Progress" value={done === undefined ? '–' : `${(done * 100).toFixed(1)}%`} />
      </div>
      <UPlotChart
        testId="chart-throughput"
        xLabel="Step"
        yLabel="Samples/s"
        series={[{ label: 'Samples per second', color: COLORS.throughput, unit: 'samples/s' }]}
        data={() => stepTable(run, ['samplesPerSecond'])}
        version={run.version}
        height={150}
      />
    </>
  );
}

export function GradientNormPanel({ run }: PanelProps) {
  return (
    <UPlotChart
      testId="chart-gradient"
      xLabel="Step"
      yLabel="Gradient norm (L2)"
      series={[{ label: 'Global gradient norm', color: COLORS.gradient }]}
      data={() => stepTable(run, ['gradientNorm'])}
      version={run.version}
      height={160}
    />
  );
}

export function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="figure">
      <div className="figure__label">{label}</div>
      <div className="figure__value">{value}</div>
    </div>
  );
}
