/**
 * @file The Data view of an open project: the dataset its recipe trains on, previewed and checked
 * against the network that reads it, with the split settings. Edits are project edits (undoable,
 * saved with the project).
 */
import { memo, useCallback } from 'react';
import type { DatasetRef } from '../../core/project/schema';
import { kfoldUnavailable } from '../../core/train/kfold';
import { useStudio } from '../app/studioContext';
import { useStudioStore } from '../state/studioStore';
import { DatasetPanel, type SplitSettings } from './DatasetPanel';
import './datasets.css';

function DataViewBody() {
  const { studio } = useStudio();
  const document = useStudioStore((s) => s.document);
  const editProject = useStudioStore((s) => s.editProject);
  const onDatasetChange = useCallback(
    (dataset: DatasetRef) => editProject((p) => ({ ...p, datasets: p.datasets.map((d) => (d.id === dataset.id ? dataset : d)) }), { coalesce: `dataset:${dataset.id}` }),
    [editProject],
  );
  const onSplitChange = useCallback(
    (split: SplitSettings) =>
      editProject(
        (p) => {
          const { kfold: _, ...training } = p.training;
          return { ...p, training: { ...training, seed: split.seed, validationSplit: split.validationSplit, ...(split.kfold !== undefined ? { kfold: split.kfold } : {}) } };
        },
        { coalesce: 'split' },
      ),
    [editProject],
  );
  if (!document) return null;
  const { project } = document;
  const dataset = project.datasets.find((d) => d.id === project.training.datasetId) ?? project.datasets[0];
  const networkId = project.training.networks.model ?? Object.values(project.training.networks)[0];
  const network = project.networks.find((n) => n.id === networkId);
  const noKfold = kfoldUnavailable(project.training);
  return (
    <main className="data-view" data-testid="data-view">
      {dataset ? (
        <DatasetPanel
          api={studio}
          projectPath={document.path}
          dataset={dataset}
          split={{ seed: project.training.seed, validationSplit: project.training.validationSplit, ...(project.training.kfold !== undefined ? { kfold: project.training.kfold } : {}) }}
          {...(noKfold ? { kfoldUnavailable: noKfold } : {})}
          {...(network ? { network } : {})}
          onDatasetChange={onDatasetChange}
          onSplitChange={onSplitChange}
        />
      ) : (
        <p className="data-view__empty">This project lists no dataset yet. Add one to the project file (a CSV, an image folder, a time series, text, .npy, IDX, or a built-in such as builtin:mnist).</p>
      )}
    </main>
  );
}

export const DataView = memo(DataViewBody);
