/**
 * @file The GAN's validation view: D's scores on its training images, on real images it never
 * sees and on generated ones each epoch, the overfitting ratio r_v, and the diagnosis that says a
 * memorising discriminator; the view never changes what training computes.
 */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { SubsetDataset, type Dataset } from '../../core/data';
import type { Project } from '../../core/project/schema';
import { findTemplate } from '../../core/templates';
import { chainNetwork } from '../../core/templates/chain';
import { trainAdversarial } from '../../core/train/adversarial';
import type { RunEvent } from '../../core/train/events';
import { GanDiagnosis } from '../../core/train/ganDiagnosis';
import { evenlySpacedRows, overfittingRatio } from '../../core/train/ganValidation';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';

const cpu = { kind: 'cpu', detail: 'float32', reason: 'test' } as const;
type Of<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** The memorisation case trains one step an epoch (8 images, batch 8). */
const EPOCHS = 200;

async function trainGan(project: Project, data: { train: Dataset; test?: Dataset }, epochs: number): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const e of trainAdversarial({ runId: 'gan', project, data, backend: createBackend('cpu'), backendReport: cpu, epochs })) events.push(e);
  expect((events.at(-1) as Of<'done'>).status).toBe('completed');
  return events;
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e): e is Of<T> => e.type === type);

describe('overfitting ratio r_v', () => {
  it('is 0 when held-out real images score as training ones, 1 when they score as generated ones, linear between', () => {
    expect(overfittingRatio(2, 2, -2)).toBe(0);
    expect(overfittingRatio(2, -2, -2)).toBe(1);
    expect(overfittingRatio(2, 0, -2)).toBe(0.5);
    // held-out images rated above training ones: negative, not overfitting
    expect(overfittingRatio(1, 1.5, -1)).toBe(-0.25);
  });

  it('is undefined while D barely separates its training images from generated ones', () => {
    expect(overfittingRatio(0.05, -3, 0)).toBeUndefined();
    expect(overfittingRatio(-1, 0, 1)).toBeUndefined();
  });

  it('scores fixed rows spread over the whole set', () => {
    expect([...evenlySpacedRows(10, 4)]).toEqual([0, 2, 5, 7]);
    expect([...evenlySpacedRows(3, 3)]).toEqual([0, 1, 2]);
  });
});

describe('GAN diagnosis: an overfitting discriminator', () => {
  it('says W_DISCRIMINATOR_OVERFITS once r_v reaches 0.5, once, and remembers it across a resume', () => {
    const d = new GanDiagnosis();
    expect(d.heldOut(100, 1, 0.02)).toEqual([]);
    expect(d.heldOut(200, 2, 0.49)).toEqual([]);
    const said = d.heldOut(300, 3, 0.71);
    expect(said.map((w) => w.code)).toEqual(['W_DISCRIMINATOR_OVERFITS']);
    expect(said[0].message).toContain('epoch 3');
    expect(said[0].message).toContain('71%');
    expect(said[0].suggestion).toMatch(/augment|dropout/);
    expect(d.heldOut(400, 4, 0.9)).toEqual([]);
    const resumed = new GanDiagnosis();
    resumed.restore(d.snapshot());
    expect(resumed.heldOut(500, 5, 0.9)).toEqual([]);
  });
});

