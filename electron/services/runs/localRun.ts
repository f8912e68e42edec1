/**
 * @file Starting a training run on this machine, the one code path of every run (`brrr train`
 * in-process, the studio through the engine host worker): resolve the project's dataset, choose
 * the backend (and say why), prepare the run folder (settings, a copy of the project, checkpoints)
 * or pick up a stopped run from its last checkpoint, pick the recipe (supervised, k-fold,
 * adversarial) and stream its events, also appended to `<project>/runs/<runId>/events.jsonl`.
 */
import { readFile } from 'node:fs/promises';
import { createBackend, type Backend } from '../../../core/backends';
import { CpuBackend } from '../../../core/backends/cpu/cpuBackend';
import { busiestProfile, wasmMachine } from '../../../core/backends/cpu/profileReport';
import { importWeights } from '../../../core/export/weights';
import { failuresAsEvents } from '../../../core/train/failures';
import { createNodeGpu, type NodeGpu } from '../../engine/webgpu';
import { NodeThreadPool } from '../../engine/threads/nodeThreadPool';
import { probeHardwareAdapter } from '../../engine/webgpuProbe';
import type { Project } from '../../../core/project';
import { trainAdversarial } from '../../../core/train/adversarial';
import type { Checkpoint } from '../../../core/train/checkpoint';
import type { BackendReport, RunEvent } from '../../../core/train/events';
import { kfoldUnavailable, trainKFold } from '../../../core/train/kfold';
import { trainSupervised, TrainingSetupError, type SupervisedRun } from '../../../core/train/supervised';
import type { DatasetSplits } from '../datasets/builtin';
import { loadDataset } from '../datasets/load';
import { DatasetError } from '../../../core/data/errors';
import { appendEvents, checkpointSink, listRunSummaries, prepareRunFolder, readCheckpoint, readRunProject, readRunSettings, runDir, type RunSettings } from './runFolder';

export type BackendChoice = 'auto' | 'cpu' | 'webgpu';

export interface LocalRunRequest {
  project: Project;
  /** The project folder: datasets and runs are relative to it. */
  projectDir: string;
  backend: BackendChoice;
  epochs?: number;
  seed?: number;
  signal?: AbortSignal;
  /** Fixed run id (tests); default: a timestamp. */
  runId?: string;
  /** k-fold cross-validation with this many folds (overrides the recipe's `kfold`). */
  kfold?: number;
  /** Continue a run from its last checkpoint: true = the newest resumable run, or a run id. */
  resume?: boolean | string;
  /** A weights file (safetensors) to start from: fine-tuning; every name and shape must fit the network. */
  weights?: string;
  /** Time every kernel of the run (CPU backend) so `LocalRun.profile` can report it. */
  profile?: boolean;
  /** Called every few steps between steps (the engine host pauses here). */
  yieldToHost?: () => Promise<void>;
}

export interface LocalRun {
  runId: string;
  dir: string;
  backend: BackendReport;
  events: AsyncGenerator<RunEvent>;
  /** With `profile`: where the training step's time went, one line per kernel kind. */
  profile?: () => string[];
}

/**
 * The backend of a run and why: `cpu` always works; `webgpu` uses any WebGPU adapter (a software
 * one included) or fails with the reason; `auto` takes WebGPU only on real hardware, else the CPU.
 */
/** One pool of worker threads per process, shared by its runs (idle workers never keep it alive). */
let pool: NodeThreadPool | undefined;
const cpuThreads = (): NodeThreadPool => (pool ??= new NodeThreadPool());

