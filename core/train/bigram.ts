/**
 * @file The bigram baseline of a language model: p(next | current) from counts of consecutive token
 * pairs in the training windows, add-α smoothed, scored as mean cross-entropy (nats) on another
 * split's windows — the loss a model must beat to have learnt more than one token of context:
 *   p(b | a) = (n(a, b) + α) / (n(a) + α·V),  loss = −mean over pairs of ln p(next | token).
 */
import type { Dataset } from '../data/dataset';

export interface LanguageModelFields {
  /** Input ids [T] (i32) and the ids that follow each of them [T]. */
  tokens: string;
  next: string;
}

function pairs(data: Dataset, fields: LanguageModelFields, visit: (a: number, b: number) => void): void {
  const length = data.fields[fields.tokens].shape.reduce((x, y) => x * y, 1);
  const chunk = 256;
  const tokens = new Int32Array(chunk * length);
  const next = new Int32Array(chunk * length);
  for (let at = 0; at < data.size; at += chunk) {
    const n = Math.min(chunk, data.size - at);
    const rows = Int32Array.from({ length: n }, (_, i) => at + i);
    data.gather(fields.tokens, rows, tokens.subarray(0, n * length));
    data.gather(fields.next, rows, next.subarray(0, n * length));
    for (let i = 0; i < n * length; i++) visit(tokens[i], next[i]);
  }
}

export class BigramModel {
  private constructor(
    readonly vocabulary: number,
    private readonly counts: Float64Array,
    private readonly totals: Float64Array,
    readonly alpha: number,
  ) {}

  static fit(train: Dataset, fields: LanguageModelFields, vocabulary: number, alpha = 0.1): BigramModel {
    const counts = new Float64Array(vocabulary * vocabulary);
    const totals = new Float64Array(vocabulary);
    pairs(train, fields, (a, b) => {
      if (a < vocabulary && b < vocabulary) {
        counts[a * vocabulary + b]++;
        totals[a]++;
      }
    });
    return new BigramModel(vocabulary, counts, totals, alpha);
  }

  probability(a: number, b: number): number {
    const v = this.vocabulary;
    return (this.counts[a * v + b] + this.alpha) / (this.totals[a] + this.alpha * v);
  }

  /** Mean cross-entropy in nats over every (token, next) pair of `data`. */
  loss(data: Dataset, fields: LanguageModelFields): number {
    let sum = 0;
    let n = 0;
    pairs(data, fields, (a, b) => {
      sum -= Math.log(a < this.vocabulary && b < this.vocabulary ? this.probability(a, b) : this.alpha / (this.alpha * this.vocabulary));
      n++;
    });
    return n > 0 ? sum / n : NaN;
  }
}
