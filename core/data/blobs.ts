/**
 * @file The built-in two-feature toy set for the `neuron` template: two Gaussian blobs, linearly
 * separable by construction (points closer than `margin` to the separating line are dropped).
 */
import { InMemoryDataset } from './dataset';
import { splitmix32 } from './split';

export function makeBlobs(samples: number, seed: number, margin = 0.5): InMemoryDataset {
  const next = splitmix32(seed);
  const uniform = () => (next() + 0.5) / 4294967296;
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const features = new Float32Array(samples * 2);
  const labels = new Float32Array(samples);
  // Separating line: x + y = 0; class 1 lies above it.
  for (let i = 0; i < samples; ) {
    const label = i % 2;
    const x = gaussian() + (label ? 1.5 : -1.5);
    const y = gaussian() + (label ? 1.5 : -1.5);
    const side = (x + y) / Math.SQRT2;
    if ((label === 1 && side < margin) || (label === 0 && side > -margin)) continue;
    features[2 * i] = x;
    features[2 * i + 1] = y;
    labels[i] = label;
    i++;
  }
  return new InMemoryDataset(
    'blobs',
    samples,
    { features: { spec: { shape: [2], dtype: 'f32' }, data: features }, label: { spec: { shape: [1], dtype: 'f32' }, data: labels } },
    ['0', '1'],
  );
}
