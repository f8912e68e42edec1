/**
 * @file How a layer type looks on the canvas and in the palette: its registry category and that
 * category's accent colour (unknown types get a neutral grey).
 */
import { layerByType, type LayerCategory } from '../../core/layers';

export type LayerLook = LayerCategory | 'unknown';

export function layerCategory(layerType: string): LayerLook {
  return layerByType.get(layerType)?.ui.category ?? 'unknown';
}

/** Accent colours, tuned to read on the dark canvas; the CSS reads them via `--layer-accent`. */
export const CATEGORY_ACCENT: Record<LayerLook, string> = {
  io: '#34d399',
  core: '#60a5fa',
  convolution: '#38bdf8',
  recurrent: '#818cf8',
  attention: '#f472b6',
  normalization: '#fbbf24',
  activation: '#c084fc',
  regularization: '#fb923c',
  loss: '#fb7185',
  unknown: '#a1a1aa',
};

export const CATEGORY_TITLE: Record<LayerCategory, string> = {
  core: 'Core',
  convolution: 'Convolution',
  recurrent: 'Recurrent',
  attention: 'Attention',
  normalization: 'Normalization',
  activation: 'Activation',
  regularization: 'Regularization',
  io: 'Input & output',
  loss: 'Loss',
};