describe('adversarial recipe: validation view', () => {
  it('scores D on training, held-out (test split) and generated images each epoch without changing a single training step', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.training.batchSize = 8;
    const { train, test } = await loadBuiltinDataset('builtin:mnist', { limit: 32, testLimit: 24 }, 1);
    const withTest = await trainGan(project, { train, test: test! }, 2);
    const without = await trainGan(project, { train }, 2);

    const start = ofType(withTest, 'start')[0];
    expect(start.validationSamples).toBe(24);
    expect(ofType(without, 'start')[0].validationSamples).toBe(0);
    // the check reads D in evaluation mode and a copy of G: the training steps are bit for bit the same
    expect(ofType(withTest, 'step').map((s) => [s.discriminatorLoss, s.generatorLoss])).toEqual(ofType(without, 'step').map((s) => [s.discriminatorLoss, s.generatorLoss]));
    expect(ofType(withTest, 'samples').map((s) => s.images)).toEqual(ofType(without, 'samples').map((s) => s.images));

    const epochs = ofType(withTest, 'epoch');
    expect(epochs).toHaveLength(2);
    for (const e of epochs) {
      expect(Object.keys(e.train).sort()).toEqual(['discriminator_loss', 'fake_score', 'generator_loss', 'real_score']);
      for (const p of [e.train.real_score, e.train.fake_score, e.validation!.real_score]) expect(p).toBeGreaterThan(0), expect(p).toBeLessThan(1);
    }
    // without held-out images there is nothing to validate on: D's scores on what it trains on still show
    for (const e of ofType(without, 'epoch')) {
      expect(e.validation).toBeUndefined();
      expect(e.train.real_score).toBe(epochs[e.epoch - 1].train.real_score);
    }
  });

  it('with validationSplit holds real images out of D\'s training and validates on them', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.training.batchSize = 8;
    project.training.validationSplit = 0.25;
    const { train, test } = await loadBuiltinDataset('builtin:mnist', { limit: 32, testLimit: 24 }, 1);
    const events = await trainGan(project, { train, test: test! }, 2);
    const start = ofType(events, 'start')[0];
    expect([start.trainSamples, start.validationSamples]).toEqual([24, 8]);
    expect(start.stepsPerEpoch).toBe(3);
    expect(ofType(events, 'epoch')[0].validation?.real_score).toBeGreaterThan(0);
  });

  it('flags a discriminator that memorises a handful of training images: r_v climbs and W_DISCRIMINATOR_OVERFITS is said', async () => {
    // a wide MLP discriminator on 8 digits, against a small generator: it learns the 8 by heart
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.networks = [
      chainNetwork('generator', 'Generator', [
        ['noise', 'Input', { shape: [16], field: 'noise' }],
        ['hidden', 'Dense', { units: 64 }],
        ['relu', 'ReLU', {}],
        ['pixels', 'Dense', { units: 784 }],
        ['sigmoid', 'Sigmoid', {}],
        ['reshape', 'Reshape', { shape: [1, 28, 28] }],
        ['image', 'Output', { name: 'image' }],
      ]),
      chainNetwork('discriminator', 'Discriminator', [
        ['image', 'Input', { shape: [1, 28, 28], field: 'image' }],
        ['flatten', 'Flatten', {}],
        ['hidden', 'Dense', { units: 256 }],
        ['lrelu', 'LeakyReLU', { negativeSlope: 0.2 }],
        ['logit', 'Dense', { units: 1 }],
        ['loss', 'BCEWithLogitsLoss', { target: 'real' }],
      ]),
    ];
    project.training.batchSize = 8;
    project.training.optimizer = { type: 'adam', learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };
    project.training.options = { realLabel: 1 };
    const { train: all, test } = await loadBuiltinDataset('builtin:mnist', { limit: 8, testLimit: 64 }, 1);
    const events = await trainGan(project, { train: new SubsetDataset('eight', all, Int32Array.from({ length: 8 }, (_, i) => i)), test: test! }, EPOCHS);
    const ratios = ofType(events, 'epoch').map((e) => e.validation?.discriminator_overfitting ?? Number.NaN);
    const warning = ofType(events, 'warning').find((w) => w.code === 'W_DISCRIMINATOR_OVERFITS');
    // measured: 0.02 after the first step, 0.5 near step 120, 0.8 at step 200
    expect(ratios[0], `r_v by epoch: ${ratios.map((r) => r.toFixed(2)).join(' ')}`).toBeLessThan(0.1);
    expect(ratios.at(-1)).toBeGreaterThan(0.6);
    expect(warning).toBeDefined();
    expect(warning!.step).toBeGreaterThan(50);
  });
});
