/** @file GlobalAvgPool: [batch, C, H, W] → [batch, C], the mean of each channel. */
import { imageDims } from './conv';
import { defineLayer, isRejection } from './define';
import { numel } from './shape';

export const globalAvgPool = defineLayer({
  type: 'GlobalAvgPool',
  ui: { label: 'GlobalAvgPool', category: 'convolution', doc: 'Averages each channel over the whole image: [C, H, W] becomes [C].' },
  params: {},
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }) => {
    const dims = imageDims(x, 'GlobalAvgPool');
    return isRejection(dims) ? dims : { out: [x[0], dims[0]] };
  },
  forward: ({ in: x }) => ({ out: x.mean([2, 3]) }),
  flops: ({ in: x }) => numel(x),
});
