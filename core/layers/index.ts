/** @file The layer registry: every layer the palette, validation, tracing, tests and exporters know. */
import { add } from './add';
import { avgPool2d } from './avgPool2d';
import { batchNorm } from './batchNorm';
import { bceWithLogitsLoss } from './bceWithLogitsLoss';
import { concat } from './concat';
import { conv2d } from './conv2d';
import { convTranspose2d } from './convTranspose2d';
import { crossEntropyLoss } from './crossEntropyLoss';
import type { Layer } from './define';
import { dense } from './dense';
import { dropout } from './dropout';
import { embedding } from './embedding';
import { flatten } from './flatten';
import { gelu } from './gelu';
import { globalAvgPool } from './globalAvgPool';
import { gru } from './gru';
import { huberLoss } from './huberLoss';
import { input } from './input';
import { layerNorm } from './layerNorm';
import { leakyRelu } from './leakyRelu';
import { lstm } from './lstm';
import { maeLoss } from './maeLoss';
import { maxPool2d } from './maxPool2d';
import { mseLoss } from './mseLoss';
import { multiHeadAttention } from './multiHeadAttention';
import { output } from './output';
import { positionalEncoding } from './positionalEncoding';
import { relu } from './relu';
import { reshape } from './reshape';
import { sigmoid } from './sigmoid';
import { softmax } from './softmax';
import { tanh } from './tanh';
import { transformerEncoderBlock } from './transformerEncoderBlock';

export const layers = [
  // io
  input, output,
  // core
  dense, flatten, reshape, concat, add, embedding,
  // convolution
  conv2d, convTranspose2d, maxPool2d, avgPool2d, globalAvgPool,
  // recurrent
  lstm, gru,
  // attention
  multiHeadAttention, transformerEncoderBlock, positionalEncoding,
  // normalization, regularization
  batchNorm, layerNorm, dropout,
  // activation
  relu, leakyRelu, sigmoid, tanh, gelu, softmax,
  // loss
  mseLoss, maeLoss, huberLoss, crossEntropyLoss, bceWithLogitsLoss,
] as const;

export type LayerType = (typeof layers)[number]['type'];

export const layerByType: ReadonlyMap<string, Layer> = new Map(layers.map((l) => [l.type, l]));

export type { Layer, ForwardContext, FieldFeed, PortsDecl, Inputs } from './define';
export { defineLayer, p, init, reject, isRejection } from './define';
export type { ParamSpec, ParamSchema, ParamValues } from './params';
export { checkParam, defaultParams } from './params';
export { BATCH, formatShape, concreteShape, type Dim, type Shape, type PortType } from './shape';
export { LAYER_CATEGORIES, type LayerCategory, type DType, type Init, type WeightSpec, type LayerFix, type ShapeIssue } from './types';