export async function chooseBackend(choice: BackendChoice): Promise<{ report: BackendReport; backend: Backend }> {
  const cpu = (reason: string) => {
    const threads = cpuThreads();
    return { report: { kind: 'cpu' as const, detail: `float32, WebAssembly SIMD on ${threads.workers + 1} thread${threads.workers ? 's' : ''}`, reason }, backend: createBackend('cpu', { threads }) };
  };
  const gpu = (g: NodeGpu, reason: string) => ({
    report: { kind: 'webgpu' as const, detail: `${g.description}${g.software ? ', software' : ''}`, reason },
    backend: createBackend('webgpu', { device: g.device }),
  });
  switch (choice) {
    case 'cpu':
      return cpu('chosen with --backend cpu');
    case 'auto':
      {
        // Probed in a child process first: Dawn and drivers print to stderr while they look.
        const probe = await probeHardwareAdapter();
        if (!probe.hardware) return cpu(`auto: ${probe.reason}, so the CPU runs the plan`);
        try {
          const g = await createNodeGpu({ allowSoftware: false });
          return gpu(g, `auto: a hardware WebGPU adapter is available (${g.description})`);
        } catch (e) {
          return cpu(`auto: ${e instanceof Error ? e.message : String(e)}, so the CPU runs the plan`);
        }
      }
    case 'webgpu':
      try {
        const g = await createNodeGpu({ allowSoftware: true });
        return gpu(g, g.software ? 'chosen with --backend webgpu (this adapter is a software rasteriser: expect it to be slower than the CPU)' : 'chosen with --backend webgpu');
      } catch (e) {
        throw new TrainingSetupError(`--backend webgpu: ${e instanceof Error ? e.message : String(e)}. Use --backend cpu or auto.`);
      }
    default:
      return choice satisfies never;
  }
}

/** Resolve the recipe's dataset with its importer (paths relative to `projectDir`); import errors become one-line setup errors. */
export async function loadProjectData(project: Project, projectDir = '.'): Promise<DatasetSplits> {
  const id = project.training.datasetId;
  const ref = project.datasets.find((d) => d.id === id);
  if (!ref) throw new TrainingSetupError(id ? `The training recipe reads dataset "${id}", which the project does not list.` : 'The training recipe names no dataset.');
  try {
    return await loadDataset(ref, { projectDir, seed: project.training.seed, validationSplit: project.training.validationSplit });
  } catch (error) {
    if (error instanceof DatasetError) throw new TrainingSetupError(`Dataset "${ref.id}": ${error.message}`);
    throw error;
  }
}

