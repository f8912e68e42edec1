/**
 * @file The adversarial recipe (GANs): a generator G (noise → image) and a discriminator D
 * (image → logit, with a BCEWithLogitsLoss on the field "real"), an optimizer each, k
 * discriminator steps per generator step; the settings are `training.options` (core/train/ganOptions.ts).
 *
 *   D step: one batch of 2B rows, B real (label r, 1 or a smoothed 0.9) then B generated (label 0):
 *           L_D = mean BCE(D(x), y) = ½ (BCE(D(real), r) + BCE(D(G(z)), 0)); the two halves are
 *           separate batches to BatchNorm in D (batch groups), as D(real) and D(G(z)) calls are.
 *   G step, non-saturating: L_G = BCE(D(G(z)), 1) = mean −log σ(D(G(z))).
 *   Learning rates: G steps at η(t) (optimizer and schedule), D at η(t)·η_D/η when
 *           discriminatorLearningRate η_D is set (two time-scale updates), else at η(t) too.
 *   G EMA (generatorEma d > 0): ema ← debiased moving average of G's variables after each G step;
 *           the sample grid and exported weights use it (core/train/ema.ts).
 *   Validation view, each epoch end: D in evaluation mode scores its training images, real images
 *           it never trains on (validation rows, else the test split) and a copy of the live G's
 *           images; r_v says how far it has memorised its training set (core/train/ganValidation.ts).
 *
 * The two networks are separate plans, so the G step chains reverse mode across them:
 * u = ∂L_G/∂x at x = G(z) from a D plan that outputs its input gradient (D's weights untouched),
 * then a G plan whose surrogate loss sum(G(z) · u) has ∂/∂θ_G = J_Gᵀ u, the true gradient.
 * Noise comes from the counter-based generator keyed by (seed, stream, counter), so a resumed
 * run draws the same z.
 */
import { vjp } from '../autograd/grad';
import type { Backend, Executable } from '../backends/backend';
import { compile } from '../compile';
import type { Dataset } from '../data/dataset';
import { traceNetwork } from '../model/trace';
import type { Network } from '../project/schema';
import { fillRandom, streamId } from '../random';
import { STEP_INPUT, Tracer } from '../tensor';
import { epochOrder } from './batches';
import { captureVariables, restoreVariables, CHECKPOINT_VERSION, type RunPosition } from './checkpoint';
import { applyEma, emaName } from './ema';
import { runEvent, type MetricValues, type RunEvent } from './events';
import { GanDiagnosis, sampleDiversity } from './ganDiagnosis';
import { DiscriminatorCheck } from './ganValidation';
import { discriminatorLossFloor, discriminatorRateScale, parseGanOptions, type GanOptions } from './ganOptions';
import { applyOptimizer, LR_INPUT } from './optimizers';
import { compileSupervised, optimizerFromProject, type CompiledModel } from './program';
import { learningRateAt } from './schedules';
import { scheduleFromProject, TrainingSetupError, trainValidationSets, type SupervisedRun } from './supervised';

const NOISE_STREAM = streamId('adversarial', 'noise');
const SAMPLE_STREAM = streamId('adversarial', 'samples');
export const UPSTREAM = 'upstream';
export const INPUT_GRAD = 'inputGradient';
const SAMPLE_COUNT = 16;

function network(run: SupervisedRun, role: 'generator' | 'discriminator'): Network {
  const id = run.project.training.networks[role];
  const found = run.project.networks.find((n) => n.id === id);
  if (!found) throw new TrainingSetupError(id ? `The adversarial recipe names ${role} network "${id}", which the project does not have.` : `The adversarial recipe needs training.networks.${role}.`);
  return found;
}

function traced(net: Network, batch: number, losses: boolean) {
  const t = traceNetwork(net, { training: true, batchSize: batch, losses, predictions: losses });
  if (!t.ok) throw new TrainingSetupError(`${net.name} cannot be trained yet: ${t.diagnostics.map((d) => d.message).join(' ')}`, t.diagnostics);
  return t.traced;
}

