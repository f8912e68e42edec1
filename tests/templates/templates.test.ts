/**
 * @file Every template, end to end, in a short version: the project parses and validates, then
 * trains through the real run path (startLocalRun: dataset import, CPU backend, run folder) on a
 * small subset for a few steps; the loss falls and the template's own views appear (decision
 * boundary, generated samples, generated text, AUC, RUL MAE) with validation metrics every epoch. Driven by templateInfos(): a
 * template without a short run here fails. Full-quality figures: `npm run templates:check`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TemplateName } from '../../core/contract/studio';
import { validateNetwork } from '../../core/model/analyze';
import { parseProject } from '../../core/project/parse';
import type { Project } from '../../core/project/schema';
import { findTemplate, templateInfos } from '../../core/templates';
import { rulVariant } from '../../core/templates/sensorLstm';
import { CORPUS_VOCABULARY } from '../../core/templates/textTransformer';
import type { RunEvent } from '../../core/train/events';
import { loadProjectData, startLocalRun } from '../../electron/services/runs/localRun';

type Of<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

interface ShortRun {
  /** The template's project cut down: a data subset, few epochs, small batches. */
  shorten(project: Project): Project;
  /** What this template must show besides a falling loss. */
  check(events: RunEvent[], done: Of<'done'>): void | Promise<void>;
}

const withData = (project: Project, options: Record<string, unknown>): Project => ({
  ...project,
  datasets: project.datasets.map((d) => (d.id === project.training.datasetId ? { ...d, options: { ...d.options, ...options } } : d)),
});
const withTraining = (project: Project, training: Partial<Project['training']>): Project => ({ ...project, training: { ...project.training, ...training } });
const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T): Of<T>[] => events.filter((e): e is Of<T> => e.type === type);

const shortRuns: { [T in TemplateName]: ShortRun } = {
  // the full default run is small enough to check the promise itself: 100% on a separable set
  neuron: {
    shorten: (p) => p,
    check(events, done) {
      expect(done.metrics.test_accuracy).toBe(1);
      const boundaries = ofType(events, 'decisionBoundary');
      // the untrained boundary (epoch 0), then one per epoch
      expect(boundaries.map((b) => b.epoch)).toEqual(Array.from({ length: done.epochs + 1 }, (_, i) => i));
      const last = boundaries.at(-1)!;
      expect(last.probabilities).toHaveLength(last.size);
      expect(last.points.length).toBeGreaterThan(10);
      // the line w·x + b = 0 separates the points it was trained on
      const [w0, w1] = last.weights!;
      for (const p of last.points) expect(w0 * p.x + w1 * p.y + last.bias! > 0 ? 1 : 0).toBe(p.label);
    },
  },
  'mnist-mlp': {
    shorten: (p) => withTraining(withData(p, { limit: 640, testLimit: 200 }), { epochs: 2 }),
    check: (_events, done) => expect(done.metrics.test_accuracy).toBeGreaterThan(0.5),
  },
  'mnist-cnn': {
    shorten: (p) => withTraining(withData(p, { limit: 256, testLimit: 100 }), { epochs: 2, batchSize: 32 }),
    check: (_events, done) => expect(done.metrics.test_accuracy).toBeGreaterThan(0.3),
  },
  'mnist-gan': {
    shorten: (p) => withTraining(withData(p, { limit: 160, testLimit: 160 }), { epochs: 2, batchSize: 16 }),
    check(events) {
      // the validation view: D's scores on training digits against test digits it never sees, and on generated ones
      for (const e of ofType(events, 'epoch')) {
        expect(e.validation?.real_score).toBeGreaterThan(0);
        expect(e.train.real_score).toBeGreaterThan(0);
        expect(e.train.fake_score).toBeGreaterThan(0);
      }
      const grids = ofType(events, 'samples');
      expect(grids).toHaveLength(2);
      expect(grids[0].shape).toEqual([1, 28, 28]);
      const steps = ofType(events, 'step');
      expect(steps.every((s) => Number.isFinite(s.generatorLoss) && Number.isFinite(s.discriminatorLoss))).toBe(true);
    },
  },
  'sensor-lstm': {
    shorten: (p) => withTraining(withData(p, { machines: 4, steps: 400, stride: 4 }), { epochs: 3 }),
    check(events, done) {
      // the pipeline reports AUC on the held-out machines (quality: npm run templates:check)
      expect(done.metrics.test_auc).toBeGreaterThanOrEqual(0);
      expect(done.metrics.test_auc).toBeLessThanOrEqual(1);
      expect(ofType(events, 'epoch').every((e) => e.validation?.auc !== undefined)).toBe(true);
    },
  },
  'text-transformer': {
    shorten: (p) => withTraining(withData(p, { stride: 2048 }), { epochs: 2, batchSize: 16 }),
    check(events) {
      const texts = ofType(events, 'text');
      expect(texts).toHaveLength(2);
      expect(texts[0].samples).toHaveLength(2);
      expect([...texts[0].samples[0]]).toHaveLength(160);
      // prompts end inside the text, not in the corpus's runs of indentation
      for (const prompt of texts[0].prompts) expect(prompt.trimEnd()).toBe(prompt);
      expect(texts[0].baselineLoss).toBeGreaterThan(1);
    },
  },
};

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function train(project: Project): Promise<{ events: RunEvent[]; done: Of<'done'> }> {
  const projectDir = await mkdtemp(join(tmpdir(), 'brrr-template-'));
  dirs.push(projectDir);
  const run = await startLocalRun({ project, projectDir, backend: 'cpu', runId: 'short' });
  const events: RunEvent[] = [];
  for await (const e of run.events) events.push(e);
  const done = events.at(-1) as Of<'done'>;
  expect(done.type).toBe('done');
  expect(done.status, done.message).toBe('completed');
  return { events, done };
}

