/**
 * @file `npm run templates:check`: trains every template with its default settings on the CPU
 * (fixed seeds), measures the figure it promises, and prints a table (template, figure, target,
 * pass/fail, wall time); the rows are also written to bench/results/templates.json. Not a test:
 * full-quality runs take minutes each.
 *
 *   npm run templates:check [-- --only mnist-cnn,mnist-gan] [--out FILE] [--epochs N] [--judge-only]
 *
 * `--judge-only` re-measures the GAN of an earlier invocation without training it again.
 *
 * The GAN is judged by the mnist-cnn classifier (the best checkpoint of this script's mnist-cnn
 * run, trained first when there is none): mean top-class probability over 1,000 generated
 * digits, and how many of the ten digits appear among them.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createBackend, type Executable } from '../core/backends';
import { compile } from '../core/compile';
import { traceNetwork } from '../core/model/trace';
import type { Network, Project } from '../core/project/schema';
import { fillRandom, streamId } from '../core/random';
import { findTemplate, templateInfos } from '../core/templates';
import { rulVariant } from '../core/templates/sensorLstm';
import { BigramModel } from '../core/train/bigram';
import { restoreVariables } from '../core/train/checkpoint';
import { withEmaWeights } from '../core/train/ema';
import { evaluate } from '../core/train/evaluation';
import { compileSupervised } from '../core/train/program';
import type { MetricValues, RunEvent } from '../core/train/events';
import { loadProjectData, startLocalRun } from '../electron/services/runs/localRun';
import { readCheckpoint } from '../electron/services/runs/runFolder';

interface Row {
  template: string;
  figure: string;
  value: number;
  target: string;
  pass: boolean;
  seconds: number;
  detail: Record<string, number | string>;
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const only = option('only')?.split(',');
const out = option('out') ?? join('bench', 'results', 'templates.json');
const epochs = option('epochs') ? Number(option('epochs')) : undefined;
const WORK = join(process.env.TMPDIR ?? '/tmp', 'brrr-templates-check');

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** Trains the project in WORK/<dir> and returns the final metrics and the run folder; `atEpochEnd` sees the run folder once each epoch's checkpoint is written. */
async function train(project: Project, dir: string, atEpochEnd?: (epoch: number, runDir: string) => Promise<void>): Promise<{ metrics: MetricValues; runDir: string; events: RunEvent[] }> {
  const projectDir = join(WORK, dir);
  await rm(projectDir, { recursive: true, force: true });
  await mkdir(projectDir, { recursive: true });
  const run = await startLocalRun({ project, projectDir, backend: 'cpu', runId: 'check', ...(epochs ? { epochs } : {}) });
  const kept: RunEvent[] = [];
  let stepsPerEpoch = Infinity;
  let metrics: MetricValues = {};
  for await (const e of run.events) {
    if (e.type === 'start') stepsPerEpoch = e.stepsPerEpoch;
    if (e.type === 'epoch') log(`${dir} epoch ${e.epoch} (${e.seconds.toFixed(0)} s): train ${fmt(e.train)}${e.validation ? ` | val ${fmt(e.validation)}` : ''}`);
    if (e.type === 'warning') log(`${dir} ${e.code}: ${e.message}`);
    if (e.type === 'checkpoint' && atEpochEnd && e.step % stepsPerEpoch === 0) await atEpochEnd(e.epoch, run.dir);
    if (e.type === 'text') log(`${dir} sample: ${JSON.stringify(e.samples[0]?.slice(0, 120))}`);
    if (e.type === 'epoch' || e.type === 'warning' || e.type === 'text' || e.type === 'decisionBoundary' || e.type === 'samples') kept.push(e);
    if (e.type === 'done') {
      if (e.status !== 'completed') throw new Error(`${dir}: the run ended ${e.status}${e.message ? `: ${e.message}` : ''}`);
      metrics = e.metrics;
    }
  }
  return { metrics, runDir: run.dir, events: kept };
}

function fmt(values: MetricValues): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
}

const fmtScore = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(3));

function buildProject(name: string): Project {
  const def = findTemplate(name);
  if (!def) throw new Error(`No template "${name}".`);
  return def.build(`check-${name}`);
}

/** An inference executable of `network` (evaluation mode) with the weights of a run checkpoint (a generator's moving average where the run kept one, as exported). */
async function restored(network: Network, runDir: string, batch: number, losses: boolean, training = false): Promise<{ exec: Executable; output: string }> {
  const checkpoint = (await readCheckpoint(runDir, 'best')) ?? (await readCheckpoint(runDir, 'last'));
  if (!checkpoint) throw new Error(`${runDir} has no checkpoint.`);
  const traced = traceNetwork(network, { training, batchSize: batch, losses, predictions: true });
  if (!traced.ok) throw new Error(traced.diagnostics.map((d) => d.message).join(' '));
  const exec = createBackend('cpu').prepare(compile(traced.traced.graph), { seed: 1 });
  restoreVariables([exec], withEmaWeights(checkpoint.variables), runDir);
  return { exec, output: traced.traced.predictions[0] };
}

