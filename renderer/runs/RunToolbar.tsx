/**
 * @file The run toolbar in the top bar: Design/Train switch, backend and epochs for the next run,
 * Train, Pause, Resume, Stop, and the state of the run the dashboard shows. Every button only
 * sends a request; the run itself lives in a worker on the services' side, so nothing here blocks.
 */
import { memo, useState } from 'react';
import { useStudioStore } from '../state/studioStore';
import { progress } from '../dashboards/runView';
import type { BackendChoice } from './runsClient';
import { useRuns } from './RunsProvider';
import { isLive, selectControlledRun, useRunsStore } from './runsStore';
import { StatusPill } from './StatusPill';

const BACKENDS: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'Auto (WebGPU if present)' },
  { value: 'cpu', label: 'CPU' },
  { value: 'webgpu', label: 'WebGPU' },
];

function RunToolbarView() {
  const runs = useRuns();
  const view = useRunsStore((s) => s.view);
  const setView = useRunsStore((s) => s.setView);
  const pending = useRunsStore((s) => s.pending);
  const run = useRunsStore(selectControlledRun);
  useRunsStore((s) => s.tick);
  const recipeEpochs = useStudioStore((s) => s.document?.project.training.epochs);
  const [backend, setBackend] = useState<BackendChoice>('auto');
  const [epochs, setEpochs] = useState('');
  const status = run?.status;
  const live = status !== undefined && isLive(status);
  const epochsValue = Number(epochs);
  const epochsValid = epochs === '' || (Number.isInteger(epochsValue) && epochsValue > 0);
  const done = run ? progress(run) : undefined;

  return (
    <div className="run-toolbar" data-testid="run-toolbar">
      <div className="segmented" role="tablist" aria-label="View">
        <button type="button" role="tab" aria-selected={view === 'design'} className={`segmented__item${view === 'design' ? ' is-active' : ''}`} onClick={() => setView('design')} data-testid="view-design">
          Design
        </button>
        <button type="button" role="tab" aria-selected={view === 'data'} className={`segmented__item${view === 'data' ? ' is-active' : ''}`} onClick={() => setView('data')} data-testid="view-data">
          Data
        </button>
        <button type="button" role="tab" aria-selected={view === 'train'} className={`segmented__item${view === 'train' ? ' is-active' : ''}`} onClick={() => setView('train')} data-testid="view-train">
          Train
        </button>
      </div>
      <span className="run-toolbar__sep" />
      <select className="run-field" value={backend} onChange={(e) => setBackend(e.target.value as BackendChoice)} aria-label="Backend" title="Where the run computes" data-testid="run-backend" disabled={!runs || live}>
        {BACKENDS.map((b) => (
          <option key={b.value} value={b.value}>
            {b.label}
          </option>
        ))}
      </select>
      <input
        className={`run-field run-field--epochs${epochsValid ? '' : ' is-invalid'}`}
        inputMode="numeric"
        placeholder={recipeEpochs ? `${recipeEpochs} epochs` : 'epochs'}
        value={epochs}
        onChange={(e) => setEpochs(e.target.value.trim())}
        aria-label="Epochs for this run (empty: the recipe's)"
        title="Epochs for this run (empty: the recipe's)"
        data-testid="run-epochs"
        disabled={!runs || live}
      />
      <button
        type="button"
        className="button button--primary button--small"
        disabled={!runs || live || !epochsValid || pending !== null}
        title={runs ? 'Train the saved project (unsaved edits are saved first)' : 'This studio cannot run training yet'}
        onClick={() => void runs?.actions.train({ backend, ...(epochs ? { epochs: epochsValue } : {}) })}
        data-testid="run-train"
      >
        ▶ Train
      </button>
      {status === 'paused' ? (
        <button type="button" className="button button--small" disabled={pending !== null} onClick={() => run && void runs?.actions.resume(run.runId)} data-testid="run-resume">
          Resume
        </button>
      ) : (
        <button type="button" className="button button--small" disabled={!live || pending !== null} onClick={() => run && void runs?.actions.pause(run.runId)} data-testid="run-pause">
          Pause
        </button>
      )}
      <button type="button" className="button button--small run-toolbar__stop" disabled={!live || pending !== null} onClick={() => run && void runs?.actions.stop(run.runId)} data-testid="run-stop">
        Stop
      </button>
      {run && (
        <span className="run-toolbar__state" title={run.runId}>
          <StatusPill status={run.status} />
          {live && done !== undefined && <span className="run-toolbar__progress">{(done * 100).toFixed(0)}%</span>}
        </span>
      )}
    </div>
  );
}

export const RunToolbar = memo(RunToolbarView);