export function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${t}-${Math.random().toString(36).slice(2, 6)}`;
}

/** The run to resume: the named one, or the newest run that has a checkpoint and did not complete. */
async function findResumable(projectDir: string, resume: true | string): Promise<{ runId: string; dir: string; checkpoint: Checkpoint; settings: RunSettings; project: Project }> {
  let runId: string;
  if (resume === true) {
    const candidate = (await listRunSummaries(projectDir)).find((r) => r.hasCheckpoint && r.status !== 'completed');
    if (!candidate) throw new TrainingSetupError(`No run of this project can be resumed: none in ${runDir(projectDir, '')} has a checkpoint and stopped before completing.`);
    runId = candidate.runId;
  } else runId = resume;
  const dir = runDir(projectDir, runId);
  const settings = await readRunSettings(dir);
  if (!settings) throw new TrainingSetupError(`There is no run "${runId}" in ${runDir(projectDir, '')}.`);
  const checkpoint = await readCheckpoint(dir, 'last').catch((e: unknown) => {
    throw new TrainingSetupError(e instanceof Error ? e.message : String(e));
  });
  if (!checkpoint) throw new TrainingSetupError(`Run "${runId}" has no checkpoint to resume from (it stopped before its first one).`);
  return { runId, dir, checkpoint, settings, project: await readRunProject(dir) };
}

export async function startLocalRun(request: LocalRunRequest): Promise<LocalRun> {
  const chosen = await chooseBackend(request.backend);
  const backend = chosen.report;
  const profiled = request.profile === true && chosen.backend instanceof CpuBackend ? chosen.backend : undefined;
  if (profiled !== undefined) profiled.clock = () => performance.now();
  const resumed = request.resume ? await findResumable(request.projectDir, request.resume) : undefined;
  // a resumed run trains the project as it was when the run started (its stored copy)
  const project = resumed?.project ?? request.project;
  const kfold = resumed ? resumed.settings.kfold : (request.kfold ?? project.training.kfold);
  if (resumed && kfold !== undefined) throw new TrainingSetupError('A k-fold run cannot be resumed: each fold is short, start it again.');
  const noKfold = kfoldUnavailable(project.training);
  if (kfold !== undefined && noKfold) throw new TrainingSetupError(noKfold);
  const data = await loadProjectData(project, request.projectDir);
  const runId = resumed?.runId ?? request.runId ?? newRunId();
  const dir = resumed?.dir ?? runDir(request.projectDir, runId);
  const settings: RunSettings = resumed
    ? { ...resumed.settings, resumes: resumed.settings.resumes + 1 }
    : {
        runId,
        project: project.name,
        recipe: kfold !== undefined ? `${project.training.recipe} (k-fold)` : project.training.recipe,
        startedAt: new Date().toISOString(),
        backend: `${backend.kind} (${backend.detail})`,
        epochs: request.epochs ?? project.training.epochs,
        seed: request.seed ?? project.training.seed,
        ...(kfold !== undefined ? { kfold } : {}),
        resumes: 0,
      };
  const initialWeights = request.weights !== undefined && !resumed ? await readInitialWeights(project, request.weights) : undefined;
  await prepareRunFolder(dir, settings, project);
  const run: SupervisedRun = {
    runId,
    project,
    data,
    backend: chosen.backend,
    backendReport: backend,
    epochs: resumed ? undefined : request.epochs,
    seed: resumed ? resumed.checkpoint.position.seed : request.seed,
    signal: request.signal,
    yieldToHost: request.yieldToHost ?? (() => new Promise((resolve) => setImmediate(resolve))),
    checkpoints: checkpointSink(dir),
    ...(resumed ? { resumeFrom: resumed.checkpoint } : {}),
    ...(initialWeights ? { initialWeights } : {}),
  };
  const source = project.training.recipe === 'adversarial' ? trainAdversarial(run) : kfold !== undefined ? trainKFold(run, kfold) : trainSupervised(run);
  return {
    runId, dir, backend, events: logged(dir, failuresAsEvents(source)),
    ...(profiled === undefined ? {} : { profile: () => busiestProfile(profiled.prepared, wasmMachine(profiled.runtime?.threads() ?? 1)) }),
  };
}

/**
 * Appends the events to the run's log in batches: every event but steps (kept every 10th), flushed
 * at each checkpoint and at the end, so a crash loses at most the lines since the last checkpoint.
 */
async function* logged(dir: string, source: AsyncGenerator<RunEvent>): AsyncGenerator<RunEvent> {
  let pending: RunEvent[] = [];
  try {
    for await (const event of source) {
      if (event.type !== 'step' || event.step % 10 === 0) pending.push(event);
      if (event.type !== 'step' && event.type !== 'histograms' && event.type !== 'predictions') {
        await appendEvents(dir, pending);
        pending = [];
      }
      yield event;
    }
  } finally {
    await appendEvents(dir, pending);
  }
}

/** The weights a fine-tuning run starts from: read and checked against the trained network. */
async function readInitialWeights(project: Project, file: string): Promise<Record<string, { data: ArrayLike<number> }>> {
  if (project.training.recipe !== 'supervised') throw new TrainingSetupError('Starting from a weights file (--weights) applies to supervised projects; this one trains adversarially.');
  const networkId = project.training.networks.model ?? Object.values(project.training.networks)[0];
  const network = project.networks.find((n) => n.id === networkId);
  if (!network) throw new TrainingSetupError(`The training recipe names network "${networkId}", which the project does not have.`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new TrainingSetupError(`Cannot read the weights file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message}.`);
  }
  try {
    return importWeights(network, bytes, file).weights;
  } catch (e) {
    throw new TrainingSetupError(e instanceof Error ? e.message : String(e));
  }
}