/** Test metrics of a supervised run's best checkpoint (what early stopping keeps and export uses). */
async function bestCheckpointTest(project: Project, dir: string, runDir: string): Promise<MetricValues> {
  const data = await loadProjectData(project, join(WORK, dir));
  if (!data.test) return {};
  const network = project.networks.find((n) => n.id === project.training.networks.model)!;
  const compiled = compileSupervised(network, project.training, createBackend('cpu'), project.training.batchSize, project.training.seed);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join(' '));
  const checkpoint = (await readCheckpoint(runDir, 'best')) ?? (await readCheckpoint(runDir, 'last'));
  if (!checkpoint) throw new Error(`${runDir} has no checkpoint.`);
  restoreVariables([compiled.model.train], checkpoint.variables, runDir);
  return evaluate(compiled.model, data.test, project.training.batchSize);
}

/** The run of an earlier invocation (`--judge-only`): its folder and the events the checks read. */
async function previousRun(dir: string): Promise<{ runDir: string; events: RunEvent[] }> {
  const runDir = join(WORK, dir, 'runs', 'check');
  const events = (await readFile(join(runDir, 'events.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunEvent);
  return { runDir, events };
}

async function classifierRunDir(): Promise<string> {
  const dir = join(WORK, 'mnist-cnn', 'runs', 'check');
  const eventsFile = join(dir, 'events.jsonl');
  if (existsSync(eventsFile) && (await readFile(eventsFile, 'utf8')).includes('"status":"completed"')) return dir;
  log('mnist-gan: no mnist-cnn checkpoint yet; training the classifier first');
  return (await train(buildProject('mnist-cnn'), 'mnist-cnn')).runDir;
}

/** Mean top-class probability and distinct digits the classifier sees in `count` generated images. */
async function judgeGan(project: Project, ganRunDir: string, count: number, batchStatistics = false): Promise<{ confidence: number; digits: number; histogram: number[] }> {
  const batch = 100;
  const generator = project.networks.find((n) => n.id === project.training.networks.generator)!;
  // evaluation mode (BatchNorm running statistics, as exported) unless asked for batch statistics (as the sample grid)
  const g = await restored(generator, ganRunDir, batch, false, batchStatistics);
  const cnnProject = buildProject('mnist-cnn');
  const c = await restored(cnnProject.networks[0], await classifierRunDir(), batch, true);
  const noiseSize = (generator.nodes.find((n) => n.type === 'Input')!.params.shape as number[]).reduce((a, b) => a * b, 1);
  const noise = new Float32Array(batch * noiseSize);
  const histogram = new Array<number>(10).fill(0);
  let confidence = 0;
  for (let b = 0; b < count / batch; b++) {
    fillRandom('normal', 12345, streamId('templates-check', 'gan'), b, noise);
    const images = (await g.exec.run({ noise, step: new Int32Array(1) }))[g.output];
    const logits = (await c.exec.run({ image: images, label: new Int32Array(batch), step: new Int32Array(1) }))[c.output];
    for (let i = 0; i < batch; i++) {
      const row = Array.from(logits.subarray(i * 10, i * 10 + 10));
      const max = Math.max(...row);
      const z = row.reduce((s, v) => s + Math.exp(v - max), 0);
      confidence += 1 / z;
      histogram[row.indexOf(max)]++;
    }
  }
  return { confidence: confidence / count, digits: histogram.filter((n) => n > 0).length, histogram };
}

type Check = (name: string) => Promise<Omit<Row, 'template' | 'seconds'>>;

const accuracy =
  (target: number): Check =>
  async (name) => {
    const { metrics } = await train(buildProject(name), name);
    const value = metrics.test_accuracy;
    return { figure: 'test accuracy', value, target: `>= ${target}`, pass: value >= target, detail: { val_accuracy: metrics.val_accuracy, test_loss: metrics.test_loss } };
  };

const checks: Record<string, Check> = {
  neuron: async (name) => {
    const { metrics, events } = await train(buildProject(name), name);
    const boundaries = events.filter((e) => e.type === 'decisionBoundary').length;
    const value = metrics.test_accuracy;
    return { figure: 'test accuracy', value, target: '= 1 (separable), boundary every epoch', pass: value === 1 && boundaries > 0, detail: { boundaryEvents: boundaries, val_accuracy: metrics.val_accuracy } };
  },
  'mnist-mlp': accuracy(0.98),
  'mnist-cnn': accuracy(0.99),
  'mnist-gan': async (name) => {
    const project = buildProject(name);
    // judged after every epoch too (same classifier, same noise), so one run shows the trajectory
    const perEpoch: string[] = [];
    const atEpochEnd = async (epoch: number, dir: string): Promise<void> => {
      const j = await judgeGan(project, dir, 1000);
      perEpoch.push(`${epoch}: ${j.confidence.toFixed(3)}/${j.digits}`);
      log(`${name} epoch ${epoch}: classifier confidence ${j.confidence.toFixed(4)}, ${j.digits} digits`);
    };
    const { runDir, events } = args.includes('--judge-only') ? await previousRun(name) : await train(project, name, atEpochEnd);
    const grids = events.filter((e) => e.type === 'samples').length;
    const judged = await judgeGan(project, runDir, 1000);
    const batchStats = await judgeGan(project, runDir, 1000, true);
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.code] : []));
    // the validation view by epoch: D's p(real) on training digits / test digits it never sees, and r_v
    const view = events.flatMap((e) => (e.type === 'epoch' ? [`${e.epoch}: ${fmtScore(e.train.real_score)}/${fmtScore(e.validation?.real_score)} r_v ${fmtScore(e.validation?.discriminator_overfitting)}`] : []));
    return {
      figure: 'classifier confidence on 1000 samples',
      value: judged.confidence,
      target: '>= 0.9, 10 digits, grid every epoch',
      pass: judged.confidence >= 0.9 && judged.digits === 10 && grids > 0,
      detail: { digits: judged.digits, perEpoch: perEpoch.join(', '), discriminatorRealScores: view.join(', '), histogram: judged.histogram.join(' '), sampleGrids: grids, warnings: warnings.join(' '), batchStatisticsConfidence: batchStats.confidence, batchStatisticsDigits: batchStats.digits },
    };
  },
  'sensor-lstm': async (name) => {
    const project = buildProject(name);
    const failure = await train(project, name);
    const best = await bestCheckpointTest(project, name, failure.runDir);
    const variant = rulVariant(project);
    const rul = await train(variant, `${name}-rul`);
    const rulBest = await bestCheckpointTest(variant, `${name}-rul`, rul.runDir);
    const value = best.auc;
    return {
      figure: 'test ROC AUC, best checkpoint (unseen machines)',
      value,
      target: '>= 0.95',
      pass: value >= 0.95,
      detail: { test_accuracy: best.accuracy, last_weights_test_auc: failure.metrics.test_auc, best_epoch: failure.metrics.best_epoch, rul_test_mae: rulBest.mae, rul_test_rmse: rulBest.rmse, rul_last_weights_test_mae: rul.metrics.test_mae } as Record<string, number>,
    };
  },
  'text-transformer': async (name) => {
    const project = buildProject(name);
    const data = await loadProjectData(project, join(WORK, name));
    if (!data.test) throw new Error('builtin:text returned no test split.');
    const bigram = BigramModel.fit(data.train, { tokens: 'tokens', next: 'next' }, data.train.classes?.length ?? 0).loss(data.test, { tokens: 'tokens', next: 'next' });
    const { metrics, events } = await train(project, name);
    const value = metrics.test_loss;
    const texts = events.filter((e) => e.type === 'text');
    const sample = texts.at(-1)?.type === 'text' ? (texts.at(-1) as Extract<RunEvent, { type: 'text' }>).samples[0] : '';
    return { figure: 'test loss (nats/char)', value, target: `<= bigram ${bigram.toFixed(3)} - 0.2`, pass: value <= bigram - 0.2 && texts.length > 0, detail: { bigram, val_loss: metrics.val_loss, textEvents: texts.length, sample } };
  },
};

