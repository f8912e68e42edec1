/**
 * @file The Export dialog: pick a run and checkpoint (or the fresh weights when nothing is trained
 * yet) and a format; the services write it into `<project>/exports/` and, on the desktop, show it
 * in the file manager. Self-contained: it talks to the studio through the two messages it needs.
 */
import { memo, useEffect, useState, type FormEvent } from 'react';
import type { ResponseOf, StudioApi } from '../../core/contract/studio';
import { describeError } from '../app/describeError';

export type ExportFormat = 'safetensors' | 'onnx' | 'pytorch';
type Checkpoint = 'best' | 'last';
type RunSummary = ResponseOf<'listRuns'>[number];
type ExportResult = ResponseOf<'exportProject'>;

export const FORMATS: readonly { value: ExportFormat; label: string; detail: string }[] = [
  { value: 'safetensors', label: 'Weights (safetensors)', detail: 'The trained tensors, named after the nodes, with the project beside them: fine-tune later here or elsewhere.' },
  { value: 'onnx', label: 'Model (ONNX)', detail: 'The network and its weights for ONNX Runtime, TensorRT, OpenVINO… (opset 17, any batch size).' },
  { value: 'pytorch', label: 'PyTorch code', detail: 'An nn.Module, the weights, the dataset and a training script that runs on one GPU or many (torchrun).' },
];

export interface ExportDialogProps {
  studio: Pick<StudioApi, 'listRuns' | 'exportProject'>;
  /** The saved project's folder. */
  projectPath: string;
  /** Ask the host to show the result in a file manager (the desktop does; the reply says whether it did). */
  canReveal: boolean;
  /** The open project has unsaved edits (the export reads the saved file). */
  unsaved?: boolean;
  onClose: () => void;
}

const describeRun = (run: RunSummary): string => {
  const accuracy = run.metrics.test_accuracy ?? run.metrics.val_accuracy ?? run.metrics.accuracy;
  const loss = run.metrics.val_loss ?? run.metrics.loss;
  const metric = accuracy !== undefined ? `, accuracy ${(100 * accuracy).toFixed(1)}%` : loss !== undefined ? `, loss ${loss.toFixed(4)}` : '';
  return `${run.runId} (${run.status}, step ${run.step}${metric})`;
};

function ExportDialogView({ studio, projectPath, canReveal, unsaved = false, onClose }: ExportDialogProps) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [runId, setRunId] = useState('');
  const [checkpoint, setCheckpoint] = useState<Checkpoint>('best');
  const [format, setFormat] = useState<ExportFormat>('onnx');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    studio.listRuns({ path: projectPath }).then(
      (all) => {
        if (!live) return;
        const trained = all.filter((r) => r.hasCheckpoint);
        setRuns(trained);
        setRunId(trained[0]?.runId ?? '');
      },
      (e: unknown) => live && (setRuns([]), setProblem(describeError(e, 'The runs could not be listed'))),
    );
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      live = false;
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [studio, projectPath, onClose]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      setResult(await studio.exportProject({ path: projectPath, format, ...(runId ? { runId, checkpoint } : {}), reveal: canReveal }));
    } catch (e) {
      setProblem(describeError(e, 'Export failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby="export-title" onSubmit={(e) => void submit(e)} data-testid="export-dialog">
        <h2 id="export-title" className="modal__title">
          Export
        </h2>
        {unsaved && (
          <p className="field__hint" data-testid="export-unsaved">
            The export uses the saved project; save first to include your latest edits.
          </p>
        )}
        {runs === null ? (
          <p className="modal__message">Looking for trained runs…</p>
        ) : runs.length === 0 ? (
          <p className="modal__message" data-testid="export-untrained">
            Nothing is trained yet: the export holds freshly initialised weights. Train first for a useful model.
          </p>
        ) : (
          <>
            <label className="field">
              <span className="field__label">Run</span>
              <select className="input" value={runId} onChange={(e) => setRunId(e.target.value)} data-testid="export-run">
                {runs.map((r) => (
                  <option key={r.runId} value={r.runId}>
                    {describeRun(r)}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="field">
              <legend className="field__label">Checkpoint</legend>
              {(['best', 'last'] as const).map((c) => (
                <label key={c} style={{ display: 'block' }}>
                  <input type="radio" name="checkpoint" value={c} checked={checkpoint === c} onChange={() => setCheckpoint(c)} data-testid={`export-checkpoint-${c}`} />{' '}
                  {c === 'best' ? 'Best (by the watched metric)' : 'Last (the final weights)'}
                </label>
              ))}
            </fieldset>
          </>
        )}
        <fieldset className="field">
          <legend className="field__label">Format</legend>
          {FORMATS.map((f) => (
            <label key={f.value} style={{ display: 'block', marginBottom: 6 }}>
              <input type="radio" name="format" value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} data-testid={`export-format-${f.value}`} /> <strong>{f.label}</strong>
              <span className="field__hint"> {f.detail}</span>
            </label>
          ))}
        </fieldset>
        {problem && (
          <p className="notice notice--error" role="alert" data-testid="export-problem">
            {problem}
          </p>
        )}
        {result && (
          <div className="notice notice--success" role="status" data-testid="export-result">
            <p>
              {result.revealed ? 'Exported and shown in your file manager: ' : 'Exported to '}
              <code>{result.path}</code>
            </p>
            <p className="field__hint">Weights: {result.source}.</p>
            {result.notes.map((n) => (
              <p key={n} className="field__hint">
                {n}
              </p>
            ))}
          </div>
        )}
        <div className="modal__actions">
          <button type="button" className="button" onClick={onClose} data-testid="export-close">
            {result ? 'Done' : 'Cancel'}
          </button>
          <button type="submit" className="button button--primary" disabled={busy || runs === null} data-testid="export-submit">
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
    </div>
  );
}

export const ExportDialog = memo(ExportDialogView);
