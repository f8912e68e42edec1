/**
 * @file Where chunk files live and how datasets over them are made: a unique file per import in
 * the cache folder, removed when its dataset is garbage-collected or the process exits, and files
 * of processes that died without cleaning up swept away; `spillSink`, the sample sink that spills
 * an import to a chunk file behind a `ChunkedDataset` whose cache has a bound in bytes.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkedDataset, chunksWithin, type SinkFactory } from '../../../core/data';
import { SpillChunkSource, SpillWriter } from './spill';

export interface SpillSinkOptions {
  /** Folder of the chunk files (created when missing). */
  cacheDir: string;
  /** Samples per chunk (default 4096). */
  chunkRows?: number;
  /** Decoded chunks kept in memory, in bytes (default 64 MiB; at least two chunks). */
  cacheBytes?: number;
  /** Chunks read ahead by the worker (default 2). */
  prefetchSlots?: number;
  /** Called with each dataset made, for callers that watch its cache (tests, benchmarks). */
  onDataset?: (dataset: ChunkedDataset, source: SpillChunkSource) => void;
}

/** Chunk files this process made, removed when it exits. */
const spilled = new Set<string>();
const swept = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
};

/** Remove chunk files left in `dir` by processes that ended without their exit handler (killed, crashed). */
function sweep(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  for (const name of readdirSync(dir)) {
    const pid = /^[a-z]+-(\d+)-[0-9a-z]+-[0-9a-z]+\.chunks$/.exec(name)?.[1];
    if (pid && Number(pid) !== process.pid && !alive(Number(pid))) rmSync(join(dir, name), { force: true });
  }
}

/** A unique chunk file name in `cacheDir`, removed when the process exits. */
export function spillFile(cacheDir: string, prefix: string): string {
  mkdirSync(cacheDir, { recursive: true });
  sweep(cacheDir);
  const file = join(cacheDir, `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}.chunks`);
  if (spilled.size === 0) process.once('exit', () => spilled.forEach((f) => rmSync(f, { force: true })));
  spilled.add(file);
  return file;
}

/** Closes a chunk file's reader (fd, worker) and removes the file once the dataset reading it is garbage. */
const collected = new FinalizationRegistry<SpillChunkSource>((source) => {
  try {
    source.close();
    rmSync(source.file, { force: true });
  } catch {
    // A finalizer must not throw; the exit handler removes the file.
  }
});

/** The dataset over `source`, its chunk file removed when the dataset is collected (or at exit). */
export function chunkedDataset(source: SpillChunkSource, maxChunks: number): ChunkedDataset {
  const dataset = new ChunkedDataset(source, maxChunks);
  collected.register(dataset, source);
  return dataset;
}

/** Samples spilled to a chunk file and served by a `ChunkedDataset` whose cache holds at most `cacheBytes`. */
export function spillSink(options: SpillSinkOptions): SinkFactory {
  return (spec) => {
    const chunkRows = options.chunkRows ?? 4096;
    const file = spillFile(options.cacheDir, 'table');
    const writer = new SpillWriter(file, spec.fields, chunkRows);
    return {
      append: (sample) => writer.append(sample),
      finish() {
        writer.finish();
        if (writer.size !== spec.size) throw new Error(`${spec.name}: ${writer.size} samples spilled, ${spec.size} announced.`);
        const source = new SpillChunkSource(file, spec.fields, chunkRows, { name: spec.name, size: spec.size, classes: spec.classes, prefetchSlots: options.prefetchSlots });
        const dataset = chunkedDataset(source, chunksWithin(options.cacheBytes ?? 64 * 2 ** 20, spec.fields, chunkRows));
        options.onDataset?.(dataset, source);
        return dataset;
      },
    };
  };
}
