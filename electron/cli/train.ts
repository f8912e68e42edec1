/**
 * @file `brrr train` behind its argument checks: start a local run, show progress (or emit JSON
 * events, steps throttled as the dashboards get them), stop cleanly on Ctrl+C, and turn setup
 * problems into one clear line.
 */
import { throttleSteps } from '../../core/train/throttle';
import { TrainingSetupError } from '../../core/train/supervised';
import { startLocalRun } from '../services/runs/localRun';
import type { TrainRequest } from './engine';
import { CliError } from './errors';
import type { CliIo } from './io';
import { TrainProgress } from './trainProgress';

export async function runTraining(request: TrainRequest, io: CliIo): Promise<number> {
  if (request.kfold !== undefined) throw new CliError('k-fold cross-validation (--kfold) is not in this build yet; it arrives with the run manager.', { code: 'E_UNAVAILABLE' });
  if (request.resume) throw new CliError('--resume is not in this build yet: checkpoints arrive with the run manager.', { code: 'E_UNAVAILABLE' });
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
    if (!request.json) io.out(`Run log: ${run.dir}`);
    return status === 'completed' ? 0 : status === 'stopped' ? 130 : 1;
  } catch (e) {
    if (e instanceof TrainingSetupError) throw new CliError(e.message, { code: 'E_TRAIN_SETUP', diagnostics: e.diagnostics });
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
