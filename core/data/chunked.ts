/**
 * @file Datasets larger than memory: samples live in fixed-size chunks behind a `ChunkSource`
 * (a file on disk in electron/), and a `ChunkedDataset` keeps at most `maxChunks` decoded chunks
 * in a least-recently-used cache. The training loop sees a plain `Dataset`: it never knows
 * whether batches come from memory, a file, or a prefetching worker.
 *
 * Access pattern: a shuffled batch of B rows over C chunks touches ~B/C rows per chunk, so loading
 * whole chunks would read chunkRows/(B/C) times more than needed. A chunk that is not cached is
 * therefore loaded (and the next one prefetched) only when the batch needs at least
 * chunkRows/8 of its rows, or a dense run of them (sequential reads: evaluation, previews);
 * otherwise its rows are read one by one (`readSample`). A run of consecutive rows (the window of a series) is read the same
 * way: from the cache, or with one positioned read per chunk it spans (`readRows`) when it is
 * under chunkRows/8 rows, or by loading the chunk.
 *
 * Shuffled batches: the trainer announces the next batch (`willGather`) while the current step
 * computes; a source that can (`stage`) reads those rows on another thread, and the `gather`s of
 * exactly that batch copy them from the staged rows. Anything else (another batch, a failed or
 * refused stage) takes the synchronous path above, so values never depend on timing.
 *
 * Memory bound: at most maxChunks decoded chunks (`held`), plus the source's prefetch slots and
 * its staged batch (the source states its bound).
 */
import { sampleSize, type FieldArray, type FieldSpec, type RangeDataset } from './dataset';

export interface ChunkSource {
  readonly name: string;
  readonly size: number;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly classes?: readonly string[];
  /** Samples per chunk (the last chunk may hold fewer). */
  readonly chunkRows: number;
  /** Chunk k: one array per field, rows * sampleSize(field) values. */
  readChunk(k: number): Record<string, FieldArray>;
  /** Hint that chunk k is needed soon (a background read may start). */
  prefetch?(k: number): void;
  /** Copy one sample of one field straight into `out` at sample slot `at` (random access without loading its chunk). */
  readSample?(index: number, field: string, out: FieldArray, at: number): void;
  /** Copy `count` consecutive samples, all in one chunk, straight into `out` from sample slot `at`. */
  readRows?(index: number, count: number, field: string, out: FieldArray, at: number): void;
  /**
   * Start reading the samples `rows` (a batch, in batch order; the array is the caller's to reuse
   * after the call) on another thread, replacing any batch staged before. False when it cannot
   * (no worker, a batch above its bound): the batch is then read by `gather` as usual.
   */
  stage?(rows: Int32Array): boolean;
  /** Copy `field` of the staged batch, in batch order, into `out`, waiting for the read; false when the read failed. */
  readStaged?(field: string, out: FieldArray): boolean;
}

/** Bytes of one decoded chunk. */
export const chunkBytes = (fields: Readonly<Record<string, FieldSpec>>, chunkRows: number): number =>
  Object.values(fields).reduce((a, spec) => a + chunkRows * sampleSize(spec) * 4, 0);

/** The most chunks a cache of `bytes` holds (at least 2: the one in use and the next). */
export const chunksWithin = (bytes: number, fields: Readonly<Record<string, FieldSpec>>, chunkRows: number): number =>
  Math.max(2, Math.floor(bytes / chunkBytes(fields, chunkRows)));

export interface ChunkCacheStats {
  hits: number;
  misses: number;
  /** Chunks held right now (never above maxChunks). */
  held: number;
  /** Samples read one by one (sparse access). */
  sampleReads: number;
  /** Announced batches handed to the source's worker. */
  stagedBatches: number;
  /** Samples (per field gathered) served from a staged batch. */
  stagedRows: number;
  /** Staged batches whose read failed, served by the synchronous path instead. */
  stageFailures: number;
}

export class ChunkedDataset implements RangeDataset {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly classes?: readonly string[];
  readonly name: string;
  readonly size: number;
  private readonly cache = new Map<number, Record<string, FieldArray>>();
  readonly stats: ChunkCacheStats = { hits: 0, misses: 0, held: 0, sampleReads: 0, stagedBatches: 0, stagedRows: 0, stageFailures: 0 };
  /** The batch last handed to `source.stage` (its own copy), or length 0 when none is staged. */
  private staged = new Int32Array(0);
  private stagedBuffer = new Int32Array(0);

  constructor(
    private readonly source: ChunkSource,
    readonly maxChunks = 8,
  ) {
    this.fields = source.fields;
    this.classes = source.classes;
    this.name = source.name;
    this.size = source.size;
  }

