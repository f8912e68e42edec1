/** @file What every dashboard panel receives: the run it draws (re-rendered when its version changes). */
import type { RunView } from './runView';

export interface PanelProps {
  run: RunView;
  /** The run's version, so memoised panels re-render when it changes. */
  version: number;
}
