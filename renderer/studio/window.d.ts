/** @file What Electron's preload adds to the page: `window.studio`, the typed contract, when the page runs on the desktop. */
import type { StudioApi } from '../../core/contract/studio';

declare global {
  interface Window {
    studio?: StudioApi;
  }
}