export interface Gan {
  dTrain: Executable;
  dGrad: Executable;
  gForward: Executable;
  gTrain: Executable;
  noiseField: string;
  noiseSize: number;
  imageField: string;
  imageShape: readonly number[];
  realField: string;
  gOutput: string;
  parameters: number;
  options: GanOptions;
  /** D in evaluation mode for a batch of `rows` rows (weights shared with dTrain), and its logit output. */
  dEvaluator: CompiledModel['evaluator'];
  dLogit: string;
  /**
   * G in training mode with variables of its own, loaded from the EMA (averagedGenerator) or the
   * live G (liveGeneratorCopy) before sampling: sampling from it never moves the live G's BatchNorm statistics.
   */
  gCopy: Executable;
  /** G's variables (parameters and layer state), each averaged into `ema/<name>` when the EMA is on. */
  gVariables: string[];
}

export function compileGan(run: SupervisedRun, batch: number, seed: number): Gan {
  const parsed = parseGanOptions(run.project.training);
  if (!parsed.ok) throw new TrainingSetupError(parsed.message);
  const options = parsed.options;
  const G = network(run, 'generator');
  const D = network(run, 'discriminator');
  const backend: Backend = run.backend;
  // real rows then generated rows: two groups, so BatchNorm in D sees each as its own batch
  const d = compileSupervised(D, run.project.training, backend, 2 * batch, seed, 2);
  if (!d.ok) throw new TrainingSetupError(`${D.name} cannot be trained yet: ${d.diagnostics.map((x) => x.message).join(' ')}`, d.diagnostics);
  const imageFeed = d.model.feeds.find((f) => f.field !== d.model.targetField);
  if (!imageFeed || d.model.task.kind !== 'binary') throw new TrainingSetupError(`${D.name} must read one image field and end in a BCEWithLogitsLoss (its target is the real/fake label).`);

  // D at batch B, outputting ∂L/∂image; its loss reads the label field, which the G step sets to 1
  const dg = traced(D, batch, true);
  const dgTracer = new Tracer(dg.graph);
  dgTracer.run((t) => {
    const loss = t.wrap(dg.graph.outputs.find((o) => o.name === dg.loss)!.value);
    const [g] = vjp(loss, [t.get(imageFeed.input)]);
    t.output(INPUT_GRAD, g);
  });
  const dGrad = backend.prepare(compile(dgTracer.graph), { seed, shareVariablesWith: d.model.train });

  const gf = traced(G, batch, false);
  const gOutput = gf.predictions[0];
  if (!gOutput || gf.fields.length !== 1) throw new TrainingSetupError(`${G.name} must read one noise field and mark its image with an Output node.`);
  const outShape = gf.graph.values[gf.graph.outputs.find((o) => o.name === gOutput)!.value].shape;
  if (outShape.slice(1).join() !== imageFeed.spec.shape.join()) throw new TrainingSetupError(`${G.name} makes images of [${outShape.slice(1).join(', ')}] but ${D.name} reads [${imageFeed.spec.shape.join(', ')}].`);
  const gForward = backend.prepare(compile(gf.graph), { seed });

  const gt = traced(G, batch, false);
  const gtTracer = new Tracer(gt.graph);
  gtTracer.run((t) => {
    const image = t.wrap(gt.graph.outputs.find((o) => o.name === gOutput)!.value);
    const surrogate = image.mul(t.input(UPSTREAM, outShape)).sum();
    const params = gt.params.map((p) => t.get(p.name));
    const grads = vjp(surrogate, params);
    const r = run.project.training.regularization;
    applyOptimizer(t, gt.params.map((p, i) => ({ name: p.name, param: params[i], grad: grads[i] })), optimizerFromProject(run.project.training.optimizer), { l1: r.l1, l2: r.l2, clipNorm: r.gradientClipNorm });
  });
  const gVariables = [...gt.params, ...gt.state].map((v) => v.name);
  if (options.generatorEma > 0) applyEma(gtTracer, gVariables, options.generatorEma);
  const gTrain = backend.prepare(compile(gtTracer.graph), { seed, shareVariablesWith: gForward });
  const gCopy = backend.prepare(compile(gf.graph), { seed });
  const field = gf.fields[0];
  return {
    dTrain: d.model.train,
    dGrad,
    gForward,
    gTrain,
    noiseField: field.name,
    noiseSize: field.shape.slice(1).reduce((a, b) => a * b, 1),
    imageField: imageFeed.field,
    imageShape: imageFeed.spec.shape,
    realField: d.model.targetField,
    gOutput,
    parameters: d.model.parameterCount + gf.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0),
    options,
    dEvaluator: (rows) => d.model.evaluator(rows),
    dLogit: d.model.prediction,
    gCopy,
    gVariables,
  };
}

