/**
 * @file The dashboard's panels by id: title, what it shows (units included), and its component.
 * A mapped type over PanelId: a new panel id without an entry does not build. Which panels a run
 * shows comes from `eventTable` (the events it reported), never from what it is.
 */
import type { ComponentType } from 'react';
import type { PanelId } from './panelIds';
import { PANEL_IDS } from './panelIds';
import type { PanelProps } from './panelTypes';
import type { RunView } from './runView';
import { GanLossesPanel, GradientNormPanel, LearningRatePanel, LossPanel, MetricsPanel, ThroughputPanel } from './panels/CurvePanels';
import { HistogramsPanel, PredictionsPanel, RegressionPanel, SamplesPanel } from './panels/ExamplePanels';
import { DecisionBoundaryPanel, GeneratedTextPanel } from './panels/SurfacePanels';
import { ConfusionPanel, EvaluationPanel, KfoldPanel } from './panels/TablePanels';

export interface PanelEntry {
  title: string;
  hint: string;
  /** Wide panels take the whole row. */
  wide?: boolean;
  /** null: drawn elsewhere (the diagnosis is pinned above the panels). */
  Component: ComponentType<PanelProps> | null;
}

export const panelTable: { [P in PanelId]: PanelEntry } = {
  diagnosis: { title: 'Diagnosis', hint: 'Fit problems found while training', Component: null },
  loss: { title: 'Loss', hint: 'Training loss per step; train and validation loss per epoch', wide: true, Component: LossPanel },
  metrics: { title: 'Metrics per epoch', hint: 'Train against validation', wide: true, Component: MetricsPanel },
  ganLosses: { title: 'Generator and discriminator', hint: 'Both losses per step', Component: GanLossesPanel },
  learningRate: { title: 'Learning rate', hint: 'As the schedule sets it, per step', Component: LearningRatePanel },
  throughput: { title: 'Throughput', hint: 'Samples per second, progress and time left', Component: ThroughputPanel },
  gradientNorm: { title: 'Gradient norm', hint: 'Global L2 norm of the gradients, per step', Component: GradientNormPanel },
  evaluation: { title: 'Evaluations', hint: 'Metrics on held-out data', Component: EvaluationPanel },
  confusion: { title: 'Confusion matrix', hint: 'Rows: true class; columns: predicted', Component: ConfusionPanel },
  predictions: { title: 'Sample predictions', hint: 'Predicted label next to the true one', Component: PredictionsPanel },
  regression: { title: 'Predicted against true', hint: 'Points on the diagonal are exact', Component: RegressionPanel },
  decisionBoundary: { title: 'Decision boundary', hint: 'p(class 1) over the two features, the training points, and w·x + b = 0', Component: DecisionBoundaryPanel },
  text: { title: 'Generated text', hint: 'The model continues a validation prompt (highlighted) each epoch', wide: true, Component: GeneratedTextPanel },
  samples: { title: 'Generated samples', hint: 'The generator’s output at each epoch', wide: true, Component: SamplesPanel },
  histograms: { title: 'Weight and activation histograms', hint: 'Per layer, at the last epoch end', wide: true, Component: HistogramsPanel },
  kfold: { title: 'Cross-validation', hint: 'Each fold, then mean ± standard deviation', Component: KfoldPanel },
};

/** The panels a run shows, in layout order (the diagnosis is pinned separately). */
export function visiblePanels(run: RunView): PanelId[] {
  return PANEL_IDS.filter((id) => run.panels.has(id) && panelTable[id].Component !== null);
}
