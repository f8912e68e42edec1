/**
 * @file The table panels: evaluations (validation or test metrics at a step), the confusion matrix
 * (rows true class, columns predicted, shaded by the share of the row), and k-fold results (one
 * row per fold, then mean ± standard deviation).
 */
import { Fragment } from 'react';
import { formatValue } from '../chartTheme';
import type { PanelProps } from '../panelTypes';
import { metricLabel } from '../seriesData';

const metricText = (name: string, value: number | undefined): string => {
  const { unit, scale } = metricLabel(name);
  return value === undefined ? '–' : formatValue(value * scale, unit);
};

const namesOf = (rows: readonly Record<string, number>[]): string[] => [...new Set(rows.flatMap((r) => Object.keys(r)))];

export function EvaluationPanel({ run }: PanelProps) {
  const names = namesOf(run.evaluations.map((e) => e.metrics));
  return (
    <table className="data-table" data-testid="evaluation-table">
      <thead>
        <tr>
          <th>Split</th>
          <th>Step</th>
          {names.map((n) => (
            <th key={n}>{metricLabel(n).label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {run.evaluations.map((e, i) => (
          <tr key={i}>
            <td>{e.split}</td>
            <td>{e.step}</td>
            {names.map((n) => (
              <td key={n}>{metricText(n, e.metrics[n])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ConfusionPanel({ run }: PanelProps) {
  const c = run.confusion;
  if (!c) return null;
  const rowTotals = c.matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  const correct = c.matrix.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  return (
    <div className="confusion" data-testid="confusion">
      <div className="panel-caption">
        {c.split} split, epoch {c.epoch} · {total} samples · {total ? ((correct / total) * 100).toFixed(1) : '–'}% on the diagonal
      </div>
      <div className="confusion__grid" style={{ gridTemplateColumns: `auto repeat(${c.classes.length}, minmax(22px, 1fr))` }}>
        <div className="confusion__corner">true ↓ / predicted →</div>
        {c.classes.map((name) => (
          <div key={name} className="confusion__head">
            {name}
          </div>
        ))}
        {c.matrix.map((row, i) => (
          <Fragment key={i}>
            <div className="confusion__head confusion__head--row">{c.classes[i]}</div>
            {row.map((count, j) => {
              const share = rowTotals[i] ? count / (rowTotals[i] as number) : 0;
              const hue = i === j ? '106, 166, 255' : '248, 113, 113';
              return (
                <div
                  key={j}
                  className="confusion__cell"
                  style={{ background: `rgba(${hue}, ${(0.08 + share * 0.85).toFixed(3)})` }}
                  title={`true ${c.classes[i]}, predicted ${c.classes[j]}: ${count} (${(share * 100).toFixed(1)}% of ${c.classes[i]})`}
                >
                  {count || ''}
                </div>
              );
            })}
          </Fragment>
        ))}
      </div>
    </div>
  );
}

export function KfoldPanel({ run }: PanelProps) {
  const folds = run.kfold.filter((k) => k.fold > 0).sort((a, b) => a.fold - b.fold);
  const summary = run.kfold.find((k) => k.fold === 0);
  const names = namesOf([...folds.map((f) => f.metrics), summary?.mean ?? {}]);
  const planned = run.kfold[0]?.folds ?? 0;
  return (
    <table className="data-table" data-testid="kfold-table">
      <thead>
        <tr>
          <th>Fold</th>
          {names.map((n) => (
            <th key={n}>{metricLabel(n).label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {folds.map((f) => (
          <tr key={f.fold}>
            <td>
              {f.fold} of {planned}
            </td>
            {names.map((n) => (
              <td key={n}>{metricText(n, f.metrics[n])}</td>
            ))}
          </tr>
        ))}
        {summary && (
          <tr className="data-table__summary">
            <td>Mean ± std</td>
            {names.map((n) => (
              <td key={n}>
                {metricText(n, summary.mean?.[n])} ± {metricText(n, summary.std?.[n])}
              </td>
            ))}
          </tr>
        )}
      </tbody>
    </table>
  );
}
