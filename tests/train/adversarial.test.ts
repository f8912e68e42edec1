/** @file The adversarial recipe on the mnist-gan template: a few steps on a small MNIST subset, both losses, generated samples. */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { SubsetDataset } from '../../core/data';
import { findTemplate } from '../../core/templates';
import { chainNetwork } from '../../core/templates/chain';
import { compileGan, INPUT_GRAD, trainAdversarial, UPSTREAM } from '../../core/train/adversarial';
import { fillRandom } from '../../core/random';
import { STEP_INPUT } from '../../core/tensor';
import type { RunEvent } from '../../core/train/events';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';

const cpu = { kind: 'cpu', detail: 'float32', reason: 'test' } as const;

describe('adversarial recipe', () => {
  it('trains the mnist-gan template for a few steps: both losses, a checkpoint and a samples grid of the right shape', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.training.batchSize = 8;
    project.training.options = { discriminatorSteps: 2 };
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 48 }, 1);
    const saved: string[] = [];
    const events: RunEvent[] = [];
    const data = new SubsetDataset('subset', train, Int32Array.from({ length: 48 }, (_, i) => i));
    for await (const e of trainAdversarial({
      runId: 'gan',
      project,
      data: { train: data },
      backend: createBackend('cpu'),
      backendReport: cpu,
      epochs: 1,
      checkpoints: { save: async (cp, kind) => (saved.push(`${kind}@${cp.position.step}`), `${kind}.safetensors`) },
    }))
      events.push(e);
    const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
    expect(steps).toHaveLength(3); // 48 samples / (8 × 2 discriminator steps)
    for (const s of steps) {
      expect(Number.isFinite(s.generatorLoss)).toBe(true);
      expect(Number.isFinite(s.discriminatorLoss)).toBe(true);
    }
    // the discriminator starts near chance: BCE ≈ ln 2
    expect(steps[0].discriminatorLoss).toBeGreaterThan(0.4);
    expect(steps[0].discriminatorLoss).toBeLessThan(1.2);
    const samples = events.find((e): e is Extract<RunEvent, { type: 'samples' }> => e.type === 'samples')!;
    expect(samples.shape).toEqual([1, 28, 28]);
    expect(samples.images).toHaveLength(8);
    for (const image of samples.images) {
      expect(image).toHaveLength(784);
      expect(image.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    const epoch = events.find((e): e is Extract<RunEvent, { type: 'epoch' }> => e.type === 'epoch')!;
    expect(Object.keys(epoch.train).sort()).toEqual(['discriminator_loss', 'fake_score', 'generator_loss', 'real_score']);
    expect(saved).toEqual(['last@3']);
    expect((events.at(-1) as Extract<RunEvent, { type: 'done' }>).status).toBe('completed');
  });

  it('takes true generator gradients through the discriminator: an SGD step lowers L_G by η‖g‖² to first order', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.training.batchSize = 4;
    // small enough that the second-order term stays under 1% for any sensible template; float64 keeps the tiny loss change exact
    const eta = 1e-5;
    project.training.optimizer = { type: 'sgd', learningRate: eta, momentum: 0, nesterov: false };
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 8 }, 1);
    const gan = compileGan({ runId: 'g', project, data: { train }, backend: createBackend('cpu', { mode: 'f64' }), backendReport: cpu }, 4, 3);
    const noise = new Float64Array(4 * gan.noiseSize);
    fillRandom('normal', 3, 1, 0, noise);
    const step = new Int32Array([0]);
    const generatorLoss = async () => {
      const fake = (await gan.gForward.run({ [gan.noiseField]: noise, [STEP_INPUT]: step }))[gan.gOutput];
      return gan.dGrad.run({ [gan.imageField]: fake, [gan.realField]: new Float64Array(4).fill(1), [STEP_INPUT]: step });
    };
    const names = gan.gTrain.plan.variables.filter((v) => v.kind === 'param').map((v) => v.name);
    const before = await Promise.all(names.map((n) => gan.gTrain.readVariable(n)));
    const start = await generatorLoss();
    await gan.gTrain.run({ [gan.noiseField]: noise, [UPSTREAM]: start[INPUT_GRAD], lr: new Float64Array([eta]), [STEP_INPUT]: step });
    const after = await Promise.all(names.map((n) => gan.gTrain.readVariable(n)));
    // Δθ = −η g  ⇒  ‖g‖² = ‖Δθ‖² / η²;  L(θ − η g) ≈ L(θ) − η ‖g‖²
    let moved = 0;
    before.forEach((b, i) => b.forEach((v, j) => (moved += (after[i][j] - v) ** 2)));
    const predicted = moved / eta;
    const actual = start.loss[0] - (await generatorLoss()).loss[0];
    expect(predicted).toBeGreaterThan(0);
    expect(actual / predicted).toBeGreaterThan(0.99);
    expect(actual / predicted).toBeLessThan(1.01);
  });
  it('the discriminator\'s real and generated rows are separate batches to its BatchNorm: running statistics move once per group', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    const D = chainNetwork('discriminator', 'Discriminator', [
      ['image', 'Input', { shape: [1, 28, 28], field: 'image' }],
      ['bn', 'BatchNorm', { momentum: 0.1 }],
      ['flatten', 'Flatten', {}],
      ['logit', 'Dense', { units: 1 }],
      ['loss', 'BCEWithLogitsLoss', { target: 'real' }],
    ]);
    project.networks = [project.networks.find((n) => n.id === 'generator')!, D];
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 4 }, 1);
    const gan = compileGan({ runId: 'bn', project, data: { train }, backend: createBackend('cpu', { mode: 'f64' }), backendReport: cpu }, 4, 1);
    const images = new Float64Array(8 * 784);
    for (let i = 0; i < 4 * 784; i++) images[i] = 0.2 + (i % 7) / 70;
    images.fill(0.9, 4 * 784);
    const realMean = images.subarray(0, 4 * 784).reduce((a, b) => a + b, 0) / (4 * 784);
    await gan.dTrain.run({ image: images, real: new Float64Array(8).fill(1, 0, 4), lr: new Float64Array([1e-3]), [STEP_INPUT]: new Int32Array([0]) });
    const [running] = await gan.dTrain.readVariable('bn.runningMean');
    // real rows first, then generated: 0.9·(0.1·μ_real) + 0.1·μ_fake; one mixed batch would give 0.1·(μ_real + μ_fake)/2
    expect(running).toBeCloseTo(0.09 * realMean + 0.1 * 0.9, 10);
  });

  it('steps the discriminator at its own learning rate when discriminatorLearningRate is set (SGD: 4× the rate moves its weights 4× as far)', async () => {
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 4 }, 1);
    const eta = 1e-3;
    const dMoves = async (options: Record<string, number>) => {
      const project = findTemplate('mnist-gan')!.build('GAN');
      project.training.batchSize = 4;
      project.training.optimizer = { type: 'sgd', learningRate: eta, momentum: 0, nesterov: false };
      project.training.options = options;
      const run = { runId: 'ttur', project, data: { train }, backend: createBackend('cpu', { mode: 'f64' }), backendReport: cpu, epochs: 1 } as const;
      const gan = compileGan(run, 4, project.training.seed);
      const names = gan.dTrain.plan.variables.filter((v) => v.kind === 'param').map((v) => v.name);
      const before = await Promise.all(names.map((n) => gan.dTrain.readVariable(n)));
      let after: Record<string, { data: ArrayLike<number> }> = {};
      for await (const _ of trainAdversarial({ ...run, checkpoints: { save: async (cp) => ((after = cp.variables), 'last') } }));
      let moved = 0;
      names.forEach((n, i) => before[i].forEach((v, j) => (moved += (after[n].data[j] - v) ** 2)));
      return Math.sqrt(moved);
    };
    const same = await dMoves({});
    const fourTimes = await dMoves({ discriminatorLearningRate: 4 * eta });
    expect(same).toBeGreaterThan(0);
    // one D step from the same weights on the same batch and noise: Δθ_D = −η_D g
    expect(fourTimes / same).toBeCloseTo(4, 6);
  });
});