async function main(): Promise<number> {
  const names = templateInfos()
    .filter((t) => t.available && (!only || only.includes(t.name)))
    .map((t) => t.name);
  const missing = names.filter((n) => !checks[n]);
  if (missing.length) throw new Error(`templates-check has no check for ${missing.join(', ')}: add one.`);
  const rows: Row[] = [];
  for (const name of names) {
    const started = performance.now();
    log(`${name}: training with the template's defaults${epochs ? ` (epochs overridden: ${epochs})` : ''}`);
    try {
      rows.push({ template: name, ...(await checks[name](name)), seconds: (performance.now() - started) / 1000 });
    } catch (e) {
      rows.push({ template: name, figure: 'error', value: NaN, target: '', pass: false, seconds: (performance.now() - started) / 1000, detail: { error: e instanceof Error ? e.message : String(e) } });
    }
    log(`${name}: ${JSON.stringify(rows.at(-1))}`);
    const previous = existsSync(out) ? (JSON.parse(await readFile(out, 'utf8')) as { rows: Row[] }).rows : [];
    const merged = [...previous.filter((r) => !rows.some((x) => x.template === r.template)), ...rows];
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify({ written: new Date().toISOString(), rows: merged }, null, 2));
  }
  const table = [['template', 'figure', 'value', 'target', 'result', 'wall time'], ...rows.map((r) => [r.template, r.figure, Number.isFinite(r.value) ? r.value.toFixed(4) : String(r.detail.error ?? r.value), r.target, r.pass ? 'PASS' : 'FAIL', `${r.seconds.toFixed(0)} s`])];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
  for (const r of rows) process.stdout.write(`${r.template}: ${JSON.stringify(r.detail)}\n`);
  process.stdout.write(`written to ${out}\n`);
  return rows.every((r) => r.pass) ? 0 : 1;
}

process.exitCode = await main().catch((e: unknown) => {
  process.stderr.write(`templates-check: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
});
