/**
 * @file The browser side of the Chromium conformance test, bundled by esbuild in the test: the
 * same WebGpuBackend as in Node, on a device from `navigator.gpu` (only device creation differs).
 * `window.brrrConformance(cases)` runs each plan and returns its outputs as plain arrays.
 */
/// <reference types="@webgpu/types" />
import { WebGpuBackend } from '../../../core/backends/webgpu/webgpuBackend';
import type { Plan } from '../../../core/compile/plan';

interface PageCase {
  plan: Plan;
  inputs: Record<string, number[]>;
  variables: Record<string, number[]>;
  seed: number;
}

interface PageResult {
  adapter: { architecture: string; vendor: string; fallback: boolean };
  outputs: Record<string, number[]>[];
  errors: string[];
}

async function brrrConformance(cases: PageCase[]): Promise<PageResult> {
  const gpu = navigator.gpu;
  const adapter = (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ featureLevel: 'compatibility' }));
  if (adapter === null) throw new Error('navigator.gpu.requestAdapter() gave no adapter (is --enable-unsafe-webgpu set?)');
  const device = await adapter.requestDevice({ requiredLimits: { maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage } });
  const backend = new WebGpuBackend(device);
  const outputs: Record<string, number[]>[] = [];
  const errors: string[] = [];
  for (const c of cases) {
    try {
      const exe = backend.prepare(c.plan, { seed: c.seed });
      for (const [name, v] of Object.entries(c.variables)) exe.writeVariable(name, v);
      const out = await exe.run(c.inputs);
      exe.dispose();
      outputs.push(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v)])));
      errors.push('');
    } catch (e) {
      outputs.push({});
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return { adapter: { architecture: info.architecture, vendor: info.vendor, fallback: info.isFallbackAdapter === true }, outputs, errors };
}

(globalThis as unknown as { brrrConformance: typeof brrrConformance }).brrrConformance = brrrConformance;
