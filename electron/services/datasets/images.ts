/**
 * @file Image folders (one subfolder per class; PNG and JPEG) decoded by `sharp` into NCHW float
 * samples in [0, 1] (optionally standardized with given per-channel mean and std), spilled to a
 * chunk file and served by a `ChunkedDataset`, so a folder larger than memory still trains.
 * Unreadable images are skipped and reported; images of different sizes need a `size` option.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type SharpModule from 'sharp';
import type { Sharp, SharpOptions } from 'sharp';
import { ChunkedDataset, DatasetError, describeFormat, firstFew, sniffFormat, type FieldSpec } from '../../../core/data';
import { SpillChunkSource, SpillWriter } from './spill';
import { chunkedDataset, spillFile } from './spillSink';

export interface ImageOptions {
  /** [height, width] to resize to; default: the size every image already has. */
  size?: [number, number];
  /** 1 (grayscale) or 3 (RGB); default: 1 when every image is grayscale, else 3. */
  channels?: 1 | 3;
  mean?: number[];
  std?: number[];
  chunkRows?: number;
  /** Decoded chunks kept in memory. */
  cacheChunks?: number;
  /** Images read and decoded at once (default: the cores, 2 to 8; sharp decodes on its own thread pool). */
  concurrency?: number;
}

const DECODE_CONCURRENCY = Math.min(8, Math.max(2, availableParallelism()));

/**
 * `work` over `items` with at most `limit` in flight, each result handed to `take` in the items'
 * order (so samples keep a deterministic order). A DatasetError of one item is handed over as its
 * result (the image is skipped); any other error stops the import once its turn comes.
 */
async function inOrder<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, take: (result: R | DatasetError, item: T) => void): Promise<void> {
  // Settled promises never reject, so one that fails while an earlier one is awaited is not "unhandled".
  const settle = (item: T) => work(item).then((value) => ({ value }), (error: unknown) => ({ error }));
  const window: ReturnType<typeof settle>[] = [];
  let next = 0;
  for (let i = 0; i < items.length; i++) {
    while (next < items.length && next < i + Math.max(1, limit)) window.push(settle(items[next++]));
    const done = await window.shift()!;
    if ('error' in done) {
      if (!(done.error instanceof DatasetError)) throw done.error;
      take(done.error, items[i]);
    } else take(done.value, items[i]);
  }
}

/**
 * sharp is native: loaded at run time from node_modules (never bundled by esbuild into main.cjs).
 */
