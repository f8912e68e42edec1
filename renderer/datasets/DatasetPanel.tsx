/**
 * @file The dataset panel: what the project's dataset holds (fields, class balance, column
 * statistics, problems), a preview of its samples, the train/validation/test split with its seed,
 * and whether the network's Input and loss nodes read fields the dataset gives, with shapes checked.
 * Self-contained: it talks to the services only through the two dataset messages it is given.
 */
import { useEffect, useMemo, useState } from 'react';
import type { DatasetDescriptionMessage, StudioApi } from '../../core/contract/studio';
import type { DatasetRef, Network } from '../../core/project';
import { bindingsOf, checkBindings } from './bindings';
import { SamplePreview, type PreviewPage } from './previews';

export type DatasetApi = Pick<StudioApi, 'describeDataset' | 'previewDataset'>;

export interface SplitSettings {
  seed: number;
  /** Fraction of the training samples the recipe holds out for validation. */
  validationSplit: number;
  /** k-fold cross-validation: K runs, each validating on one fold of the training samples (the validation fraction is then not used); undefined: one run. */
  kfold?: number;
}

/** The fold counts offered; the project file takes any K ≥ 2. */
const FOLD_CHOICES = [3, 5, 10];

function withKfold(split: SplitSettings, kfold: number | undefined): SplitSettings {
  const { kfold: _, ...rest } = split;
  return kfold === undefined ? rest : { ...rest, kfold };
}

export interface DatasetPanelProps {
  api: DatasetApi;
  /** The project folder (relative sources resolve there). */
  projectPath: string;
  dataset: DatasetRef;
  split: SplitSettings;
  /** The network whose Input and loss nodes read the dataset. */
  network?: Network;
  onDatasetChange?: (dataset: DatasetRef) => void;
  onSplitChange?: (split: SplitSettings) => void;
  /** Why k-fold cannot be chosen for this project (a GAN has no validation metric to compare across folds); undefined: it can. */
  kfoldUnavailable?: string;
  /** Samples per preview page. */
  pageSize?: number;
}

/** One line for a failed request: the message only, never a stack. */
const oneLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

