/**
 * @file Plain text for language models: a character vocabulary (every distinct code point) or a
 * simple word vocabulary (lower-cased words and punctuation marks, the most frequent `vocabSize`,
 * the rest as "<unk>"), and next-token windows: `tokens` [T] i32 and `next` [T] i32 where
 * next[t] = tokens[t + 1] in the text. Windows are cut on the fly from one token array.
 */
import type { Dataset, FieldArray, FieldSpec } from './dataset';
import { DatasetError } from './errors';

export interface TextOptions {
  level?: 'char' | 'word';
  /** Window length T (default 64). */
  length?: number;
  /** Rows between window starts (default T). */
  stride?: number;
  /** Word level: vocabulary size including "<unk>" (default 2000). */
  vocabSize?: number;
}

export const UNK = '<unk>';

export function tokenizeWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9']+|[^\sa-z0-9']/g) ?? [];
}

export function buildVocabulary(text: string, options: TextOptions): { vocabulary: string[]; ids: Int32Array } {
  if ((options.level ?? 'char') === 'char') {
    const chars = Array.from(text);
    const vocabulary = [...new Set(chars)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const index = new Map(vocabulary.map((c, i) => [c, i]));
    return { vocabulary, ids: Int32Array.from(chars, (c) => index.get(c)!) };
  }
  const words = tokenizeWords(text);
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const vocabulary = [UNK, ...ranked.slice(0, Math.max(1, (options.vocabSize ?? 2000) - 1))];
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  return { vocabulary, ids: Int32Array.from(words, (w) => index.get(w) ?? 0) };
}

export class TextWindowDataset implements Dataset {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly size: number;

  constructor(
    readonly name: string,
    readonly ids: Int32Array,
    readonly classes: readonly string[],
    private readonly length: number,
    private readonly stride: number,
    /** Only windows whose start lies in [from, to) — a contiguous part of the text (splits). */
    private readonly from = 0,
    private readonly to = ids.length,
  ) {
    this.size = Math.max(0, Math.floor((to - from - length - 1) / stride) + 1);
    this.fields = { tokens: { shape: [length], dtype: 'i32' }, next: { shape: [length], dtype: 'i32' } };
  }

  gather(field: string, indices: ArrayLike<number>, out: FieldArray): void {
    if (field !== 'tokens' && field !== 'next') throw new DatasetError('E_DATA_UNKNOWN_COLUMN', `Dataset ${this.name} has no field "${field}" (it has tokens, next).`);
    const shift = field === 'next' ? 1 : 0;
    for (let i = 0; i < indices.length; i++) {
      const start = this.from + indices[i] * this.stride + shift;
      out.set(this.ids.subarray(start, start + this.length), i * this.length);
    }
  }
}

/** Split the text at a token boundary: the last `testFraction` of it is the test set (no overlap). */
export function importText(text: string, file: string, options: TextOptions, testFraction = 0.1): { train: TextWindowDataset; test?: TextWindowDataset; vocabulary: string[]; tokens: number } {
  if (text.trim() === '') throw new DatasetError('E_DATA_EMPTY', `${file} holds no text.`, { file });
  const length = options.length ?? 64;
  const stride = options.stride ?? length;
  const { vocabulary, ids } = buildVocabulary(text, options);
  if (ids.length < length + 1) {
    throw new DatasetError('E_DATA_WINDOW_TOO_LONG', `${file}: a window of ${length} tokens needs at least ${length + 1} tokens, and the text has ${ids.length}; choose a shorter window or a longer text.`, { file });
  }
  const cut = testFraction > 0 ? Math.floor(ids.length * (1 - testFraction)) : ids.length;
  const train = new TextWindowDataset(`${file}-train`, ids, vocabulary, length, stride, 0, cut);
  const test = cut < ids.length ? new TextWindowDataset(`${file}-test`, ids, vocabulary, length, stride, cut, ids.length) : undefined;
  if (train.size === 0) throw new DatasetError('E_DATA_WINDOW_TOO_LONG', `${file}: no training window of ${length} tokens fits; choose a shorter window.`, { file });
  return { train, test: test && test.size > 0 ? test : undefined, vocabulary, tokens: ids.length };
}