let sharpModule: typeof SharpModule | undefined;
function sharp(input: Uint8Array, options?: SharpOptions): Sharp {
  sharpModule ??= createRequire(import.meta.url)('sharp') as typeof SharpModule;
  return sharpModule(input, options);
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

export interface ImageListing {
  classes: string[];
  files: { path: string; label: number }[];
  /** Files with another extension, ignored. */
  ignored: string[];
}

export async function listImageFolder(dir: string): Promise<ImageListing> {
  const entries = await readdir(dir, { withFileTypes: true });
  const classes = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  if (classes.length === 0) throw new DatasetError('E_DATA_EMPTY', `${dir} has no class subfolders; put the images of each class in a folder named after it (${dir}/cat/1.png, ${dir}/dog/2.png).`, { file: dir });
  const files: ImageListing['files'] = [];
  const ignored: string[] = [];
  for (const [label, name] of classes.entries()) {
    for (const file of (await readdir(join(dir, name))).sort()) {
      if (file.startsWith('.')) continue;
      if (IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) files.push({ path: join(dir, name, file), label });
      else ignored.push(join(dir, name, file));
    }
  }
  if (files.length === 0) throw new DatasetError('E_DATA_EMPTY', `${dir} holds no PNG or JPEG images in its class folders (${classes.join(', ')}).`, { file: dir });
  if (classes.length === 1) throw new DatasetError('E_DATA_SINGLE_CLASS', `${dir} has a single class folder (${classes[0]}); a classifier needs at least two.`, { file: dir });
  return { classes, files, ignored };
}

export interface ImageProbe {
  width: number;
  height: number;
  channels: number;
}

/** Check the bytes are the image the extension says, and read its size without decoding the pixels. */
export async function probeImage(path: string, bytes: Uint8Array): Promise<ImageProbe> {
  const format = sniffFormat(bytes.subarray(0, 64));
  if (format !== 'png' && format !== 'jpeg') {
    throw new DatasetError('E_DATA_WRONG_FORMAT', `${path} is named like an image but is ${describeFormat(format)}; remove it or replace it with a PNG or JPEG.`, { file: path });
  }
  try {
    const meta = await sharp(bytes).metadata();
    return { width: meta.width ?? 0, height: meta.height ?? 0, channels: meta.channels ?? 0 };
  } catch (error) {
    throw new DatasetError('E_DATA_IMAGE_UNREADABLE', `${path} cannot be read (${(error as Error).message}); the file is damaged: remove or replace it.`, { file: path });
  }
}

/** Decode to CHW float32 in [0, 1]. Resizing makes a 1-channel image 3-channel, so grayscale comes last. */
export async function decodeImage(path: string, bytes: Uint8Array, height: number, width: number, channels: 1 | 3): Promise<Float32Array> {
  let pixels: Buffer;
  try {
    let image = sharp(bytes, { failOn: 'truncated' }).resize(width, height, { fit: 'fill' });
    image = channels === 1 ? image.grayscale() : image.removeAlpha().toColourspace('srgb');
    pixels = await image.raw().toBuffer();
  } catch (error) {
    throw new DatasetError('E_DATA_IMAGE_UNREADABLE', `${path} cannot be decoded (${(error as Error).message}); the file is damaged or truncated: remove or replace it.`, { file: path });
  }
  const got = pixels.length / (height * width);
  if (got !== channels) throw new DatasetError('E_DATA_IMAGE_UNREADABLE', `${path} decoded to ${got} channels instead of ${channels}.`, { file: path });
  const out = new Float32Array(channels * height * width);
  for (let i = 0; i < height * width; i++) for (let c = 0; c < channels; c++) out[c * height * width + i] = pixels[i * channels + c] / 255;
  return out;
}

export interface ImageImport {
  dataset: ChunkedDataset;
  source: SpillChunkSource;
  classes: string[];
  counts: number[];
  /** Unreadable images skipped, with why. */
  skipped: { file: string; message: string }[];
  ignored: string[];
  shape: [number, number, number];
}

/** Probe every image (sizes, channels), then decode and spill them; `cacheDir` holds the chunk file. */
export async function importImageFolder(dir: string, options: ImageOptions, cacheDir: string, name = dir): Promise<ImageImport> {
  const listing = await listImageFolder(dir);
  const skipped: ImageImport['skipped'] = [];
  const concurrency = options.concurrency ?? DECODE_CONCURRENCY;
  // Only sizes are kept from the first pass: pixels are decoded in the second, a few images at a time.
  const good: { path: string; label: number; probe: ImageProbe }[] = [];
  await inOrder(listing.files, concurrency, async (file) => probeImage(file.path, await readFile(file.path)), (result, file) => {
    if (result instanceof DatasetError) skipped.push({ file: file.path, message: result.message });
    else good.push({ ...file, probe: result });
  });
  if (good.length === 0) throw new DatasetError('E_DATA_IMAGE_UNREADABLE', `${dir}: none of the ${listing.files.length} images can be read (first: ${skipped[0]?.message}).`, { file: dir });
  let size = options.size;
  if (!size) {
    const first = good[0];
    const other = good.find((g) => g.probe.width !== first.probe.width || g.probe.height !== first.probe.height);
    if (other) {
      throw new DatasetError(
        'E_DATA_IMAGE_SIZE',
        `${dir}: images have different sizes (${first.path} is ${first.probe.width}x${first.probe.height}, ${other.path} is ${other.probe.width}x${other.probe.height}); set the option size: [height, width] to resize them all.`,
        { file: other.path },
      );
    }
    size = [first.probe.height, first.probe.width];
  }
  const channels = options.channels ?? (good.every((g) => g.probe.channels <= 2) ? 1 : 3);
  const [height, width] = size;
  const fields: Record<string, FieldSpec> = { image: { shape: [channels, height, width], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } };
  const chunkRows = options.chunkRows ?? 256;
  const file = spillFile(cacheDir, 'images');
  const writer = new SpillWriter(file, fields, chunkRows);
  const counts = listing.classes.map(() => 0);
  const hw = height * width;
  await inOrder(good, concurrency, async (image) => decodeImage(image.path, await readFile(image.path), height, width, channels), (pixels, image) => {
    if (pixels instanceof DatasetError) {
      skipped.push({ file: image.path, message: pixels.message });
      return;
    }
    if (options.mean || options.std) {
      for (let c = 0; c < channels; c++) {
        const m = options.mean?.[c] ?? 0, s = options.std?.[c] ?? 1;
        for (let i = c * hw; i < (c + 1) * hw; i++) pixels[i] = (pixels[i] - m) / s;
      }
    }
    writer.append({ image: pixels, label: [image.label] });
    counts[image.label]++;
  });
  writer.finish();
  if (writer.size === 0) throw new DatasetError('E_DATA_IMAGE_UNREADABLE', `${dir}: none of the images can be decoded (first: ${skipped[0]?.message}).`, { file: dir });
  const source = new SpillChunkSource(file, fields, chunkRows, { name, size: writer.size, classes: listing.classes });
  return { dataset: chunkedDataset(source, options.cacheChunks ?? 16), source, classes: listing.classes, counts, skipped, ignored: listing.ignored, shape: [channels, height, width] };
}

export function describeSkippedImages(skipped: readonly { file: string; message: string }[]): string | undefined {
  if (skipped.length === 0) return undefined;
  const reasons = skipped.slice(0, 3).map((s) => s.message).join(' ');
  return `${skipped.length} image${skipped.length === 1 ? '' : 's'} skipped (${firstFew(skipped.map((s) => s.file), 3)}): ${reasons}`;
}

export const isDirectory = async (path: string): Promise<boolean> => (await stat(path)).isDirectory();
