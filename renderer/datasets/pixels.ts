/**
 * @file Samples to pictures: a CHW float image (values in [0, 1], or standardized) to RGBA bytes
 * for a canvas, rescaled to its own min..max when it leaves [0, 1]; and token ids back to text.
 */

export function chwToRgba(values: ArrayLike<number>, channels: number, height: number, width: number): Uint8ClampedArray<ArrayBuffer> {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) { min = Math.min(min, values[i]); max = Math.max(max, values[i]); }
  const inUnit = min >= 0 && max <= 1;
  const lo = inUnit ? 0 : min, span = inUnit ? 1 : max - min || 1;
  const out = new Uint8ClampedArray(height * width * 4);
  const plane = height * width;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round((255 * (values[(channels === 3 ? c : 0) * plane + i] - lo)) / span);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Token ids to text through the vocabulary (the dataset's classes); words are joined by spaces. */
export function detokenize(ids: readonly number[], vocabulary: readonly string[]): string {
  const tokens = ids.map((id) => vocabulary[id] ?? '?');
  const characters = vocabulary.every((t) => Array.from(t).length === 1);
  return characters ? tokens.join('') : tokens.join(' ');
}
