/**
 * @file `brrr train` behind its argument checks: start a local run in-process through the same
 * code path as the studio's engine host (`startLocalRun`: recipes, checkpoints, run folder),
 * optionally k-fold or resumed from the latest checkpoint; show progress (or emit JSON events,
 * steps throttled as the dashboards get them), stop cleanly on Ctrl+C (a checkpoint is written,
 * `--resume` continues), and turn setup problems into one clear line.
 */
import { throttleSteps } from '../../core/train/throttle';
import { TrainingSetupError } from '../../core/train/supervised';
import { startLocalRun } from '../services/runs/localRun';
import type { TrainRequest } from './engine';
import { CliError, UsageError } from './errors';
import type { CliIo } from './io';
import { TrainProgress } from './trainProgress';

export async function runTraining(request: TrainRequest, io: CliIo): Promise<number> {
  if (request.resume && request.kfold !== undefined) throw new UsageError('--resume and --kfold cannot be combined: a k-fold run is not resumed, start it again.');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const run = await startLocalRun({
      project: request.project.project,
      projectDir: request.project.dir,
      backend: request.backend,
      epochs: request.epochs,
      seed: request.seed,
      signal: controller.signal,
      ...(request.kfold !== undefined ? { kfold: request.kfold } : {}),
      ...(request.resume ? { resume: true } : {}),
      ...(request.weights !== undefined ? { weights: request.weights } : {}),
      ...(request.profile === true ? { profile: true } : {}),
    });
    const tty = !request.json && process.stdout.isTTY === true;
    const progress = new TrainProgress(io.out, tty ? (line) => process.stdout.write(`\r\x1b[2K${line}`) : undefined);
    let status = 'failed';
    const events = request.json ? throttleSteps(run.events, 100) : run.events;
    for await (const event of events) {
      if (request.json) io.json(event);
      else progress.show(event);
      if (event.type === 'done') status = event.status;
    }
    if (!request.json) io.out(`Run log: ${run.dir}${status === 'stopped' ? ' (continue with --resume)' : ''}`);
    if (run.profile !== undefined) {
      const lines = run.profile();
      if (request.json) io.json({ type: 'profile', lines });
      else for (const line of lines) io.out(line);
    }
    return status === 'completed' ? 0 : status === 'stopped' ? 130 : 1;
  } catch (e) {
    if (e instanceof TrainingSetupError) throw new CliError(e.message, { code: 'E_TRAIN_SETUP', diagnostics: e.diagnostics });
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
