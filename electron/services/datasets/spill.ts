/**
 * @file Decoded samples spilled to a file in fixed-size chunks, read back by chunk: the disk side
 * of `ChunkedDataset`. Chunk k starts at byte k * chunkBytes and holds chunkRows records; a record
 * is one sample's fields back to back, 4-byte values (f32 or i32, little-endian; the last chunk is
 * padded). Records keep a sample in one place, so a shuffled batch reads each sample with one
 * positioned read: the fields it does not ask for yet wait in a small record cache for the next
 * `gather` (the trainer reads the features, then the label, of the same rows).
 * A worker thread reads the chunks asked for ahead of time into a SharedArrayBuffer, so the
 * training loop's in-order `gather` finds them decoded without waiting on the disk; it also reads
 * the records of an announced shuffled batch (`stage`: positioned reads in file order, adjacent
 * records coalesced) into a staging buffer of at most STAGE_BYTES while the current step computes.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { planReads, sampleSize, type ChunkSource, type FieldArray, type FieldSpec } from '../../../core/data';

/** Field offsets within a record, in 4-byte values. */
function recordLayout(fields: Readonly<Record<string, FieldSpec>>, chunkRows: number) {
  let offset = 0;
  const parts = Object.entries(fields).map(([name, spec]) => {
    const n = sampleSize(spec);
    const part = { name, spec, offset, n };
    offset += n;
    return part;
  });
  return { parts, recordValues: offset, recordBytes: offset * 4, chunkBytes: chunkRows * offset * 4 };
}

type Layout = ReturnType<typeof recordLayout>;

/** Float32 and Int32 views of the same bytes (a record mixes both). */
const viewsOf = (bytes: Uint8Array) => ({
  f32: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2),
  i32: new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2),
});

export class SpillWriter {
  private readonly fd: number;
  private readonly layout: Layout;
  private readonly buffer: Uint8Array;
  private readonly views: ReturnType<typeof viewsOf>;
  private row = 0;
  private chunks = 0;
  size = 0;

  constructor(
    readonly file: string,
    readonly fields: Readonly<Record<string, FieldSpec>>,
    readonly chunkRows: number,
  ) {
    this.fd = openSync(file, 'w');
    this.layout = recordLayout(fields, chunkRows);
    this.buffer = new Uint8Array(this.layout.chunkBytes);
    this.views = viewsOf(this.buffer);
  }