/** Loads G's moving average into `gan.gCopy` and returns it, or the live G when the EMA is off. */
export async function averagedGenerator(gan: Gan): Promise<Executable> {
  if (gan.options.generatorEma === 0) return gan.gForward;
  for (const name of gan.gVariables) gan.gCopy.writeVariable(name, await gan.gTrain.readVariable(emaName(name)));
  return gan.gCopy;
}

/** Loads the live G's variables into `gan.gCopy` and returns it. */
export async function liveGeneratorCopy(gan: Gan): Promise<Executable> {
  for (const name of gan.gVariables) gan.gCopy.writeVariable(name, await gan.gTrain.readVariable(name));
  return gan.gCopy;
}

export async function* trainAdversarial(run: SupervisedRun): AsyncGenerator<RunEvent> {
  const recipe = run.project.training;
  const resume = run.resumeFrom?.position;
  const seed = resume?.seed ?? run.seed ?? recipe.seed;
  const epochs = run.epochs ?? resume?.epochs ?? recipe.epochs;
  const B = recipe.batchSize;
  const gan = compileGan(run, B, seed);
  const k = gan.options.discriminatorSteps;
  const { train: data, heldOut } = realImages(run, seed);
  if (!data.fields[gan.imageField]) throw new TrainingSetupError(`The discriminator reads field "${gan.imageField}", which the dataset does not have.`);
  const imageSize = gan.imageShape.reduce((a, b) => a * b, 1);
  const stepsPerEpoch = Math.floor(data.size / (B * k));
  if (stepsPerEpoch < 1) throw new TrainingSetupError(`The dataset has ${data.size} samples, fewer than ${k} discriminator batch${k > 1 ? 'es' : ''} of ${B}.`);
  const schedule = scheduleFromProject(run.project, stepsPerEpoch, epochs);
  const now = run.now ?? Date.now;
  const started = now();
  const all = [gan.dTrain, gan.gForward, gan.gTrain];
  const diagnosis = new GanDiagnosis({ discriminatorLossFloor: discriminatorLossFloor(gan.options.realLabel) });
  diagnosis.restore(resume?.extra?.ganDiagnosis as string[] | undefined);
  const realSample = new Float32Array(Math.min(B, data.size) * imageSize);
  data.gather(gan.imageField, Int32Array.from({ length: Math.min(B, data.size) }, (_, i) => i), realSample);
  const realDiversity = sampleDiversity(realSample, imageSize);
  const check = new DiscriminatorCheck(gan, B, seed, data, heldOut);

  const dImages = new Float32Array(2 * B * imageSize);
  const dLabels = new Float32Array(2 * B).fill(0, B).fill(gan.options.realLabel, 0, B);
  const ones = new Float32Array(B).fill(1);
  const noise = new Float32Array(B * gan.noiseSize);
  const lr = new Float32Array(1);
  const lrD = new Float32Array(1);
  const dScale = discriminatorRateScale(gan.options, recipe.optimizer.learningRate);
  const counter = new Int32Array(1);
  let step = resume?.step ?? 0;
  let startEpoch = resume?.epoch ?? 0;
  let skip = resume?.stepInEpoch ?? 0;
  let last: MetricValues = resume?.metrics ?? {};
  if (run.resumeFrom) {
    if (resume?.recipe !== 'adversarial') throw new TrainingSetupError(`The checkpoint was written by the ${resume?.recipe} recipe, not the adversarial one.`);
    restoreVariables(all, run.resumeFrom.variables, 'The checkpoint');
  }
  yield runEvent('start', { runId: run.runId, project: run.project.name, recipe: 'adversarial', backend: run.backendReport, seed, epochs, batchSize: B, stepsPerEpoch, trainSamples: data.size, validationSamples: heldOut?.size ?? 0, parameters: gan.parameters });
  if (resume) yield runEvent('resumed', { step, epoch: startEpoch, stepInEpoch: skip, from: `step ${resume.step}` });

  const generate = async (stream: number, count: number, generator = gan.gForward): Promise<Float32Array> => {
    fillRandom('normal', seed, stream, count, noise);
    counter[0] = step;
    return (await generator.run({ [gan.noiseField]: noise, [STEP_INPUT]: counter }))[gan.gOutput] as Float32Array;
  };
  const save = async function* (epoch: number, stepInEpoch: number): AsyncGenerator<RunEvent> {
    if (!run.checkpoints) return;
    const position: RunPosition = { version: CHECKPOINT_VERSION, runId: run.runId, recipe: 'adversarial', seed, step, epoch, stepInEpoch, epochs, metrics: last, sinceBest: 0, extra: { ganDiagnosis: diagnosis.snapshot() } };
    const path = await run.checkpoints.save({ position, variables: await captureVariables(all) }, 'last');
    yield runEvent('checkpoint', { step, epoch: epoch + (stepInEpoch === 0 ? 0 : 1), path, kind: 'last' });
  };

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    const epochStarted = now();
    const order = epochOrder(data.size, seed, epoch);
    let dSum = 0;
    let gSum = 0;
    let count = 0;
    for (let i = skip; i < stepsPerEpoch; i++) {
      lr[0] = learningRateAt(schedule, step);
      lrD[0] = lr[0] * dScale;
      let dLoss = 0;
      for (let j = 0; j < k; j++) {
        const rows = order.subarray((i * k + j) * B, (i * k + j + 1) * B);
        data.gather(gan.imageField, rows, dImages.subarray(0, B * imageSize));
        dImages.set(await generate(NOISE_STREAM, step * (k + 1) + j), B * imageSize);
        counter[0] = step;
        dLoss += (await gan.dTrain.run({ [gan.imageField]: dImages, [gan.realField]: dLabels, [LR_INPUT]: lrD, [STEP_INPUT]: counter })).loss[0] / k;
      }
      const fake = await generate(NOISE_STREAM, step * (k + 1) + k);
      counter[0] = step;
      const back = await gan.dGrad.run({ [gan.imageField]: fake, [gan.realField]: ones, [STEP_INPUT]: counter });
      const gLoss = back.loss[0];
      await gan.gTrain.run({ [gan.noiseField]: noise, [UPSTREAM]: back[INPUT_GRAD], [LR_INPUT]: lr, [STEP_INPUT]: counter });
      if (!Number.isFinite(dLoss) || !Number.isFinite(gLoss)) {
        yield runEvent('warning', { code: 'W_NONFINITE_LOSS', message: `The ${Number.isFinite(dLoss) ? 'generator' : 'discriminator'} loss became ${Number.isFinite(dLoss) ? gLoss : dLoss} at step ${step}.`, suggestion: 'Lower the learning rates (GANs often use 2e-4 with Adam beta1 0.5).', step });
        yield runEvent('done', { status: 'failed', step, epochs: epoch, seconds: (now() - started) / 1000, metrics: last, message: `Non-finite loss at step ${step}.` });
        return;
      }
      step++;
      dSum += dLoss;
      gSum += gLoss;
      count++;
      const t = now();
      yield runEvent('step', { step, epoch: epoch + 1, loss: gLoss, generatorLoss: gLoss, discriminatorLoss: dLoss, learningRate: lr[0], samplesPerSecond: (count * B * (k + 1) * 1000) / Math.max(1, t - epochStarted) });
      for (const w of diagnosis.step(step, dLoss, gLoss)) yield runEvent('warning', { code: w.code, message: w.message, suggestion: w.suggestion, step });
      if (run.yieldToHost && step % 8 === 0) await run.yieldToHost();
      if (run.signal?.aborted) {
        yield* save(epoch, i + 1);
        yield runEvent('done', { status: 'stopped', step, epochs: epoch, seconds: (now() - started) / 1000, metrics: last, resumable: run.checkpoints !== undefined });
        return;
      }
      if (step % recipe.checkpointEverySteps === 0 && i + 1 < stepsPerEpoch) yield* save(epoch, i + 1);
    }
    skip = 0;
    const losses = { discriminator_loss: dSum / Math.max(1, count), generator_loss: gSum / Math.max(1, count) };
    last = { train_discriminator_loss: losses.discriminator_loss, train_generator_loss: losses.generator_loss };
    const scores = await check.score(await liveGeneratorCopy(gan), step);
    yield runEvent('epoch', { epoch: epoch + 1, step, seconds: (now() - epochStarted) / 1000, train: { ...losses, ...scores.train }, ...(scores.validation ? { validation: scores.validation } : {}) });
    const overfitting = scores.validation?.discriminator_overfitting;
    if (overfitting !== undefined) for (const w of diagnosis.heldOut(step, epoch + 1, overfitting)) yield runEvent('warning', { code: w.code, message: w.message, suggestion: w.suggestion, step });
    const generated = await generate(SAMPLE_STREAM, 0, await averagedGenerator(gan));
    // the diagnosis judges the live generator (the one training can collapse); the grid shows the one exported
    const diversity = sampleDiversity(gan.options.generatorEma > 0 ? await generate(SAMPLE_STREAM, 0) : generated, imageSize);
    yield sampleGrid(generated, gan.imageShape, epoch + 1, step);
    for (const w of diagnosis.samples(step, epoch + 1, diversity, realDiversity)) yield runEvent('warning', { code: w.code, message: w.message, suggestion: w.suggestion, step });
    yield* save(epoch + 1, 0);
  }
  yield runEvent('done', { status: 'completed', step, epochs, seconds: (now() - started) / 1000, metrics: last });
}

/**
 * The real images D trains on, and real images it never sees for the validation view: the
 * validation rows when the recipe holds some out (`validationSplit`), else the test split.
 */
function realImages(run: SupervisedRun, seed: number): { train: Dataset; heldOut?: Dataset } {
  const all = run.data.train;
  const fraction = run.project.training.validationSplit;
  if (!(fraction > 0)) return { train: all, heldOut: run.data.test };
  const { train, validation } = trainValidationSets(all, fraction, seed);
  return { train, heldOut: validation };
}

/** The first SAMPLE_COUNT images of a generated batch (fixed noise every epoch), clamped to 0..1, 2 decimals. */
function sampleGrid(images: Float32Array, shape: readonly number[], epoch: number, step: number): RunEvent {
  const size = shape.reduce((a, b) => a * b, 1);
  const n = Math.min(SAMPLE_COUNT, Math.floor(images.length / size));
  const out = Array.from({ length: n }, (_, i) => Array.from(images.subarray(i * size, (i + 1) * size), (v) => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100));
  return runEvent('samples', { epoch, step, shape: [...shape], images: out });
}
