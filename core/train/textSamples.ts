/**
 * @file Generated text of a language model while it trains: a model that reads token ids [T] and
 * predicts the next id at every position (a CrossEntropyLoss over the dataset's vocabulary) continues
 * a few prompts from the validation text. Each new token is drawn from softmax(logits / τ) at the
 * last position of the window; the window then slides by one. Sampling uses a seeded generator, so
 * a run's samples are reproducible. The bigram baseline's validation loss rides along.
 */
import type { Executable } from '../backends/backend';
import type { Dataset } from '../data/dataset';
import { splitmix32 } from '../data/split';
import { BigramModel } from './bigram';
import { runEvent, type RunEvent } from './events';
import type { CompiledModel } from './program';

export interface TextSetup {
  tokens: { field: string; input: string };
  target: { field: string; input: string };
  length: number;
  vocabulary: readonly string[];
  prompts: Int32Array[];
  baselineLoss?: number;
}

export const TEXT_PROMPTS = 2;
export const TEXT_TOKENS = 160;
export const TEXT_TEMPERATURE = 0.9;

/** The setup when the model is a next-token language model over `train`'s vocabulary; else undefined. */
export function textSetup(model: CompiledModel, train: Dataset, validation: Dataset): TextSetup | undefined {
  if (model.task.kind !== 'classification' || !train.classes || train.classes.length !== model.task.classes) return undefined;
  const tokens = model.feeds.filter((f) => f.field !== model.targetField);
  const target = model.feeds.find((f) => f.field === model.targetField);
  if (tokens.length !== 1 || !target || tokens[0].spec.dtype !== 'i32' || tokens[0].spec.shape.length !== 1 || target.spec.shape.join() !== tokens[0].spec.shape.join()) return undefined;
  const length = tokens[0].spec.shape[0];
  const source = validation.size > 0 ? validation : train;
  // prompts that end inside the text, not in a run of white space (a corpus with indented
  // paragraphs would otherwise be continued by more spaces)
  const vocabulary = train.classes;
  const prompts = Array.from({ length: Math.min(TEXT_PROMPTS, source.size) }, (_, i) => {
    const ids = new Int32Array(length);
    const start = Math.floor((i * source.size) / TEXT_PROMPTS);
    for (let row = start; row < Math.min(source.size, start + 64); row++) {
      source.gather(tokens[0].field, [row], ids);
      if ((vocabulary[ids[length - 1]] ?? '').trim() !== '') break;
    }
    return ids;
  });
  const fields = { tokens: tokens[0].field, next: target.field };
  const baselineLoss = validation.size > 0 ? BigramModel.fit(train, fields, model.task.classes).loss(validation, fields) : undefined;
  return { tokens: tokens[0], target, length, vocabulary: train.classes, prompts, ...(baselineLoss !== undefined ? { baselineLoss } : {}) };
}

/** Continue each prompt by `count` tokens and report them as a `text` event. */
export async function textEvent(model: CompiledModel, setup: TextSetup, epoch: number, step: number, count = TEXT_TOKENS, temperature = TEXT_TEMPERATURE): Promise<RunEvent | undefined> {
  const rows = setup.prompts.length;
  if (rows === 0) return undefined;
  const executable = model.evaluator(rows);
  if (!('run' in executable)) return undefined;
  const T = setup.length;
  const V = setup.vocabulary.length;
  const windows = new Int32Array(rows * T);
  setup.prompts.forEach((p, r) => windows.set(p, r * T));
  const target = new Int32Array(rows * T);
  const generated: number[][] = Array.from({ length: rows }, () => []);
  const random = splitmix32((epoch * 0x9e3779b1) >>> 0);
  const weights = new Float64Array(V);
  for (let n = 0; n < count; n++) {
    const logits = (await (executable as Executable).run({ [setup.tokens.input]: windows, [setup.target.input]: target }))[model.prediction];
    for (let r = 0; r < rows; r++) {
      const at = (r * T + T - 1) * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, logits[at + v]);
      let total = 0;
      for (let v = 0; v < V; v++) total += weights[v] = Math.exp((logits[at + v] - max) / temperature);
      let u = (random() / 4294967296) * total;
      let id = V - 1;
      for (let v = 0; v < V; v++) {
        u -= weights[v];
        if (u < 0) {
          id = v;
          break;
        }
      }
      generated[r].push(id);
      windows.copyWithin(r * T, r * T + 1, (r + 1) * T);
      windows[(r + 1) * T - 1] = id;
    }
  }
  const separator = setup.vocabulary.every((s) => [...s].length <= 1) ? '' : ' ';
  const decode = (ids: ArrayLike<number>): string => Array.from(ids, (i) => setup.vocabulary[i] ?? '?').join(separator);
  return runEvent('text', {
    epoch,
    step,
    prompts: setup.prompts.map((p) => decode(p.subarray(Math.max(0, T - 48)))),
    samples: generated.map(decode),
    temperature,
    ...(setup.baselineLoss !== undefined ? { baselineLoss: setup.baselineLoss } : {}),
  });
}