  append(sample: Record<string, ArrayLike<number>>): void {
    const base = this.row * this.layout.recordValues;
    for (const part of this.layout.parts) (part.spec.dtype === 'i32' ? this.views.i32 : this.views.f32).set(sample[part.name], base + part.offset);
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

/** Records read one by one, kept for the next gather of their other fields: FIFO over a fixed buffer. */
class RecordCache {
  private readonly slotOf = new Map<number, number>();
  private readonly keys: Int32Array;
  private readonly bytes: Uint8Array;
  readonly views: ReturnType<typeof viewsOf>;
  private next = 0;

  constructor(
    private readonly recordBytes: number,
    capacity: number,
  ) {
    this.keys = new Int32Array(capacity).fill(-1);
    this.bytes = new Uint8Array(capacity * recordBytes);
    this.views = viewsOf(this.bytes);
  }

  /** The slot holding record `index`, read with `read(into)` when it is not there. */
  slot(index: number, read: (into: Uint8Array) => void): { slot: number; hit: boolean } {
    const held = this.slotOf.get(index);
    if (held !== undefined) return { slot: held, hit: true };
    const slot = this.next;
    this.next = (slot + 1) % this.keys.length;
    if (this.keys[slot] >= 0) this.slotOf.delete(this.keys[slot]);
    read(this.bytes.subarray(slot * this.recordBytes, (slot + 1) * this.recordBytes));
    this.keys[slot] = index;
    this.slotOf.set(index, slot);
    return { slot, hit: false };
  }
}

/** Bytes of records kept for their other fields (part of a spilled dataset's memory bound). */
const RECORD_CACHE_BYTES = 4 * 2 ** 20;

/** The most bytes of one staged batch of records (with the gaps bridged); a bigger batch is read by gather. */
export const STAGE_BYTES = 16 * 2 ** 20;
/** Gaps between staged rows up to this many bytes are read through rather than split into two reads. */
const STAGE_GAP_BYTES = 4096;
/** How long a gather waits for a staged batch before it reads the batch itself. */
const STAGE_WAIT_MS = 5000;

/**
 * Reads a worker runs: fill the slot, then publish "chunk k is in slot s" with Atomics; or read a
 * staged batch's runs back to back into the staging buffer, then publish its ticket (-ticket: failed).
 */
const PREFETCH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const control = new Int32Array(workerData.control);
const bytes = new Uint8Array(workerData.data);
const staged = new Int32Array(workerData.stageControl);
let fd;
parentPort.on('message', ({ slot, k, offset, length, ticket, runs, buffer, recordBytes }) => {
  if (ticket !== undefined) {
    try {
      fd ??= fs.openSync(workerData.file, 'r');
      const into = new Uint8Array(buffer);
      for (let j = 0, at = 0; j < runs.length; j += 2) {
        const length = runs[j + 1] * recordBytes;
        // a short read (a file cut short) must not leave an older batch's bytes in place
        if (fs.readSync(fd, into, at, length, runs[j] * recordBytes) !== length) throw new Error('short read');
        at += length;
      }
      Atomics.store(staged, 0, ticket);
    } catch {
      Atomics.store(staged, 0, -ticket); // gather reads the batch itself, which reports the error
    }
    Atomics.notify(staged, 0);
    return;
  }
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
  private readonly layout: Layout;
  private readonly records?: RecordCache;
  private scratch = new Uint8Array(0);
  private chunkBuffer = new Uint8Array(0);
  private closed = false;
  private worker?: Worker;
  /** Per slot: 0 free, -(k+1) loading chunk k, k+1 holding chunk k. */
  private control?: Int32Array;
  private slots?: Uint8Array;
  private nextSlot = 0;
  /** The staged batch: its ticket (published by the worker when read), buffer, and each position's record slot. */
  private stageControl?: Int32Array;
  private stageBuffer?: SharedArrayBuffer;
  private stageViews?: ReturnType<typeof viewsOf>;
  private stageSlots?: Int32Array;
  private ticket = 0;
  /**
   * Chunks served from the prefetcher and read on this thread; records the worker staged and the
   * reads it took (for tests and benchmarks).
   */
  readonly counts = { prefetched: 0, direct: 0, sampleReads: 0, recordHits: 0, staged: 0, stageReads: 0 };

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
    this.layout = recordLayout(fields, chunkRows);
    if (this.layout.parts.length > 1) this.records = new RecordCache(this.layout.recordBytes, Math.max(64, Math.floor(RECORD_CACHE_BYTES / this.layout.recordBytes)));
    const slots = options.prefetchSlots ?? 2;
    if (slots > 0) {
      const control = new SharedArrayBuffer(4 * slots);
      const data = new SharedArrayBuffer(slots * this.layout.chunkBytes);
      const stageControl = new SharedArrayBuffer(4);
      this.control = new Int32Array(control);
      this.slots = new Uint8Array(data);
      this.stageControl = new Int32Array(stageControl);
      this.worker = new Worker(PREFETCH_WORKER, { eval: true, workerData: { file, control, data, stageControl } });
      this.worker.unref();
      // A worker that dies only loses prefetching: reads continue on this thread.
      this.worker.on('error', () => (this.worker = undefined));
    }
  }

  /** A chunk's records to one array per field (a single field is its records already). */
  private decode(bytes: Uint8Array): Record<string, FieldArray> {
    const { parts, recordValues } = this.layout;
    if (parts.length === 1) {
      const [part] = parts;
      return { [part.name]: part.spec.dtype === 'i32' ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2) : new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2) };
    }
    const views = viewsOf(bytes);
    const out: Record<string, FieldArray> = {};
    for (const { name, spec, offset, n } of parts) {
      const src = spec.dtype === 'i32' ? views.i32 : views.f32;
      const dst = spec.dtype === 'i32' ? new Int32Array(this.chunkRows * n) : new Float32Array(this.chunkRows * n);
      // Short fields copy value by value (a subarray per row costs more than the copy).
      for (let r = 0, at = offset, to = 0; r < this.chunkRows; r++, at += recordValues, to += n) {
        if (n <= 64) for (let j = 0; j < n; j++) dst[to + j] = src[at + j];
        else dst.set(src.subarray(at, at + n), to);
      }
      out[name] = dst;
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
    const { chunkBytes, parts } = this.layout;
    // One field: the decoded chunk is a view of its bytes, which must be its own. Several: decoding
    // copies each field out, so the bytes can be the prefetch slot or a reused buffer.
    const own = parts.length === 1;
    const control = this.control;
    if (control && this.slots) {
      for (let s = 0; s < control.length; s++) {
        const state = Atomics.load(control, s);
        if (state === -(k + 1)) Atomics.wait(control, s, state, 5000);
        if (Atomics.load(control, s) === k + 1) {
          const slot = this.slots.subarray(s * chunkBytes, (s + 1) * chunkBytes);
          const chunk = this.decode(own ? slot.slice() : slot);
          Atomics.store(control, s, 0);
          this.counts.prefetched++;
          return chunk;
        }
      }
    }
    if (!own && this.chunkBuffer.length !== chunkBytes) this.chunkBuffer = new Uint8Array(chunkBytes);
    const bytes = own ? new Uint8Array(chunkBytes) : this.chunkBuffer;
    readSync(this.fd, bytes, 0, chunkBytes, k * chunkBytes);
    this.counts.direct++;
    return this.decode(bytes);
  }

  /**
   * Hand `rows` to the worker. The buffer is replaced only when it is too small: the worker reads
   * requests in order and gather reads the buffer only once its ticket is published, so a batch
   * abandoned mid-read never overlaps the one being read.
   */
  stage(rows: Int32Array): boolean {
    if (!this.worker || !this.stageControl) return false;
    const { recordBytes } = this.layout;
    const maxRecords = Math.floor(STAGE_BYTES / recordBytes);
    const plan = planReads(rows, Math.floor(STAGE_GAP_BYTES / recordBytes), maxRecords) ?? planReads(rows, 0, maxRecords);
    if (!plan) return false;
    const bytes = plan.records * recordBytes;
    if (!this.stageBuffer || this.stageBuffer.byteLength < bytes) {
      this.stageBuffer = new SharedArrayBuffer(Math.min(Math.max(bytes, 2 * (this.stageBuffer?.byteLength ?? 0)), maxRecords * recordBytes));
      this.stageViews = viewsOf(new Uint8Array(this.stageBuffer));
    }
    this.ticket = (this.ticket % 0x3fffffff) + 1;
    this.stageSlots = plan.slotOf;
    this.worker.postMessage({ ticket: this.ticket, runs: plan.runs, buffer: this.stageBuffer, recordBytes });
    this.counts.staged += plan.records;
    this.counts.stageReads += plan.runs.length / 2;
    return true;
  }

  /** Bytes of the staging buffer now (never above STAGE_BYTES; 0 before the first stage). */
  get stageBufferBytes(): number {
    return this.stageBuffer?.byteLength ?? 0;
  }

  readStaged(field: string, out: FieldArray): boolean {
    const control = this.stageControl, views = this.stageViews, slots = this.stageSlots;
    if (!control || !views || !slots) return false;
    for (let state = Atomics.load(control, 0); state !== this.ticket; state = Atomics.load(control, 0)) {
      // An older ticket finishing wakes us too; only a read that never finishes times out.
      if (state === -this.ticket || Atomics.wait(control, 0, state, STAGE_WAIT_MS) === 'timed-out') return false;
    }
    const part = this.layout.parts.find((p) => p.name === field);
    if (!part) throw new Error(`${this.file} has no field "${field}".`);
    const { recordValues } = this.layout;
    const { n, offset } = part;
    const src = part.spec.dtype === 'i32' ? views.i32 : views.f32;
    for (let i = 0; i < slots.length; i++) {
      const from = slots[i] * recordValues + offset, to = i * n;
      if (n <= 64) for (let j = 0; j < n; j++) out[to + j] = src[from + j];
      else out.set(src.subarray(from, from + n), to);
    }
    return true;
  }

  /** One sample read straight into `out` (host byte order is little-endian, as when it was written). */
  readSample(index: number, field: string, out: FieldArray, at: number): void {
    this.readRows(index, 1, field, out, at);
  }

  /**
   * `count` consecutive samples of one chunk: their records are contiguous, so one read. A single
   * record goes through the record cache (its other fields are asked for next).
   */
  readRows(index: number, count: number, field: string, out: FieldArray, at: number): void {
    const part = this.layout.parts.find((p) => p.name === field);
    if (!part) throw new Error(`${this.file} has no field "${field}".`);
    const k = Math.floor(index / this.chunkRows);
    if (Math.floor((index + count - 1) / this.chunkRows) !== k) throw new Error(`${this.file}: rows ${index}..${index + count - 1} span two chunks.`);
    const { recordBytes, recordValues } = this.layout;
    const position = k * this.layout.chunkBytes + (index - k * this.chunkRows) * recordBytes;
    const { n, offset } = part;
    if (!this.records) {
      readSync(this.fd, new Uint8Array(out.buffer, out.byteOffset + at * n * 4, count * n * 4), 0, count * n * 4, position);
      this.counts.sampleReads += count;
      return;
    }
    if (count === 1) {
      const { slot, hit } = this.records.slot(index, (into) => readSync(this.fd, into, 0, recordBytes, position));
      if (hit) this.counts.recordHits++;
      else this.counts.sampleReads++;
      const src = part.spec.dtype === 'i32' ? this.records.views.i32 : this.records.views.f32;
      out.set(src.subarray(slot * recordValues + offset, slot * recordValues + offset + n), at * n);
      return;
    }
    if (this.scratch.length < count * recordBytes) this.scratch = new Uint8Array(count * recordBytes);
    readSync(this.fd, this.scratch, 0, count * recordBytes, position);
    this.counts.sampleReads += count;
    const views = viewsOf(this.scratch);
    const src = part.spec.dtype === 'i32' ? views.i32 : views.f32;
    for (let r = 0; r < count; r++) out.set(src.subarray(r * recordValues + offset, r * recordValues + offset + n), (at + r) * n);
  }

  /** Idempotent: a descriptor closed twice could close another file that reused its number. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker?.terminate();
    closeSync(this.fd);
  }
}
