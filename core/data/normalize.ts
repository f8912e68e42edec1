/**
 * @file Per-channel standardization of an NCHW field, x' = (x - mean_c) / std_c, with statistics
 * from the given (training) rows only, read in batches through the Dataset interface so that a
 * streamed set never has to fit in memory.
 */
import { allocateField, FieldTransformDataset, sampleSize, type Dataset, type FieldArray } from './dataset';

export interface ChannelStatistics {
  mean: number[];
  std: number[];
}

/** Population mean and std per channel (axis 0 of the sample) over `rows`; a zero std becomes 1. */
export function channelStatistics(dataset: Dataset, field: string, rows: ArrayLike<number>, batch = 256): ChannelStatistics {
  const spec = dataset.fields[field];
  const channels = spec.shape[0] ?? 1;
  const n = sampleSize(spec);
  const plane = n / channels;
  const sum = new Float64Array(channels), sq = new Float64Array(channels);
  const out = allocateField(spec, batch);
  const indices = new Int32Array(batch);
  for (let start = 0; start < rows.length; start += batch) {
    const count = Math.min(batch, rows.length - start);
    for (let i = 0; i < count; i++) indices[i] = rows[start + i];
    dataset.gather(field, indices.subarray(0, count), out);
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < channels; c++) {
        for (let p = i * n + c * plane, end = p + plane; p < end; p++) { sum[c] += out[p]; sq[c] += out[p] * out[p]; }
      }
    }
  }
  const total = Math.max(1, rows.length * plane);
  const mean = Array.from(sum, (s) => s / total);
  // var = E[x^2] - E[x]^2 in float64; clamp tiny negative rounding.
  const std = Array.from(sq, (s, c) => Math.sqrt(Math.max(0, s / total - mean[c] ** 2)) || 1);
  return { mean, std };
}

export class ChannelNormalizedDataset extends FieldTransformDataset {
  constructor(
    base: Dataset,
    field: string,
    readonly statistics: ChannelStatistics,
  ) {
    super(base, field);
  }

  protected transform(indices: ArrayLike<number>, out: FieldArray): void {
    const { mean, std } = this.statistics;
    const n = sampleSize(this.fields[this.field]);
    const plane = n / mean.length;
    for (let i = 0; i < indices.length; i++) {
      for (let c = 0; c < mean.length; c++) {
        for (let p = i * n + c * plane, end = p + plane; p < end; p++) out[p] = (out[p] - mean[c]) / std[c];
      }
    }
  }
}

/** One numeric feature of a table: its offset in the feature vector, a fill for NaN (missing), and its scale. */
export interface FeatureScale {
  at: number;
  fill: number;
  mean: number;
  std: number;
}

/** x' = ((x is NaN ? fill : x) - mean) / std on chosen offsets of a [F] field; other offsets (one-hot blocks) pass through. */
export class FeatureNormalizedDataset extends FieldTransformDataset {
  constructor(
    base: Dataset,
    field: string,
    readonly scales: readonly FeatureScale[],
  ) {
    super(base, field);
  }

  protected transform(indices: ArrayLike<number>, out: FieldArray): void {
    const width = sampleSize(this.fields[this.field]);
    for (let i = 0; i < indices.length; i++) {
      const row = i * width;
      for (const { at, fill, mean, std } of this.scales) {
        const x = out[row + at];
        out[row + at] = ((Number.isNaN(x) ? fill : x) - mean) / std;
      }
    }
  }
}
