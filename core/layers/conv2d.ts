/** @file Conv2D: 2-D convolution over NCHW images; weight [filters, channels/groups, kh, kw]. */
import { convOut, convPads, imageDims, tooSmall } from './conv';
import { defineLayer, init, isRejection, p, reject } from './define';

export const conv2d = defineLayer({
  type: 'Conv2D',
  ui: { label: 'Conv2D', category: 'convolution', doc: 'Slides learned filters over an image [C, H, W]; each filter makes one output channel.' },
  params: {
    filters: p.int({ min: 1, max: 1 << 16, default: 32, doc: 'Output channels' }),
    kernel: p.ints({ length: 2, min: 1, max: 64, default: [3, 3], doc: 'Window [height, width]' }),
    stride: p.ints({ length: 2, min: 1, max: 64, default: [1, 1] }),
    padding: p.choice(['valid', 'same', 'explicit'], 'valid', 'valid: none; same: keep size / stride; explicit: pads'),
    pads: p.ints({ length: 4, min: 0, max: 64, default: [0, 0, 0, 0], doc: 'Explicit padding [top, bottom, left, right]' }),
    dilation: p.ints({ length: 2, min: 1, max: 64, default: [1, 1] }),
    groups: p.int({ min: 1, max: 1 << 16, default: 1, doc: 'Channels split into independent groups' }),
    bias: p.bool(true),
  },
  widthParam: 'filters',
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, { filters, kernel, stride, padding, pads, dilation, groups }) => {
    const dims = imageDims(x, 'Conv2D');
    if (isRejection(dims)) return dims;
    const [c, h, w] = dims;
    if (c % groups !== 0) {
      return reject('E_SHAPE_CHANNELS', `receives ${c} channels, which do not split into ${groups} groups`, {
        port: 'in',
        fix: { kind: 'setParam', label: 'Set groups to 1', param: 'groups', value: 1 },
      });
    }
    if (filters % groups !== 0) {
      return reject('E_SHAPE_CHANNELS', `has ${filters} filters, which do not split into ${groups} groups`, {
        fix: { kind: 'setParam', label: `Set filters to ${groups * Math.max(1, Math.round(filters / groups))}`, param: 'filters', value: groups * Math.max(1, Math.round(filters / groups)) },
      });
    }
    const out = convOut([h, w], convPads(padding, pads, [h, w], kernel, stride, dilation), kernel, stride, dilation);
    return tooSmall(h, w, out) ?? { out: [x[0], filters, out[0], out[1]] };
  },
  weights: ({ in: x }, { filters, kernel, groups, bias }) => {
    const fanIn = ((x[1] as number) / groups) * kernel[0] * kernel[1];
    return {
      kernel: { shape: [filters, (x[1] as number) / groups, kernel[0], kernel[1]], init: init.heUniform(fanIn, (filters / groups) * kernel[0] * kernel[1]) },
      ...(bias ? { bias: { shape: [filters], init: init.zeros } } : {}),
    };
  },
  forward: ({ in: x }, w, { stride, padding, pads, dilation, groups, kernel }) => {
    const padding4 = convPads(padding, pads, [x.shape[2], x.shape[3]], kernel, stride, dilation);
    const y = x.conv2d(w.kernel, { stride: [stride[0], stride[1]], padding: padding4, dilation: [dilation[0], dilation[1]], groups });
    return { out: w.bias ? y.add(w.bias.reshape([1, -1, 1, 1])) : y };
  },
  flops: ({ in: x }, { out }, { kernel, groups }) => 2 * ((x[1] as number) / groups) * kernel[0] * kernel[1] * (out[1] as number) * (out[2] as number) * (out[3] as number),
});
