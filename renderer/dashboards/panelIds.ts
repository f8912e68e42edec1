/** @file The dashboard's panels, in the order they are laid out. */
export const PANEL_IDS = ['diagnosis', 'loss', 'metrics', 'ganLosses', 'learningRate', 'throughput', 'gradientNorm', 'evaluation', 'confusion', 'predictions', 'regression', 'decisionBoundary', 'samples', 'text', 'histograms', 'kfold'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

export const isPanelId = (value: string): value is PanelId => (PANEL_IDS as readonly string[]).includes(value);
