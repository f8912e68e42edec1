/**
 * @file Starting a training run on this machine: resolve the project's dataset, choose the backend
 * (and say why), and stream the recipe's events, each also appended to the run's JSONL log in
 * `<project>/runs/<runId>/events.jsonl`. Used by `brrr train`; the run manager builds on it.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createBackend } from '../../../core/backends';
import type { Project } from '../../../core/project';
import type { BackendReport, RunEvent } from '../../../core/train/events';
import { trainSupervised, TrainingSetupError } from '../../../core/train/supervised';
import { loadBuiltinDataset, type DatasetSplits } from '../datasets/builtin';

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
}

export interface LocalRun {
  runId: string;
  dir: string;
  backend: BackendReport;
  events: AsyncGenerator<RunEvent>;
}

export function chooseBackend(choice: BackendChoice): BackendReport {
  switch (choice) {
    case 'cpu':
      return { kind: 'cpu', detail: 'float32', reason: 'chosen with --backend cpu' };
    case 'auto':
      return { kind: 'cpu', detail: 'float32', reason: 'auto: this build has no WebGPU backend yet, so the CPU runs the plan' };
    case 'webgpu':
      throw new TrainingSetupError('The WebGPU backend is not in this build yet; use --backend cpu or auto.');
    default:
      return choice satisfies never;
  }
}

export async function loadProjectData(project: Project): Promise<DatasetSplits> {
  const id = project.training.datasetId;
  const ref = project.datasets.find((d) => d.id === id);
  if (!ref) throw new TrainingSetupError(id ? `The training recipe reads dataset "${id}", which the project does not list.` : 'The training recipe names no dataset.');
  if (!ref.source.startsWith('builtin:')) {
    throw new TrainingSetupError(`Dataset "${ref.id}" reads ${ref.source}; this build trains on the built-in datasets only (builtin:mnist, builtin:blobs).`);
  }
  return loadBuiltinDataset(ref.source, ref.options, project.training.seed);
}

function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${t}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function startLocalRun(request: LocalRunRequest): Promise<LocalRun> {
  const backend = chooseBackend(request.backend);
  const data = await loadProjectData(request.project);
  const runId = request.runId ?? newRunId();
  const dir = join(request.projectDir, 'runs', runId);
  await mkdir(dir, { recursive: true });
  const log = join(dir, 'events.jsonl');
  const source = trainSupervised({
    runId,
    project: request.project,
    data,
    backend: createBackend('cpu'),
    backendReport: backend,
    epochs: request.epochs,
    seed: request.seed,
    signal: request.signal,
    yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
  });
  async function* logged(): AsyncGenerator<RunEvent> {
    for await (const event of source) {
      if (event.type !== 'step' || event.step % 10 === 0) await appendFile(log, `${JSON.stringify(event)}\n`);
      yield event;
    }
  }
  return { runId, dir, backend, events: logged() };
}
