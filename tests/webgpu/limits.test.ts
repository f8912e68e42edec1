/**
 * @file WebGPU failure modes and limits: a tensor larger than the adapter's binding limit is
 * refused at prepare with a message naming it; every generated program binds at most 4 storage
 * buffers (the compatibility-mode minimum), concat included, and so does every fused program
 * under a budget of 4; a lost device turns the next run
 * into a typed GpuBackendError('device-lost'), not a crash; pipelines are shared between steps
 * with the same kernel structure.
 */
import { expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { GpuBackendError } from '../../core/backends/webgpu/errors';
import { planFusion } from '../../core/backends/webgpu/fusion';
import { gpuLowerings, type GpuWork } from '../../core/backends/webgpu/lower';
import type { StepIo } from '../../core/backends/webgpu/program';
import { WebGpuBackend } from '../../core/backends/webgpu/webgpuBackend';
import { compile } from '../../core/compile';
import type { PrimKernel } from '../../core/compile/plan';
import type { Prim } from '../../core/ir/prims';
import { Tracer } from '../../core/tensor';
import { createNodeGpu } from '../../electron/engine/webgpu';
import { layerConformance, primConformance } from './conformance';
import { nodeGpu } from './support';

test('a tensor over the binding limit is refused, naming it', async () => {
  const { device } = await nodeGpu();
  const n = Math.floor(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) / 4) + 1024;
  const t = new Tracer();
  t.run((tr) => t.output('y', tr.input('huge_input', [n]).exp()));
  const backend = createBackend('webgpu', { device });
  expect(() => backend.prepare(compile(t.graph))).toThrow(/tensor 'huge_input' \(\d+ elements\) needs [\d.]+ MiB, more than this GPU allows/);
});

test('every generated program binds at most 4 storage buffers', () => {
  let programs = 0;
  for (const c of [...primConformance(), ...layerConformance()]) {
    for (const s of c.plan.steps) {
      if (s.op !== 'run') continue;
      const storage = (id: number) => c.plan.buffers[id].storage;
      const io: StepIo = { inputs: s.inputs.map((b) => ({ buffer: b, storage: storage(b) })), output: { buffer: s.output, storage: storage(s.output) } };
      const lower = gpuLowerings[s.kernel.prim] as (k: PrimKernel<Prim>, io: StepIo, ctx: { seed: number }) => GpuWork[];
      for (const w of lower(s.kernel, io, { seed: 0 })) {
        if (w.kind !== 'dispatch') continue;
        programs++;
        expect(w.program.buffers.length, `${c.label}: ${w.program.name}`).toBeLessThanOrEqual(4);
      }
    }
  }
  expect(programs).toBeGreaterThan(500);
});

test('with a budget of 4 bindings, every fused program binds at most 4 storage buffers', () => {
  let fused = 0;
  for (const c of [...primConformance(), ...layerConformance()]) {
    for (const p of planFusion(c.plan, 4).programs.values()) {
      fused++;
      expect(p.buffers.length, `${c.label}: ${p.name}`).toBeLessThanOrEqual(4);
    }
  }
  expect(fused).toBeGreaterThan(50);
});

test('a lost device stops the next run with a typed error', async () => {
  const own = await createNodeGpu();
  const t = new Tracer();
  t.run((tr) => t.output('y', tr.input('x', [4]).exp()));
  const exe = createBackend('webgpu', { device: own.device }).prepare(compile(t.graph));
  expect(Array.from((await exe.run({ x: [0, 0, 0, 0] })).y)).toEqual([1, 1, 1, 1]);
  own.device.destroy();
  await own.device.lost;
  const failure = await exe.run({ x: [0, 0, 0, 0] }).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(GpuBackendError);
  expect((failure as GpuBackendError).failure).toBe('device-lost');
  expect((failure as Error).message).toMatch(/device was lost.*last checkpoint is kept/);
});

test('steps with the same kernel structure share one pipeline', async () => {
  const { device } = await nodeGpu();
  const backend = new WebGpuBackend(device);
  const t = new Tracer();
  t.run((tr) => {
    const a = tr.input('a', [3, 5]);
    const b = tr.input('b', [2, 9]);
    t.output('y', a.exp().sum());
    t.output('z', b.exp().sum());
  });
  backend.prepare(compile(t.graph));
  expect(backend.pipelineCount).toBe(2); // exp and sum, each once: shapes live in uniforms (ranks are baked in)
});
