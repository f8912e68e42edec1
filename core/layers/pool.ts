/** @file The shape rule shared by MaxPool2D and AvgPool2D (windows over NCHW images). */
import { convOut, imageDims, tooSmall } from './conv';
import { isRejection, reject, type Outputs, type Rejection } from './define';
import type { Shape } from './shape';

export interface PoolParamValues {
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
}

export function poolShape(x: Shape, { kernel, stride, padding }: PoolParamValues, layer: string): Outputs<'out', Shape> | Rejection {
  const dims = imageDims(x, layer);
  if (isRejection(dims)) return dims;
  const [c, h, w] = dims;
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
    return reject('E_PARAM_RANGE', 'padding must be at most half the window', { fix: { kind: 'setParam', label: 'Set padding to [0, 0]', param: 'padding', value: [0, 0] } });
  }
  const pads = [padding[0], padding[0], padding[1], padding[1]];
  const out = convOut([h, w], pads, kernel, stride, [1, 1]);
  return tooSmall(h, w, out) ?? { out: [x[0], c, out[0], out[1]] };
}

export const poolOptions = ({ kernel, stride, padding }: PoolParamValues): { kernel: [number, number]; stride: [number, number]; padding: [number, number] } => ({
  kernel: [kernel[0], kernel[1]],
  stride: [stride[0], stride[1]],
  padding: [padding[0], padding[1]],
});
