/**
 * @file Which weights an export or a prediction uses, and from where: a given safetensors file
 * (checked name by name against the network), a run's checkpoint (`runs/<runId>/checkpoints/
 * {last,best}.safetensors`, with the project copy the run trained), or, when the project has no
 * trained run, a fresh initialisation from the project's seed, said as such.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createBackend } from '../../../core/backends';
import { ExportError } from '../../../core/export/errors';
import { initialWeights } from '../../../core/export/inference';
import { trainedNetwork } from '../../../core/export/pytorch';
import { compareWeights, importWeights, modelWeightsOf, type ModelWeights, type WeightsProvenance } from '../../../core/export/weights';
import type { Network, Project } from '../../../core/project';
import { checkpointPath, listRunSummaries, readCheckpoint, readRunProject, runDir } from '../runs/runFolder';

export type CheckpointKind = 'last' | 'best';

export interface WeightsRequest {
  projectDir: string;
  project: Project;
  /** A run id; default: the newest run with a checkpoint. */
  run?: string;
  /** Default: best when the run has one, else last. */
  checkpoint?: CheckpointKind;
  /** A weights file instead of a run. */
  weightsFile?: string;
  engineVersion: string;
}

export interface TrainedWeights {
  /** The project whose network the weights belong to (a run's own copy when from a run). */
  project: Project;
  network: Network;
  weights: ModelWeights;
  provenance: WeightsProvenance;
  /** One line for people: where the weights come from. */
  source: string;
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

export async function resolveWeights(request: WeightsRequest): Promise<TrainedWeights> {
  const base = { project: request.project.name, engineVersion: request.engineVersion };
  if (request.weightsFile) {
    const network = trainedNetwork(request.project);
    const file = basename(request.weightsFile);
    const { weights, metadata } = importWeights(network, new Uint8Array(await readFile(request.weightsFile)), file);
    const step = metadata['brrr.step'] === undefined ? undefined : Number(metadata['brrr.step']);
    return {
      project: request.project,
      network,
      weights,
      provenance: { ...base, network: network.id, run: metadata['brrr.run'], checkpoint: file, step },
      source: `weights from ${request.weightsFile}`,
    };
  }

  const runs = await listRunSummaries(request.projectDir);
  const run = request.run === undefined ? runs.find((r) => r.hasCheckpoint) : runs.find((r) => r.runId === request.run);
  if (request.run !== undefined && !run) {
    throw new ExportError(`Run "${request.run}" is not in ${request.projectDir}/runs (runs: ${runs.map((r) => r.runId).join(', ') || 'none'}).`);
  }
  if (!run) {
    const network = trainedNetwork(request.project);
    const seed = request.project.training.seed;
    const weights = await initialWeights(network, createBackend('cpu'), seed);
    return { project: request.project, network, weights, provenance: { ...base, network: network.id, checkpoint: 'initial' }, source: `no trained run yet: a fresh initialisation (seed ${seed})` };
  }

  const dir = runDir(request.projectDir, run.runId);
  const kind: CheckpointKind = request.checkpoint ?? ((await exists(checkpointPath(dir, 'best'))) ? 'best' : 'last');
  const checkpoint = await readCheckpoint(dir, kind);
  if (!checkpoint) throw new ExportError(`Run "${run.runId}" has no ${kind} checkpoint (${checkpointPath(dir, kind)}).`);
  const project = await readRunProject(dir).catch(() => request.project);
  const network = trainedNetwork(project);
  const weights = modelWeightsOf(network, checkpoint.variables);
  const problems = compareWeights(network, weights);
  if (problems.length > 0) throw new ExportError(`The ${kind} checkpoint of run "${run.runId}" does not fit network "${network.name}": ${problems.join('; ')}.`);
  const p = checkpoint.position;
  return {
    project,
    network,
    weights,
    provenance: { ...base, network: network.id, run: run.runId, checkpoint: kind, step: p.step, metrics: p.metrics },
    source: `run ${run.runId}, ${kind} checkpoint (step ${p.step}${p.best && kind === 'best' ? `, ${p.best.metric} ${p.best.value.toFixed(4)}` : ''})`,
  };
}
