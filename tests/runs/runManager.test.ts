/**
 * @file Run control through the engine-host worker: stop mid-epoch then resume lands on the same
 * weights as an uninterrupted run (bit for bit, CPU backend); a killed worker is reported as a
 * failed, resumable run, loses only the steps since its last checkpoint, and never touches the
 * project file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_FILE_NAME, serializeProject, type Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import type { RunEvent } from '../../core/train/events';
import { createRunManager, type RunManager } from '../../electron/services/runs/runManager';
import { listRunSummaries, readCheckpoint, readEvents, runDir } from '../../electron/services/runs/runFolder';
import { engineHost } from './engineHost';

let dir: string;
let manager: RunManager;
const received = new Map<string, RunEvent[]>();

function project(checkpointEverySteps: number): Project {
  const p = findTemplate('neuron')!.build('Blobs');
  p.datasets = [{ id: 'blobs', source: 'builtin:blobs', kind: 'builtin', options: { samples: 720 } }];
  Object.assign(p.training, { datasetId: 'blobs', epochs: 2, batchSize: 8, checkpointEverySteps });
  p.training.optimizer = { type: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  return p;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'brrr-runs-'));
  manager = createRunManager({ hostEntry: await engineHost(), onEvents: (runId, _dir, events) => received.set(runId, [...(received.get(runId) ?? []), ...events]) });
});
afterAll(async () => {
  await manager.close();
  await rm(dir, { recursive: true, force: true });
});

async function sameWeights(a: string, b: string): Promise<void> {
  const x = (await readCheckpoint(a))!;
  const y = (await readCheckpoint(b))!;
  expect(y.position.step).toBe(x.position.step);
  expect(Object.keys(y.variables).sort()).toEqual(Object.keys(x.variables).sort());
  for (const name of Object.keys(x.variables)) expect(Buffer.from(y.variables[name].data.buffer).equals(Buffer.from(x.variables[name].data.buffer)), name).toBe(true);
}

describe('run manager', () => {
  it('stops a run mid-epoch in its worker and resumes it to the same weights as an uninterrupted run', async () => {
    const p = project(1000);
    const { runId: full } = await manager.start({ projectDir: dir, project: p, backend: 'cpu', runId: 'full' });
    expect((await manager.finished(full)).status).toBe('completed');

    const { runId } = await manager.start({ projectDir: dir, project: p, backend: 'cpu', runId: 'interrupted' });
    manager.stop(runId); // taken in before the first steps: the recipe stops after the step it is in
    const stopped = await manager.finished(runId);
    expect(stopped).toMatchObject({ status: 'stopped', resumable: true });
    const stepsPerEpoch = (received.get(runId)!.find((e) => e.type === 'start') as Extract<RunEvent, { type: 'start' }>).stepsPerEpoch;
    expect(stopped.step % stepsPerEpoch).not.toBe(0);
    expect(stopped.step).toBeLessThan(2 * stepsPerEpoch);

    const again = await manager.start({ projectDir: dir, project: p, backend: 'cpu', resume: true });
    expect(again.runId).toBe('interrupted');
    expect(await manager.finished('interrupted')).toMatchObject({ status: 'completed', step: 2 * stepsPerEpoch });
    await sameWeights(runDir(dir, 'full'), runDir(dir, 'interrupted'));
    const log = await readEvents(runDir(dir, 'interrupted'));
    expect(log.find((e) => e.type === 'resumed')).toMatchObject({ step: stopped.step });
  });

  it('reports a killed worker as a failed, resumable run that loses only the steps since its checkpoint; the project file is untouched', async () => {
    const p = project(5);
    const file = join(dir, PROJECT_FILE_NAME);
    await writeFile(file, serializeProject(p));
    const before = await readFile(file);

    const { runId } = await manager.start({ projectDir: dir, project: p, backend: 'cpu', runId: 'killed' });
    manager.pause(runId); // holds at the next pause point (every 8 steps), after the checkpoint at step 5
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if ((received.get(runId) ?? []).some((e) => e.type === 'checkpoint')) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await manager.kill(runId);
    const done = await manager.finished(runId);
    expect(done.status).toBe('failed');
    expect(done.resumable).toBe(true);
    expect(done.message).toMatch(/stopped unexpectedly.*Resume it to continue from its last checkpoint \(step \d+\)/);
    const saved = (await readCheckpoint(runDir(dir, runId)))!.position.step;
    const lastCheckpoint = received.get(runId)!.filter((e): e is Extract<RunEvent, { type: 'checkpoint' }> => e.type === 'checkpoint').at(-1)!;
    expect(saved).toBe(lastCheckpoint.step);
    const lastStep = Math.max(...received.get(runId)!.filter((e) => e.type === 'step').map((e) => (e as Extract<RunEvent, { type: 'step' }>).step));
    expect(lastStep - saved).toBeLessThan(5);
    expect((await listRunSummaries(dir)).find((r) => r.runId === runId)).toMatchObject({ status: 'failed', hasCheckpoint: true });

    await manager.start({ projectDir: dir, project: p, backend: 'cpu', resume: runId });
    expect(await manager.finished(runId)).toMatchObject({ status: 'completed' });
    expect((await readEvents(runDir(dir, runId))).find((e) => e.type === 'resumed')).toMatchObject({ step: saved });
    expect(await readFile(file)).toEqual(before);
    // same data, seed and steps as the run above with checkpoints every 1000 steps: the same weights
    await sameWeights(runDir(dir, 'full'), runDir(dir, runId));
  });

  it('pauses between steps and carries on when resumed', async () => {
    const { runId } = await manager.start({ projectDir: dir, project: project(1000), backend: 'cpu', runId: 'paused' });
    manager.pause(runId); // taken in at the latest at the first pause point, step 8
    await new Promise((resolve) => setTimeout(resolve, 400));
    const steps = () => (received.get(runId) ?? []).filter((e) => e.type === 'step').map((e) => (e as Extract<RunEvent, { type: 'step' }>).step);
    expect((received.get(runId) ?? []).some((e) => e.type === 'done')).toBe(false);
    expect(Math.max(0, ...steps())).toBeLessThanOrEqual(8);
    manager.resume(runId);
    expect(await manager.finished(runId)).toMatchObject({ status: 'completed' });
    expect(Math.max(...steps())).toBeGreaterThan(8);
  });

  it('reports a run that cannot start as failed with the reason', async () => {
    const p = project(5);
    p.training.datasetId = 'missing';
    const { runId } = await manager.start({ projectDir: dir, project: p, backend: 'cpu', runId: 'broken' });
    const done = await manager.finished(runId);
    expect(done).toMatchObject({ status: 'failed', resumable: false });
    expect(done.message).toMatch(/dataset "missing"/);
  });
});
