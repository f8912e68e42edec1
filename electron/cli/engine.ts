/**
 * @file The command line's one door into the engine. Each command validates its arguments fully,
 * then calls exactly one function here. Wiring a command means replacing the body of its function
 * (and nothing in the command module):
 *
 *   brrr train       → trainProject
 *   brrr export      → exportProject
 *   brrr predict     → predictWithProject
 *   brrr data inspect→ inspectData
 *   brrr bench       → runBenchmarks
 *
 * Contract for every function: report progress with `io.out` (people) or, when `request.json`
 * is set, one `io.json({ type, ... })` event per line; fail by throwing a `CliError` with one
 * clear line (it becomes `brrr: ...` on stderr, or `{"type":"error",...}` with `--json`);
 * return the exit code (0 on success).
 */
import { fileURLToPath } from 'node:url';
import { notAvailableYet } from './errors';
import { runInspect } from './inspect';
import { runExport, runPredict } from './exportModel';
import { runTraining } from './train';
import type { CliIo } from './io';
import type { LoadedProject } from './projectArg';

export const BACKENDS = ['auto', 'cpu', 'webgpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export const EXPORT_FORMATS = ['safetensors', 'onnx', 'pytorch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface TrainRequest {
  /** Parsed and schema-checked; graph validation is the engine's job. */
  project: LoadedProject;
  /** Overrides `project.training.epochs` when set. */
  epochs?: number;
  backend: BackendChoice;
  /** Overrides `project.training.seed` when set. */
  seed?: number;
  /** k-fold cross-validation (k >= 2) when set; overrides `project.training.kfold`. */
  kfold?: number;
  /** Continue from the project's latest checkpoint instead of starting fresh. */
  resume: boolean;
  /** Absolute path of a weights file to start from (fine-tuning). */
  weights?: string;
  json: boolean;
  /** Time every kernel and print where a training step's time goes (`--profile`). */
  profile?: boolean;
}

export interface ExportRequest {
  project: LoadedProject;
  format: ExportFormat;
  /** Absolute path of the file (safetensors, onnx) or folder (pytorch) to write. */
  out: string;
  /** A run id; default: the newest run with a checkpoint. */
  run?: string;
  /** Default: best when the run has one, else last. */
  checkpoint?: 'last' | 'best';
  /** Absolute path of a weights file to export instead of a run's. */
  weights?: string;
}

export interface PredictRequest {
  project: LoadedProject;
  /** Absolute path of an existing input file (an image, a CSV row set, a .npy array). */
  input: string;
  json: boolean;
  run?: string;
  checkpoint?: 'last' | 'best';
}

export interface InspectDataRequest {
  /** Absolute path of an existing file or folder. */
  path: string;
  json: boolean;
}

export interface BenchRequest {
  json: boolean;
  /** a short run (fewer sizes, rounds and steps) */
  quick?: boolean;
  /** comma-separated cases (W1..W5); all when absent */
  only?: string;
}

/** `brrr train`: train the project's network with its recipe and save runs and checkpoints. */
export async function trainProject(request: TrainRequest, io: CliIo): Promise<number> {
  return runTraining(request, io);
}

/** `brrr export`: write the trained weights or model in `format` to `out`. */
export async function exportProject(request: ExportRequest, io: CliIo): Promise<number> {
  return runExport(request, io);
}

/** `brrr predict`: run the trained model on one input and print what it predicts. */
export async function predictWithProject(request: PredictRequest, io: CliIo): Promise<number> {
  return runPredict(request, io);
}

/** `brrr data inspect`: describe a dataset file or folder (format, samples, fields, shapes). */
export async function inspectData(request: InspectDataRequest, io: CliIo): Promise<number> {
  return runInspect(request, io);
}

/** `brrr bench`: run the benchmark suite, printing ours, the peer's and the ratio per case. */
export async function runBenchmarks(request: BenchRequest, io: CliIo): Promise<number> {
  const { runBench } = await import('../../bench/run');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  await runBench({
    quick: request.quick === true,
    ...(request.only === undefined ? {} : { only: request.only }),
    root,
    log: (line) => (request.json ? undefined : io.out(line)),
    ...(request.json ? { json: (event: { type: string } & Record<string, unknown>) => io.json(event) } : {}),
  });
  return 0;
}
