/**
 * @file Small shared types of layer definitions: dtypes, categories, initializers, the fixes a
 * shape rule may suggest.
 */
import type { DiagnosticCode } from '../model/diagnostics';

export type DType = 'f32' | 'i32' | 'bool';

export const LAYER_CATEGORIES = [
  'io',
  'core',
  'convolution',
  'recurrent',
  'attention',
  'normalization',
  'activation',
  'regularization',
  'loss',
] as const;
export type LayerCategory = (typeof LAYER_CATEGORIES)[number];

/**
 * How a weight or a state starts. Fans are given by the layer (their meaning depends on its
 * layout); tracing turns the Glorot/He family into uniform(a) / normal(std) for core/random.
 */
export type Init =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  /** U(-a, a) */
  | { readonly kind: 'uniform'; readonly a: number }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal'; readonly fanIn: number; readonly fanOut: number };

export const init = {
  zeros: { kind: 'zeros' } as Init,
  ones: { kind: 'ones' } as Init,
  uniform: (a: number): Init => ({ kind: 'uniform', a }),
  normal: (std: number): Init => ({ kind: 'normal', std }),
  glorotUniform: (fanIn: number, fanOut: number): Init => ({ kind: 'glorotUniform', fanIn, fanOut }),
  glorotNormal: (fanIn: number, fanOut: number): Init => ({ kind: 'glorotNormal', fanIn, fanOut }),
  heUniform: (fanIn: number, fanOut: number): Init => ({ kind: 'heUniform', fanIn, fanOut }),
  heNormal: (fanIn: number, fanOut: number): Init => ({ kind: 'heNormal', fanIn, fanOut }),
  /** PyTorch's default for Linear/Conv/RNN weights and biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
  torchDefault: (fanIn: number): Init => ({ kind: 'uniform', a: 1 / Math.sqrt(Math.max(fanIn, 1)) }),
};

export interface WeightSpec {
  readonly shape: readonly number[];
  readonly init: Init;
}

/** A graph edit a shape rule may suggest; the analyzer binds it to the node and edge. */
export type LayerFix =
  | { readonly kind: 'insertLayer'; readonly label: string; readonly layerType: string; readonly params: Record<string, unknown> }
  | { readonly kind: 'setParam'; readonly label: string; readonly param: string; readonly value: unknown }
  /** Set the width (channels, units) of the layer that feeds `port`, through its `widthParam`. */
  | { readonly kind: 'setWidth'; readonly label: string; readonly port: string; readonly value: number };

/** What a shape rule reports instead of shapes: the analyzer names the node and edge. */
export interface ShapeIssue {
  readonly code: DiagnosticCode;
  /** Without the node's name (the analyzer prefixes it). */
  readonly message: string;
  /** The input port concerned, if any. */
  readonly port?: string;
  readonly fix?: LayerFix;
}