  private chunk(k: number): Record<string, FieldArray> {
    const hit = this.cache.get(k);
    if (hit) {
      this.stats.hits++;
      // Map keeps insertion order: re-insert to mark it most recently used.
      this.cache.delete(k);
      this.cache.set(k, hit);
      return hit;
    }
    this.stats.misses++;
    const loaded = this.source.readChunk(k);
    if (this.cache.size >= this.maxChunks) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(k, loaded);
    this.stats.held = this.cache.size;
    const following = k + 1;
    if (this.source.prefetch && following * this.source.chunkRows < this.size && !this.cache.has(following)) this.source.prefetch(following);
    return loaded;
  }

  willGather(indices: ArrayLike<number>): void {
    this.staged = this.staged.subarray(0, 0);
    const rows = this.source.chunkRows;
    if (!this.source.stage || indices.length === 0) return;
    if (this.stagedBuffer.length < indices.length) this.stagedBuffer = new Int32Array(indices.length);
    const batch = this.stagedBuffer.subarray(0, indices.length);
    // Rows out of range are gather's to report; rows all in cached chunks are served at memory speed.
    let uncached = false;
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      if (!(index >= 0 && index < this.size && Number.isInteger(index))) return;
      batch[i] = index;
      uncached ||= !this.cache.has(Math.floor(index / rows));
    }
    if (!uncached || !this.source.stage(batch)) return;
    this.staged = batch;
    this.stats.stagedBatches++;
  }

  /** Serve `indices` from the staged batch when they are exactly that batch and its read succeeded. */
  private fromStaged(field: string, indices: ArrayLike<number>, out: FieldArray): boolean {
    const staged = this.staged;
    if (staged.length === 0 || indices.length !== staged.length) return false;
    for (let i = 0; i < staged.length; i++) if (indices[i] !== staged[i]) return false;
    if (this.source.readStaged!(field, out)) {
      this.stats.stagedRows += staged.length;
      return true;
    }
    this.stats.stageFailures++;
    this.staged = staged.subarray(0, 0);
    return false;
  }

  gather(field: string, indices: ArrayLike<number>, out: FieldArray): void {
    const spec = this.fields[field];
    if (!spec) throw new Error(`Dataset ${this.name} has no field "${field}" (it has ${Object.keys(this.fields).join(', ')}).`);
    if (this.fromStaged(field, indices, out)) return;
    const n = sampleSize(spec);
    const rows = this.source.chunkRows;
    const direct = this.source.readSample ? this.sparseChunks(indices) : undefined;
    // Consecutive indices mostly share a chunk: look it up (and touch the LRU order) once per run.
    let current = -1;
    let values: FieldArray | undefined;
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      const k = Math.floor(index / rows);
      if (direct?.has(k)) {
        this.stats.sampleReads++;
        this.source.readSample!(index, field, out, i);
        continue;
      }
      if (k !== current) {
        values = this.chunk(k)[field];
        current = k;
      }
      const at = (index - k * rows) * n;
      if (n === 1) out[i] = values![at];
      else out.set(values!.subarray(at, at + n), i * n);
    }
  }

  gatherRange(field: string, start: number, count: number, out: FieldArray, at: number): void {
    const spec = this.fields[field];
    if (!spec) throw new Error(`Dataset ${this.name} has no field "${field}" (it has ${Object.keys(this.fields).join(', ')}).`);
    const n = sampleSize(spec);
    const rows = this.source.chunkRows;
    for (let index = start, end = start + count; index < end; ) {
      const k = Math.floor(index / rows);
      const run = Math.min(end, (k + 1) * rows) - index;
      const slot = at + index - start;
      if (!this.cache.has(k) && this.source.readRows && run * 8 < rows) {
        this.stats.sampleReads += run;
        this.source.readRows(index, run, field, out, slot);
      } else {
        const from = (index - k * rows) * n;
        out.set(this.chunk(k)[field].subarray(from, from + run * n), slot * n);
      }
      index += run;
    }
  }

  /**
   * Uncached chunks this batch reads sparsely: fewer than chunkRows/8 of their rows, unless those
   * rows are a dense run (at least 16 rows, at least half of the span they cover: an in-order pass
   * over a split, whose next batches need the rest of the chunk).
   */
  private sparseChunks(indices: ArrayLike<number>): Set<number> {
    const seen = new Map<number, { count: number; min: number; max: number }>();
    const rows = this.source.chunkRows;
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      const k = Math.floor(index / rows);
      if (this.cache.has(k)) continue;
      const s = seen.get(k);
      if (!s) seen.set(k, { count: 1, min: index, max: index });
      else { s.count++; s.min = Math.min(s.min, index); s.max = Math.max(s.max, index); }
    }
    const sparse = new Set<number>();
    for (const [k, { count, min, max }] of seen) {
      const run = count >= 16 && max - min + 1 <= 2 * count;
      if (count * 8 < rows && !run) sparse.add(k);
    }
    return sparse;
  }
}
