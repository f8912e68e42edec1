/**
 * @file Shape arithmetic shared by the image layers (convolutions and pooling, NCHW): the rank
 * check with its fixes, padding modes and output sizes.
 */
import { reject, type Rejection } from './define';
import { formatShape, type Shape } from './shape';

/** The [channels, height, width] of an image input, or a rejection with a fix that makes one. */
export function imageDims(x: Shape, layer: string): [number, number, number] | Rejection {
  if (x.length === 4) return [x[1], x[2], x[3]] as [number, number, number];
  const base = `needs images [batch, channels, height, width] but receives ${formatShape(x)}`;
  const feats = x.slice(1) as number[];
  if (x.length === 3) {
    return reject('E_SHAPE_RANK', `${base}: insert Reshape to [1, ${feats.join(', ')}] (one channel)`, {
      port: 'in',
      fix: { kind: 'insertLayer', label: `Insert Reshape to [1, ${feats.join(', ')}]`, layerType: 'Reshape', params: { shape: [1, ...feats] } },
    });
  }
  const side = Math.round(Math.sqrt(feats[0] ?? 0));
  if (x.length === 2 && side * side === feats[0]) {
    return reject('E_SHAPE_RANK', `${base}: insert Reshape to [1, ${side}, ${side}]`, {
      port: 'in',
      fix: { kind: 'insertLayer', label: `Insert Reshape to [1, ${side}, ${side}]`, layerType: 'Reshape', params: { shape: [1, side, side] } },
    });
  }
  return reject('E_SHAPE_RANK', `${base}: ${layer} works on images; reshape the input to [channels, height, width]`, { port: 'in' });
}

export type PadMode = 'valid' | 'same' | 'explicit';

/**
 * Paddings [top, bottom, left, right]. `same` keeps ceil(size / stride) like TensorFlow, the
 * odd pixel at the end like PyTorch's padding='same' at stride 1.
 */
export function convPads(mode: PadMode, explicit: readonly number[], size: [number, number], kernel: readonly number[], stride: readonly number[], dilation: readonly number[]): [number, number, number, number] {
  if (mode === 'valid') return [0, 0, 0, 0];
  if (mode === 'explicit') return [explicit[0], explicit[1], explicit[2], explicit[3]];
  const pads: number[] = [];
  for (let a = 0; a < 2; a++) {
    const out = Math.ceil(size[a] / stride[a]);
    const total = Math.max((out - 1) * stride[a] + (kernel[a] - 1) * dilation[a] + 1 - size[a], 0);
    pads.push(Math.floor(total / 2), total - Math.floor(total / 2));
  }
  return pads as [number, number, number, number];
}

/** floor((n + pads - d·(k-1) - 1) / s) + 1 per spatial axis. */
export function convOut(size: [number, number], pads: readonly number[], kernel: readonly number[], stride: readonly number[], dilation: readonly number[]): [number, number] {
  const o = (a: number): number => Math.floor((size[a] + pads[2 * a] + pads[2 * a + 1] - dilation[a] * (kernel[a] - 1) - 1) / stride[a]) + 1;
  return [o(0), o(1)];
}

export function tooSmall(h: number, w: number, out: [number, number]): Rejection | null {
  if (out[0] >= 1 && out[1] >= 1) return null;
  return reject('E_SHAPE_MISMATCH', `receives ${h}x${w} images, smaller than its window: use padding "same", a smaller kernel or stride, or fewer pooling layers before it`, { port: 'in' });
}