export function DatasetPanel({ api, projectPath, dataset, split, network, onDatasetChange, onSplitChange, kfoldUnavailable, pageSize = 16 }: DatasetPanelProps) {
  const kfold = kfoldUnavailable === undefined ? split.kfold : undefined;
  const [description, setDescription] = useState<DatasetDescriptionMessage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState<PreviewPage | null>(null);
  const [start, setStart] = useState(0);
  const [which, setWhich] = useState<'train' | 'test'>('train');
  const request = useMemo(() => ({ path: projectPath, dataset: { source: dataset.source, kind: dataset.kind, options: dataset.options }, seed: split.seed, validationSplit: split.validationSplit }), [projectPath, dataset, split.seed, split.validationSplit]);

  useEffect(() => {
    let live = true;
    setError(null);
    api.describeDataset(request).then(
      (reply) => live && setDescription(reply.description),
      (e: unknown) => { if (live) { setDescription(null); setError(oneLine(e)); } },
    );
    return () => { live = false; };
  }, [api, request]);

  useEffect(() => {
    if (!description) return;
    let live = true;
    api.previewDataset({ ...request, split: which, start, count: pageSize }).then(
      (reply) => live && setPage(reply),
      (e: unknown) => live && setError(oneLine(e)),
    );
    return () => { live = false; };
  }, [api, request, description, which, start, pageSize]);

  const checks = useMemo(() => (network && description ? checkBindings(bindingsOf(network), description) : []), [network, description]);
  const testFraction = typeof dataset.options.testFraction === 'number' ? dataset.options.testFraction : undefined;
  const classNames = description?.classes?.map((c) => c.name) ?? description?.vocabulary;
  const total = description?.samples ?? 0;
  const validation = Math.round(total * split.validationSplit);
  const maxCount = Math.max(1, ...(description?.classes ?? []).map((c) => c.count));
  const columnTypes = (typeof dataset.options.types === 'object' && dataset.options.types !== null ? dataset.options.types : {}) as Record<string, string>;
  const targetColumn = typeof dataset.options.target === 'string' ? dataset.options.target : description?.columns?.[description.columns.length - 1]?.name;

  return (
    <section className="dataset-panel" aria-label="Dataset">
      <header>
        <h2>{dataset.id}</h2>
        <p>{dataset.source} <span className="dataset-kind">{dataset.kind}</span></p>
      </header>
      {error && <p role="alert" className="dataset-error">{error}</p>}

      <fieldset className="dataset-split">
        <legend>Split</legend>
        <label title={kfold ? 'k-fold validates on each fold in turn instead' : undefined}>Validation % <input type="number" min={0} max={90} disabled={kfold !== undefined} value={Math.round(split.validationSplit * 100)} onChange={(e) => onSplitChange?.({ ...split, validationSplit: Math.min(0.9, Math.max(0, Number(e.target.value) / 100)) })} /></label>
        {dataset.kind !== 'builtin' && (
          <label>Test % <input type="number" min={0} max={90} value={Math.round((testFraction ?? (dataset.kind === 'text' ? 0.1 : 0.2)) * 100)} onChange={(e) => onDatasetChange?.({ ...dataset, options: { ...dataset.options, testFraction: Math.min(0.9, Math.max(0, Number(e.target.value) / 100)) } })} /></label>
        )}
        <label>Seed <input type="number" min={0} value={split.seed} onChange={(e) => onSplitChange?.({ ...split, seed: Math.max(0, Math.floor(Number(e.target.value))) })} /></label>
        <label title={kfoldUnavailable ?? 'Train K models from fresh weights, each validating on a different fold; the dashboard shows each fold and mean ± standard deviation.'}>
          Cross-validation{' '}
          <select value={kfold ?? ''} disabled={kfoldUnavailable !== undefined} onChange={(e) => onSplitChange?.(withKfold(split, e.target.value === '' ? undefined : Number(e.target.value)))} data-testid="split-kfold">
            <option value="">off</option>
            {[...new Set([...FOLD_CHOICES, ...(kfold ? [kfold] : [])])].sort((a, b) => a - b).map((k) => <option key={k} value={k}>{k} folds</option>)}
          </select>
        </label>
        {description && (
          <output data-testid="split-counts">
            {kfold ? `${kfold} folds of about ${Math.round(total / kfold)} · each run trains on the others · test ${description.testSamples}` : `train ${total - validation} · validation ${validation} · test ${description.testSamples}`}
          </output>
        )}
      </fieldset>

      {checks.length > 0 && (
        <ul className="dataset-bindings" aria-label="Network bindings">
          {checks.map((c) => <li key={`${c.binding.nodeId}:${c.binding.field}`} role={c.ok ? undefined : 'alert'} className={c.ok ? 'ok' : 'mismatch'}>{c.message}</li>)}
        </ul>
      )}

      {description && (
        <>
          <table className="dataset-fields" aria-label="Fields">
            <thead><tr><th>field</th><th>shape</th><th>dtype</th></tr></thead>
            <tbody>{description.fields.map((f) => <tr key={f.name}><td>{f.name}</td><td>[{f.shape.join(', ')}]</td><td>{f.dtype}</td></tr>)}</tbody>
          </table>
          {description.classes && (
            <ul className="dataset-balance" aria-label="Class balance">
              {description.classes.map((c) => (
                <li key={c.name}><span>{c.name}</span><span className="bar" style={{ width: `${(100 * c.count) / maxCount}%` }} /><span>{c.count}</span></li>
              ))}
            </ul>
          )}
          {description.columns && (
            <table className="dataset-columns" aria-label="Columns">
              <thead><tr><th>column</th><th>type</th><th>missing</th><th>min</th><th>max</th><th>mean</th><th>std</th></tr></thead>
              <tbody>
                {description.columns.map((c) => (
                  <tr key={c.name}>
                    <td>
                      <label><input type="radio" name="dataset-target" aria-label={`Target ${c.name}`} checked={c.name === targetColumn} onChange={() => onDatasetChange?.({ ...dataset, options: { ...dataset.options, target: c.name } })} /> {c.name}</label>
                    </td>
                    <td>
                      <select aria-label={`Type of ${c.name}`} value={c.type} onChange={(e) => onDatasetChange?.({ ...dataset, options: { ...dataset.options, types: { ...columnTypes, [c.name]: e.target.value } } })}>
                        <option value="number">number</option>
                        <option value="category">{`category${c.categories ? ` (${c.categories.length})` : ''}`}</option>
                        <option value="ignore">ignore</option>
                      </select>
                    </td>
                    <td>{c.missing}</td>
                    {[c.min, c.max, c.mean, c.std].map((v, i) => <td key={i}>{v === undefined ? '' : Number(v.toPrecision(4))}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {description.notes.map((n) => <p key={n} className="dataset-note">{n}</p>)}
          {description.problems.length > 0 && (
            <ul className="dataset-problems" aria-label="Problems">{description.problems.map((p) => <li key={p}>{p}</li>)}</ul>
          )}
          <nav className="dataset-pages">
            <select aria-label="Split to preview" value={which} onChange={(e) => { setWhich(e.target.value as 'train' | 'test'); setStart(0); }}>
              <option value="train">train</option>
              {description.testSamples > 0 && <option value="test">test</option>}
            </select>
            <button type="button" disabled={start === 0} onClick={() => setStart(Math.max(0, start - pageSize))}>Previous</button>
            <button type="button" disabled={start + pageSize >= (which === 'test' ? description.testSamples : total)} onClick={() => setStart(start + pageSize)}>Next</button>
          </nav>
          {page && <SamplePreview description={description} page={page} classNames={classNames} />}
        </>
      )}
    </section>
  );
}
