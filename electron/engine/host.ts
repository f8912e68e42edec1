/**
 * @file The engine host: a worker thread that runs one training run, so neither the UI nor the
 * services ever wait on a step. It runs the same code path as `brrr train` (`startLocalRun`),
 * posts its events in throttled batches, pauses between steps, and stops through an
 * AbortController (the recipe then writes a checkpoint and reports `stopped`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseProject } from '../../core/project';
import { batchEvents } from '../../core/train/throttle';
import { startLocalRun } from '../services/runs/localRun';
import { HOST_PROTOCOL_VERSION, isHostControl, type HostMessage, type HostStart } from './protocol';

const BATCH_MS = 100;

async function main(port: NonNullable<typeof parentPort>, start: HostStart): Promise<void> {
  const post = (message: HostMessage) => port.postMessage(message);
  if (start.v !== HOST_PROTOCOL_VERSION) return post({ type: 'failed', runId: start.runId, message: `The engine host speaks protocol ${HOST_PROTOCOL_VERSION}, the studio sent ${start.v}.` });
  const parsed = parseProject(start.project);
  if (!parsed.ok) return post({ type: 'failed', runId: start.runId, message: `The project is not valid: ${parsed.diagnostics[0]?.message ?? 'invalid'}` });

  const controller = new AbortController();
  let paused = false;
  let wake: (() => void) | undefined;
  port.on('message', (message: unknown) => {
    if (!isHostControl(message)) return;
    if (message.type === 'pause') paused = true;
    else {
      if (message.type === 'stop') controller.abort();
      paused = false;
      wake?.();
    }
  });
  // between steps: let control messages in, and hold while paused
  const yieldToHost = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    while (paused) await new Promise<void>((resolve) => (wake = resolve));
  };
  try {
    const run = await startLocalRun({
      project: parsed.project,
      projectDir: start.projectDir,
      backend: start.backend,
      runId: start.runId,
      signal: controller.signal,
      yieldToHost,
      ...(start.epochs !== undefined ? { epochs: start.epochs } : {}),
      ...(start.seed !== undefined ? { seed: start.seed } : {}),
      ...(start.kfold !== undefined ? { kfold: start.kfold } : {}),
      ...(start.resume !== undefined ? { resume: start.resume } : {}),
    });
    for await (const events of batchEvents(run.events, BATCH_MS)) post({ type: 'events', runId: start.runId, events });
  } catch (e) {
    post({ type: 'failed', runId: start.runId, message: e instanceof Error ? e.message : String(e) });
  }
  port.close();
}

if (parentPort) void main(parentPort, workerData as HostStart);
