/**
 * @file Batches for a plan: the fields a network reads, gathered from a dataset into buffers
 * allocated once, in a seeded order that changes every epoch.
 */
import { allocateField, type Dataset, type FieldArray, type FieldSpec } from '../data/dataset';
import { permutation } from '../data/split';

/** A field the plan reads: the dataset field name and the plan input it feeds. */
export interface Feed {
  field: string;
  input: string;
  spec: FieldSpec;
}

export class Batcher {
  private readonly buffers: Record<string, FieldArray> = {};

  constructor(
    private readonly data: Dataset,
    private readonly feeds: readonly Feed[],
    readonly batchSize: number,
  ) {
    for (const feed of feeds) {
      const have = data.fields[feed.field];
      if (!have) throw new Error(`The dataset "${data.name}" has no field "${feed.field}" (it has ${Object.keys(data.fields).join(', ')}).`);
      const sameShape = have.shape.length === feed.spec.shape.length && have.shape.every((d, i) => d === feed.spec.shape[i]);
      if (!sameShape) throw new Error(`The network reads "${feed.field}" as [${feed.spec.shape.join(', ')}] but the dataset "${data.name}" holds [${have.shape.join(', ')}].`);
      this.buffers[feed.input] = allocateField(have, batchSize);
    }
  }

  /** Fill the buffers with `indices` (at most batchSize of them) and return plan inputs viewing them. */
  fill(indices: ArrayLike<number>): Record<string, FieldArray> {
    const inputs: Record<string, FieldArray> = {};
    for (const feed of this.feeds) {
      const buffer = this.buffers[feed.input];
      const n = buffer.length / this.batchSize;
      const view = indices.length === this.batchSize ? buffer : buffer.subarray(0, indices.length * n);
      this.data.gather(feed.field, indices, view);
      inputs[feed.input] = view;
    }
    return inputs;
  }
}

/** The order of one epoch: a permutation seeded by (seed, epoch), so a resumed run sees the same batches. */
export function epochOrder(size: number, seed: number, epoch: number): Int32Array {
  return permutation(size, (Math.imul(seed, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
}

/** Full batches of an epoch's order (the remainder is dropped in training; it is shuffled in next epoch). */
export function* fullBatches(order: Int32Array, batchSize: number): Generator<Int32Array> {
  for (let at = 0; at + batchSize <= order.length; at += batchSize) yield order.subarray(at, at + batchSize);
}

/** Every sample once, in order, the last batch possibly short (evaluation). */
export function* allBatches(size: number, batchSize: number): Generator<Int32Array> {
  for (let at = 0; at < size; at += batchSize) {
    const n = Math.min(batchSize, size - at);
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = at + i;
    yield rows;
  }
}
