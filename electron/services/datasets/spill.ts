/**
 * @file Decoded samples spilled to a file in fixed-size chunks, read back by chunk: the disk side
 * of `ChunkedDataset`. Chunk k starts at byte k * chunkBytes and holds, field after field,
 * chunkRows samples of 4-byte values (f32 or i32, little-endian; the last chunk is padded).
 * A worker thread reads the chunks asked for ahead of time into a SharedArrayBuffer, so the
 * training loop's `gather` finds them decoded without waiting on the disk.
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChunkedDataset, chunksWithin, sampleSize, type ChunkSource, type FieldArray, type FieldSpec, type SinkFactory } from '../../../core/data';

function chunkLayout(fields: Readonly<Record<string, FieldSpec>>, chunkRows: number) {
  let offset = 0;
  const parts = Object.entries(fields).map(([name, spec]) => {
    const values = chunkRows * sampleSize(spec);
    const part = { name, spec, offset, values };
    offset += values * 4;
    return part;
  });
  return { parts, chunkBytes: offset };
}

export class SpillWriter {
  private readonly fd: number;
  private readonly layout: ReturnType<typeof chunkLayout>;
  private readonly buffer: Uint8Array;
  private readonly views: Record<string, FieldArray> = {};
  private row = 0;
  private chunks = 0;
  size = 0;

  constructor(
    readonly file: string,
    readonly fields: Readonly<Record<string, FieldSpec>>,
    readonly chunkRows: number,
  ) {
    this.fd = openSync(file, 'w');
    this.layout = chunkLayout(fields, chunkRows);
    this.buffer = new Uint8Array(this.layout.chunkBytes);
    for (const part of this.layout.parts) {
      this.views[part.name] = part.spec.dtype === 'i32' ? new Int32Array(this.buffer.buffer, part.offset, part.values) : new Float32Array(this.buffer.buffer, part.offset, part.values);
    }
  }

  append(sample: Record<string, ArrayLike<number>>): void {
    for (const part of this.layout.parts) {
      const n = sampleSize(part.spec);
      this.views[part.name].set(sample[part.name], this.row * n);
    }
    this.size++;
    if (++this.row === this.chunkRows) this.flush();
  }

  private flush(): void {
    writeSync(this.fd, this.buffer, 0, this.buffer.length, this.chunks * this.layout.chunkBytes);
    this.buffer.fill(0);
    this.chunks++;
    this.row = 0;
  }

  finish(): void {
    if (this.row > 0) this.flush();
    closeSync(this.fd);
  }
}

/** Reads a worker runs: fill the slot, then publish "chunk k is in slot s" with Atomics. */
const PREFETCH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const control = new Int32Array(workerData.control);
const bytes = new Uint8Array(workerData.data);
let fd;
parentPort.on('message', ({ slot, k, offset, length }) => {
  try {
    fd ??= fs.openSync(workerData.file, 'r');
    fs.readSync(fd, bytes, slot * length, length, offset);
    Atomics.store(control, slot, k + 1);
  } catch {
    Atomics.store(control, slot, 0); // the reader falls back to its own read, which reports the error
  }
  Atomics.notify(control, slot);
});
`;

export interface SpillSourceOptions {
  name: string;
  size: number;
  classes?: readonly string[];
  /** Chunks read ahead by the worker (0: no worker, every read on the calling thread). */
  prefetchSlots?: number;
}

export class SpillChunkSource implements ChunkSource {
  readonly name: string;
  readonly size: number;
  readonly classes?: readonly string[];
  private readonly fd: number;
  private readonly layout: ReturnType<typeof chunkLayout>;
  private worker?: Worker;
  /** Per slot: 0 free, -(k+1) loading chunk k, k+1 holding chunk k. */
  private control?: Int32Array;
  private slots?: Uint8Array;
  private nextSlot = 0;
  /** Chunks served from the prefetcher and read on this thread (for tests and benchmarks). */
  readonly counts = { prefetched: 0, direct: 0, sampleReads: 0 };

  constructor(
    readonly file: string,
    readonly fields: Readonly<Record<string, FieldSpec>>,
    readonly chunkRows: number,
    options: SpillSourceOptions,
  ) {
    this.name = options.name;
    this.size = options.size;
    this.classes = options.classes;
    this.fd = openSync(file, 'r');
    this.layout = chunkLayout(fields, chunkRows);
    const slots = options.prefetchSlots ?? 2;
    if (slots > 0) {
      const control = new SharedArrayBuffer(4 * slots);
      const data = new SharedArrayBuffer(slots * this.layout.chunkBytes);
      this.control = new Int32Array(control);
      this.slots = new Uint8Array(data);
      this.worker = new Worker(PREFETCH_WORKER, { eval: true, workerData: { file, control, data } });
      this.worker.unref();
      // A worker that dies only loses prefetching: reads continue on this thread.
      this.worker.on('error', () => (this.worker = undefined));
    }
  }

  private decode(bytes: Uint8Array): Record<string, FieldArray> {
    const out: Record<string, FieldArray> = {};
    for (const part of this.layout.parts) {
      out[part.name] = part.spec.dtype === 'i32' ? new Int32Array(bytes.buffer, bytes.byteOffset + part.offset, part.values) : new Float32Array(bytes.buffer, bytes.byteOffset + part.offset, part.values);
    }
    return out;
  }

  prefetch(k: number): void {
    const control = this.control;
    if (!control || !this.worker) return;
    for (let s = 0; s < control.length; s++) if (control[s] === k + 1 || control[s] === -(k + 1)) return;
    // Round-robin over slots that are not loading; a held chunk not yet used is overwritten.
    for (let tries = 0; tries < control.length; tries++) {
      const slot = this.nextSlot;
      this.nextSlot = (this.nextSlot + 1) % control.length;
      if (Atomics.load(control, slot) < 0) continue;
      Atomics.store(control, slot, -(k + 1));
      this.worker.postMessage({ slot, k, offset: k * this.layout.chunkBytes, length: this.layout.chunkBytes });
      return;
    }
  }

  readChunk(k: number): Record<string, FieldArray> {
    const bytes = new Uint8Array(this.layout.chunkBytes);
    const control = this.control;
    if (control && this.slots) {
      for (let s = 0; s < control.length; s++) {
        const state = Atomics.load(control, s);
        if (state === -(k + 1)) Atomics.wait(control, s, state, 5000);
        if (Atomics.load(control, s) === k + 1) {
          bytes.set(this.slots.subarray(s * this.layout.chunkBytes, (s + 1) * this.layout.chunkBytes));
          Atomics.store(control, s, 0);
          this.counts.prefetched++;
          return this.decode(bytes);
        }
      }
    }
    readSync(this.fd, bytes, 0, bytes.length, k * this.layout.chunkBytes);
    this.counts.direct++;
    return this.decode(bytes);
  }

  /** One sample read straight into `out` (host byte order is little-endian, as when it was written). */
  readSample(index: number, field: string, out: FieldArray, at: number): void {
    this.readRows(index, 1, field, out, at);
  }

  /** `count` consecutive samples of one chunk: a field's rows are contiguous in it, so one read. */
  readRows(index: number, count: number, field: string, out: FieldArray, at: number): void {
    const part = this.layout.parts.find((p) => p.name === field);
    if (!part) throw new Error(`${this.file} has no field "${field}".`);
    const n = sampleSize(part.spec);
    const k = Math.floor(index / this.chunkRows);
    if (Math.floor((index + count - 1) / this.chunkRows) !== k) throw new Error(`${this.file}: rows ${index}..${index + count - 1} span two chunks.`);
    const position = k * this.layout.chunkBytes + part.offset + (index - k * this.chunkRows) * n * 4;
    readSync(this.fd, new Uint8Array(out.buffer, out.byteOffset + at * n * 4, count * n * 4), 0, count * n * 4, position);
    this.counts.sampleReads += count;
  }

  close(): void {
    void this.worker?.terminate();
    closeSync(this.fd);
  }
}

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

/** A unique chunk file name in `cacheDir`, removed when the process exits. */
export function spillFile(cacheDir: string, prefix: string): string {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}.chunks`);
  if (spilled.size === 0) process.once('exit', () => spilled.forEach((f) => rmSync(f, { force: true })));
  spilled.add(file);
  return file;
}

/** Closes a chunk file's reader (fd, worker) and removes the file once the dataset reading it is garbage. */
const collected = new FinalizationRegistry<SpillChunkSource>((source) => {
  source.close();
  rmSync(source.file, { force: true });
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
