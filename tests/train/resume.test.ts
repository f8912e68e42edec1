/** @file Checkpoints and resume in the supervised recipe: stop mid-epoch, resume, and land on the same weights and loss curve as an uninterrupted run (bit for bit on the CPU backend). */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { makeBlobs } from '../../core/data';
import type { Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../core/train/checkpoint';
import type { RunEvent } from '../../core/train/events';
import { trainSupervised, type CheckpointSink } from '../../core/train/supervised';

const cpu = { kind: 'cpu', detail: 'float32', reason: 'test' } as const;

function project(): Project {
  const p = findTemplate('neuron')!.build('Neuron');
  p.training.epochs = 3;
  p.training.batchSize = 16;
  p.training.checkpointEverySteps = 4;
  p.training.optimizer = { type: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  return p;
}

/** Keeps checkpoints in memory, through the real encoding. */
function memorySink(): CheckpointSink & { last?: Checkpoint; best?: Checkpoint; saves: number } {
  const sink: CheckpointSink & { last?: Checkpoint; best?: Checkpoint; saves: number } = {
    saves: 0,
    async save(cp, kind) {
      sink.saves++;
      sink[kind] = decodeCheckpoint(encodeCheckpoint(cp), `${kind}.safetensors`);
      return `${kind}.safetensors`;
    },
  };
  return sink;
}

const data = { train: makeBlobs(120, 3) };

async function run(options: { stopAt?: number; resumeFrom?: Checkpoint; sink?: CheckpointSink }): Promise<RunEvent[]> {
  const controller = new AbortController();
  const events: RunEvent[] = [];
  for await (const e of trainSupervised({ runId: 'r', project: project(), data, backend: createBackend('cpu'), backendReport: cpu, signal: controller.signal, checkpoints: options.sink ?? memorySink(), resumeFrom: options.resumeFrom })) {
    events.push(e);
    if (e.type === 'step' && e.step === options.stopAt) controller.abort();
  }
  return events;
}

const losses = (events: RunEvent[]) => events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step').map((e) => e.loss);

describe('checkpoints and resume', () => {
  it('stops mid-epoch and resumes to the same loss curve and bit-identical weights', async () => {
    const full = memorySink();
    const uninterrupted = await run({ sink: full });
    expect((uninterrupted.at(-1) as Extract<RunEvent, { type: 'done' }>).status).toBe('completed');
    // 120 samples, 10% validation → 108 train → 6 steps per epoch; stop inside epoch 2
    const first = memorySink();
    const stopped = await run({ stopAt: 8, sink: first });
    const done = stopped.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done).toMatchObject({ status: 'stopped', step: 8, resumable: true });
    expect(first.last!.position).toMatchObject({ step: 8, epoch: 1, stepInEpoch: 2 });

    const second = memorySink();
    const resumed = await run({ resumeFrom: first.last, sink: second });
    expect(resumed.find((e) => e.type === 'resumed')).toMatchObject({ step: 8, epoch: 1, stepInEpoch: 2 });
    expect([...losses(stopped), ...losses(resumed)]).toEqual(losses(uninterrupted));
    const a = full.last!.variables;
    const b = second.last!.variables;
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(Object.keys(a).some((name) => name.startsWith('opt/'))).toBe(true);
    for (const name of Object.keys(a)) expect(Buffer.from(b[name].data.buffer).equals(Buffer.from(a[name].data.buffer))).toBe(true);
    expect(second.last!.position.step).toBe(18);
  });

  it('writes a checkpoint every checkpointEverySteps steps and at every epoch end, and keeps the best', async () => {
    const sink = memorySink();
    const events = await run({ sink });
    const checkpoints = events.filter((e): e is Extract<RunEvent, { type: 'checkpoint' }> => e.type === 'checkpoint');
    // steps 4, 6 (epoch end), 8, 12 (epoch end) ... plus a best after each improving epoch
    expect(checkpoints.filter((c) => c.kind === 'last').map((c) => c.step)).toEqual([4, 6, 8, 12, 16, 18]);
    expect(checkpoints.some((c) => c.kind === 'best')).toBe(true);
    expect(sink.best!.position.best!.metric).toBe('val_loss');
  });

  it('stops early when the watched metric stops improving for `patience` epochs, keeping the best checkpoint', async () => {
    const p = project();
    p.training.epochs = 30;
    p.training.earlyStopping = { metric: 'val_accuracy', patience: 2, mode: 'max' };
    const sink = memorySink();
    const events: RunEvent[] = [];
    for await (const e of trainSupervised({ runId: 'r', project: p, data, backend: createBackend('cpu'), backendReport: cpu, checkpoints: sink })) events.push(e);
    const note = events.find((e) => e.type === 'warning' && e.code === 'I_EARLY_STOPPED');
    expect(note).toBeDefined();
    const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done.status).toBe('completed');
    expect(done.epochs).toBeLessThan(30);
    expect(done.epochs - done.metrics.best_epoch).toBe(2);
    expect(sink.best!.position.best).toMatchObject({ metric: 'val_accuracy', epoch: done.metrics.best_epoch, value: done.metrics.best_val_accuracy });
  });

  it('refuses a checkpoint of another model, naming the missing variable', async () => {
    const foreign: Checkpoint = { position: { version: 1, runId: 'x', recipe: 'supervised', seed: 1, step: 2, epoch: 0, stepInEpoch: 2, epochs: 3, metrics: {}, sinceBest: 0 }, variables: {} };
    await expect(run({ resumeFrom: foreign })).rejects.toThrow(/has no variable/);
  });
});