/** Mean step loss over the first and the last quarter of the run: training must lower it. */
function expectLossFalls(events: RunEvent[], key: 'loss' | 'discriminatorLoss' = 'loss'): void {
  const losses = ofType(events, 'step').map((s) => s[key] ?? NaN);
  const q = Math.max(1, Math.floor(losses.length / 4));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(mean(losses.slice(-q))).toBeLessThan(mean(losses.slice(0, q)));
}

describe('templates', () => {
  it('every available template has a short run here, and every planned one is available', () => {
    const infos = templateInfos();
    expect(infos.filter((t) => !t.available).map((t) => t.name)).toEqual([]);
    for (const t of infos) expect(Object.keys(shortRuns)).toContain(t.name);
  });

  it.each(templateInfos().map((t) => t.name))('%s: builds a project that parses and validates', (name) => {
    const project = findTemplate(name)!.build(`Sample ${name}`);
    const parsed = parseProject(JSON.parse(JSON.stringify(project)));
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    for (const network of project.networks) {
      const errors = validateNetwork(network, { trained: network.id !== project.training.networks.generator }).diagnostics.filter((d) => d.severity === 'error');
      expect(errors, `${name}/${network.id}`).toEqual([]);
    }
    expect(project.datasets.some((d) => d.id === project.training.datasetId)).toBe(true);
    // regularization by default: dropout, BatchNorm (the GAN's generator) or early stopping
    const nodes = project.networks.flatMap((n) => n.nodes);
    const t = project.training;
    const regularized = nodes.some((n) => n.type === 'Dropout' || n.type === 'BatchNorm' || (n.type === 'TransformerEncoderBlock' && Number(n.params.dropout) > 0)) || t.earlyStopping !== undefined;
    expect(regularized || name === 'neuron').toBe(true);
  });

  it.each(templateInfos().map((t) => t.name))('%s: a short run trains end to end and its loss falls', async (name) => {
    const short = shortRuns[name];
    const { events, done } = await train(short.shorten(findTemplate(name)!.build(`Short ${name}`)));
    expectLossFalls(events, name === 'mnist-gan' ? 'discriminatorLoss' : 'loss');
    // every template validates each epoch on data it does not train on: over- and underfitting show
    const epochs = ofType(events, 'epoch');
    expect(epochs.length).toBeGreaterThan(0);
    for (const e of epochs) expect(Object.keys(e.validation ?? {}).length, `${name} epoch ${e.epoch}`).toBeGreaterThan(0);
    await short.check(events, done);
  });

  it('sensor-lstm: the remaining-useful-life network trains on its own dataset and reports MAE', async () => {
    const project = rulVariant(shortRuns['sensor-lstm'].shorten(findTemplate('sensor-lstm')!.build('RUL')));
    const rulData = project.datasets.find((d) => d.id === 'sensors-rul')!;
    rulData.options = { ...rulData.options, machines: 4, steps: 400, stride: 4 };
    const { events, done } = await train(project);
    expectLossFalls(events);
    expect(done.metrics.test_mae).toBeGreaterThan(0);
    expect(done.metrics.test_mae).toBeLessThan(60);
  });

  it('text-transformer: the embedding covers the corpus vocabulary', async () => {
    const project = findTemplate('text-transformer')!.build('LM');
    const { train: data } = await loadProjectData(withData(project, { stride: 4096 }));
    expect(data.classes).toHaveLength(CORPUS_VOCABULARY);
  });
});
