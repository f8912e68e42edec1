/** @file The generator EMA (core/train/ema.ts) and the adversarial options (core/train/ganOptions.ts): the debiased average against its closed form, where samples and exports read it, and bad options refused by name. */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { compile } from '../../core/compile';
import { SubsetDataset } from '../../core/data';
import { modelWeightsOf } from '../../core/export/weights';
import { Tracer } from '../../core/tensor';
import { findTemplate } from '../../core/templates';
import { averagedGenerator, compileGan, INPUT_GRAD, trainAdversarial, UPSTREAM } from '../../core/train/adversarial';
import type { Checkpoint } from '../../core/train/checkpoint';
import { applyEma, emaName, withEmaWeights } from '../../core/train/ema';
import type { RunEvent } from '../../core/train/events';
import { discriminatorRateScale, parseGanOptions } from '../../core/train/ganOptions';
import { TrainingSetupError } from '../../core/train/supervised';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';

const cpu = { kind: 'cpu', detail: 'float32', reason: 'test' } as const;

describe('weight EMA', () => {
  it('equals the bias-corrected average S_t / (1 − d^t), S_t = d S_{t−1} + (1 − d) p_t, of the updated values', async () => {
    // p := p · 1.5 + 1 each step (a stand-in for an optimizer update); the EMA averages the new p_t
    const tracer = new Tracer();
    tracer.run((t) => {
      const p = t.param('p', [3], { init: { kind: 'zeros' }, stream: 0 });
      t.update('p', p.mul(1.5).add(1));
    });
    const decay = 0.9;
    applyEma(tracer, ['p'], decay);
    const exec = createBackend('cpu', { mode: 'f64' }).prepare(compile(tracer.graph), { seed: 1 });
    exec.writeVariable('p', [0, 1, -2]);
    const p = [0, 1, -2];
    const s = [0, 0, 0];
    for (let step = 0; step < 6; step++) {
      await exec.run({ step: new Int32Array([step]) });
      for (let i = 0; i < 3; i++) {
        p[i] = p[i] * 1.5 + 1;
        s[i] = decay * s[i] + (1 - decay) * p[i];
      }
      const ema = await exec.readVariable(emaName('p'));
      const expected = s.map((v) => v / (1 - decay ** (step + 1)));
      ema.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
      // the first step copies p_1 exactly
      if (step === 0) expect([...ema]).toEqual([...p]);
    }
  });

  it('refuses a decay outside (0, 1)', () => {
    expect(() => applyEma(new Tracer(), [], 1)).toThrow(/strictly between 0 and 1/);
  });

  it('withEmaWeights and modelWeightsOf read ema/<name> in place of <name>; other variables stay', () => {
    const v = (x: number) => ({ shape: [1], data: new Float32Array([x]) });
    const variables = { a: v(1), [emaName('a')]: v(2), b: v(3), 'opt/a/m': v(4) };
    expect(Object.fromEntries(Object.entries(withEmaWeights(variables)).map(([k, t]) => [k, t.data[0]]))).toEqual({ a: 2, 'ema/a': 2, b: 3, 'opt/a/m': 4 });
    const generator = findTemplate('mnist-gan')!.build('G').networks.find((n) => n.id === 'generator')!;
    const bias = 'project.bias';
    const units = Number(generator.nodes.find((n) => n.id === 'project')!.params.units);
    const weights = modelWeightsOf(generator, { [bias]: { shape: [units], data: new Float32Array(units).fill(1) }, [emaName(bias)]: { shape: [units], data: new Float32Array(units).fill(7) } });
    expect(weights[bias].data[0]).toBe(7);
  });
});

describe('adversarial options', () => {
  it('defaults, and a message naming the option and its value when one is out of range', () => {
    expect(parseGanOptions({ options: {} })).toEqual({ ok: true, options: { discriminatorSteps: 1, generatorEma: 0, realLabel: 1, discriminatorLearningRate: 0 } });
    const set = { discriminatorSteps: 2, generatorEma: 0.999, realLabel: 0.9, discriminatorLearningRate: 4e-4 };
    expect(parseGanOptions({ options: set })).toEqual({ ok: true, options: set });
    // D's rate relative to the optimizer's: 4e-4 against 1e-4 is 4×; unset, both step alike
    expect(discriminatorRateScale(set, 1e-4)).toBeCloseTo(4, 12);
    expect(discriminatorRateScale({ ...set, discriminatorLearningRate: 0 }, 1e-4)).toBe(1);
    for (const [options, says] of [
      [{ discriminatorSteps: 0 }, /discriminatorSteps must be a whole number.*it is 0/],
      [{ discriminatorSteps: 1.5 }, /discriminatorSteps.*1\.5/],
      [{ generatorEma: 1 }, /generatorEma must be a decay in \[0, 1\).*it is 1\./],
      [{ generatorEma: '0.99' }, /generatorEma.*"0\.99"/],
      [{ realLabel: 0.3 }, /realLabel must be a target in \(0\.5, 1\].*0\.3/],
      [{ discriminatorLearningRate: -1e-4 }, /discriminatorLearningRate must be the discriminator's base learning rate.*-0\.0001/],
    ] as const) {
      const parsed = parseGanOptions({ options });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(says);
    }
  });

  it('a run with a bad option stops before its first step with a TrainingSetupError', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.training.options = { generatorEma: 2 };
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 16 }, 1);
    const run = trainAdversarial({ runId: 'bad', project, data: { train }, backend: createBackend('cpu'), backendReport: cpu, epochs: 1 });
    await expect(run.next()).rejects.toThrow(TrainingSetupError);
  });
});

