/** @file ConvTranspose2D: the transpose (input-gradient) of a convolution; weight [channels, filters/groups, kh, kw] (PyTorch). */
import { imageDims } from './conv';
import { defineLayer, init, isRejection, p, reject } from './define';

export const convTranspose2d = defineLayer({
  type: 'ConvTranspose2D',
  ui: { label: 'ConvTranspose2D', category: 'convolution', doc: 'Upsamples images with learned filters (the transpose of a convolution), as in GAN generators and decoders.' },
  params: {
    filters: p.int({ min: 1, max: 1 << 16, default: 32, doc: 'Output channels' }),
    kernel: p.ints({ length: 2, min: 1, max: 64, default: [4, 4] }),
    stride: p.ints({ length: 2, min: 1, max: 64, default: [2, 2] }),
    padding: p.ints({ length: 2, min: 0, max: 64, default: [1, 1], doc: 'PyTorch padding [ph, pw]: removed from both sides of the output' }),
    outputPadding: p.ints({ length: 2, min: 0, max: 63, default: [0, 0], doc: 'Extra rows/columns at the end of the output' }),
    dilation: p.ints({ length: 2, min: 1, max: 64, default: [1, 1] }),
    groups: p.int({ min: 1, max: 1 << 16, default: 1 }),
    bias: p.bool(true),
  },
  widthParam: 'filters',
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, { filters, kernel, stride, padding, outputPadding, dilation, groups }) => {
    const dims = imageDims(x, 'ConvTranspose2D');
    if (isRejection(dims)) return dims;
    const [c, h, w] = dims;
    if (c % groups !== 0 || filters % groups !== 0) {
      return reject('E_SHAPE_CHANNELS', `receives ${c} channels and has ${filters} filters; both must split into ${groups} groups`, {
        port: 'in',
        fix: { kind: 'setParam', label: 'Set groups to 1', param: 'groups', value: 1 },
      });
    }
    if (outputPadding[0] >= Math.max(stride[0], dilation[0]) || outputPadding[1] >= Math.max(stride[1], dilation[1])) {
      return reject('E_PARAM_RANGE', 'output padding must be smaller than the stride or the dilation', {
        fix: { kind: 'setParam', label: 'Set output padding to [0, 0]', param: 'outputPadding', value: [0, 0] },
      });
    }
    // H_out = (H - 1)·s - 2p + d·(k - 1) + outputPadding + 1
    const o = (a: number, n: number): number => (n - 1) * stride[a] - 2 * padding[a] + dilation[a] * (kernel[a] - 1) + outputPadding[a] + 1;
    const out = [o(0, h), o(1, w)];
    if (out[0] < 1 || out[1] < 1) return reject('E_SHAPE_MISMATCH', `would produce ${out[0]}x${out[1]} images: reduce the padding`, { port: 'in' });
    return { out: [x[0], filters, out[0], out[1]] };
  },
  weights: ({ in: x }, { filters, kernel, groups, bias }) => {
    const c = x[1] as number;
    const fanIn = (filters / groups) * kernel[0] * kernel[1];
    return {
      kernel: { shape: [c, filters / groups, kernel[0], kernel[1]], init: init.heUniform(fanIn, (c / groups) * kernel[0] * kernel[1]) },
      ...(bias ? { bias: { shape: [filters], init: init.zeros } } : {}),
    };
  },
  forward: ({ in: x }, w, { stride, padding, outputPadding, dilation, groups }) => {
    const y = x.convTranspose2d(w.kernel, {
      stride: [stride[0], stride[1]],
      padding: [padding[0], padding[1]],
      dilation: [dilation[0], dilation[1]],
      groups,
      outputPadding: [outputPadding[0], outputPadding[1]],
    });
    return { out: w.bias ? y.add(w.bias.reshape([1, -1, 1, 1])) : y };
  },
  flops: ({ in: x }, _o, { filters, kernel, groups }) => 2 * (x[1] as number) * (filters / groups) * kernel[0] * kernel[1] * (x[2] as number) * (x[3] as number),
});
