/**
 * @file Seeded image augmentation for training rows only: a horizontal flip, a shift of up to
 * `shift` pixels and a rotation of up to `rotate` degrees (nearest neighbour, zero fill), on an
 * NCHW `image` field. Row r's transform at the c-th gather call comes from splitmix32(seed, c, r),
 * so the same seed and the same batch order give the same pixels on every machine.
 */
import { FieldTransformDataset, sampleSize, type Dataset, type FieldArray } from './dataset';
import { splitmix32 } from './split';

export interface AugmentOptions {
  flip?: boolean;
  /** Pixels, each way. */
  shift?: number;
  /** Degrees, each way. */
  rotate?: number;
}

export class AugmentedDataset extends FieldTransformDataset {
  private calls = 0;
  /** one source sample, reused across gathers */
  private src = new Float32Array(0);
  private readonly augmentRow: Uint8Array;

  constructor(
    base: Dataset,
    private readonly options: AugmentOptions,
    private readonly seed: number,
    /** Rows that may be augmented (the training rows); every other row passes through untouched. */
    trainRows: ArrayLike<number>,
    field = 'image',
  ) {
    super(base, field);
    this.augmentRow = new Uint8Array(base.size);
    for (let i = 0; i < trainRows.length; i++) this.augmentRow[trainRows[i]] = 1;
  }

  protected transform(indices: ArrayLike<number>, out: FieldArray): void {
    const call = this.calls++;
    const [C, H, W] = this.fields[this.field].shape;
    const n = sampleSize(this.fields[this.field]);
    if (this.src.length !== n) this.src = new Float32Array(n);
    const src = this.src;
    for (let i = 0; i < indices.length; i++) {
      if (!this.augmentRow[indices[i]]) continue;
      const next = splitmix32((this.seed ^ Math.imul(call + 1, 0x9e3779b1) ^ Math.imul(indices[i] + 1, 0x85ebca6b)) >>> 0);
      const u = () => next() / 4294967296;
      const flip = this.options.flip === true && u() < 0.5;
      const s = this.options.shift ?? 0;
      const dx = Math.round((2 * u() - 1) * s), dy = Math.round((2 * u() - 1) * s);
      const angle = (((2 * u() - 1) * (this.options.rotate ?? 0)) * Math.PI) / 180;
      const cos = Math.cos(angle), sin = Math.sin(angle);
      const cx = (W - 1) / 2, cy = (H - 1) / 2;
      src.set(out.subarray(i * n, (i + 1) * n));
      // Output pixel (y, x) reads the input at the inverse transform: unshift, unrotate, unflip.
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const px = x - dx - cx, py = y - dy - cy;
          let sx = Math.round(cos * px + sin * py + cx);
          const sy = Math.round(-sin * px + cos * py + cy);
          if (flip) sx = W - 1 - sx;
          const inside = sx >= 0 && sx < W && sy >= 0 && sy < H;
          for (let c = 0; c < C; c++) out[i * n + (c * H + y) * W + x] = inside ? src[(c * H + sy) * W + sx] : 0;
        }
      }
    }
  }
}