describe('generator EMA in the adversarial recipe', () => {
  it('averages every generator variable (BatchNorm running statistics too) after each G step; samples come from the average', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.training.batchSize = 4;
    project.training.options = { generatorEma: 0.5 };
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 8 }, 1);
    const gan = compileGan({ runId: 'g', project, data: { train }, backend: createBackend('cpu', { mode: 'f64' }), backendReport: cpu }, 4, 3);
    expect(gan.gVariables).toEqual(expect.arrayContaining(['project.kernel', 'bn1.runningMean', 'bn2.runningVar']));
    const names = gan.gTrain.plan.variables.map((v) => v.name);
    for (const v of gan.gVariables) expect(names).toContain(emaName(v));
    const noise = new Float64Array(4 * gan.noiseSize).map((_, i) => Math.sin(i));
    const history: Float64Array[][] = [];
    for (let step = 0; step < 3; step++) {
      const counter = new Int32Array([step]);
      const fake = (await gan.gForward.run({ [gan.noiseField]: noise, step: counter }))[gan.gOutput];
      const back = await gan.dGrad.run({ [gan.imageField]: fake, [gan.realField]: new Float64Array(4).fill(1), step: counter });
      await gan.gTrain.run({ [gan.noiseField]: noise, [UPSTREAM]: back[INPUT_GRAD], lr: new Float64Array([0.01]), step: counter });
      history.push((await Promise.all(gan.gVariables.map((n) => gan.gTrain.readVariable(n)))) as Float64Array[]);
    }
    // d = 0.5 after 3 steps: ema_3 = S_3 / (1 − d³),  S_t = d S_{t−1} + (1 − d) p_t
    const emas = await Promise.all(gan.gVariables.map((n) => gan.gTrain.readVariable(emaName(n))));
    gan.gVariables.forEach((_, i) => {
      const s = history.reduce<number[]>((acc, p) => Array.from(p[i], (v, j) => 0.5 * (acc[j] ?? 0) + 0.5 * v), []);
      Array.from(emas[i]).forEach((v, j) => expect(v).toBeCloseTo(s[j] / (1 - 0.125), 9));
    });
    // the sampling executable holds the average, not the live weights
    const sampler = await averagedGenerator(gan);
    expect(sampler).not.toBe(gan.gForward);
    expect([...(await sampler.readVariable('project.kernel'))]).toEqual([...emas[gan.gVariables.indexOf('project.kernel')]]);
  });

  it('a run stopped mid-epoch and resumed from its checkpoint ends with the same weights and average as one run straight through', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.training.batchSize = 8;
    project.training.options = { generatorEma: 0.9 };
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 48 }, 1);
    const data = { train: new SubsetDataset('subset', train, Int32Array.from({ length: 48 }, (_, i) => i)) };
    const base = { runId: 'r', project, data, backendReport: cpu, epochs: 1 };
    const finalOf = async (extra: Partial<Parameters<typeof trainAdversarial>[0]>, stopAt?: number): Promise<Checkpoint> => {
      const saved: Checkpoint[] = [];
      const signal = { aborted: false };
      for await (const e of trainAdversarial({ ...base, backend: createBackend('cpu'), signal, checkpoints: { save: async (cp, kind) => (saved.push(cp), kind) }, ...extra })) {
        if (e.type === 'step' && e.step === stopAt) signal.aborted = true;
      }
      return saved.at(-1)!;
    };
    const straight = await finalOf({});
    const stopped = await finalOf({}, 3);
    expect(stopped.position.step).toBe(3);
    const resumed = await finalOf({ resumeFrom: stopped });
    expect(resumed.position.step).toBe(6);
    for (const name of ['project.kernel', emaName('project.kernel'), emaName('bn2.runningVar')]) expect([...resumed.variables[name].data]).toEqual([...straight.variables[name].data]);
  });

  it('a short run with EMA and label smoothing: checkpoints hold ema/* and the grid is in 0..1', async () => {
    const project = findTemplate('mnist-gan')!.build('GAN');
    project.training.batchSize = 8;
    project.training.options = { generatorEma: 0.9, realLabel: 0.9 };
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 32 }, 1);
    const saved: Checkpoint[] = [];
    const events: RunEvent[] = [];
    for await (const e of trainAdversarial({
      runId: 'ema',
      project,
      data: { train: new SubsetDataset('subset', train, Int32Array.from({ length: 32 }, (_, i) => i)) },
      backend: createBackend('cpu'),
      backendReport: cpu,
      epochs: 1,
      checkpoints: { save: async (cp, kind) => (saved.push(cp), kind) },
    }))
      events.push(e);
    expect((events.at(-1) as Extract<RunEvent, { type: 'done' }>).status).toBe('completed');
    const variables = saved.at(-1)!.variables;
    expect(Object.keys(variables)).toEqual(expect.arrayContaining([emaName('project.kernel'), emaName('up2.bias'), emaName('bn1.runningMean')]));
    expect(variables[emaName('project.kernel')].data).not.toEqual(variables['project.kernel'].data);
    const grid = events.find((e): e is Extract<RunEvent, { type: 'samples' }> => e.type === 'samples')!;
    expect(grid.images.every((image) => image.every((v) => v >= 0 && v <= 1))).toBe(true);
  });
});
