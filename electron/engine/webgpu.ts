/**
 * @file A GPUDevice in Node, through Dawn (the `webgpu` npm package), plus what the studio says
 * about it: adapter name, whether it is real hardware or a software/fallback rasteriser, limits.
 *
 * Order of attempts: Dawn's default backend (Vulkan/Metal/D3D12) with a core adapter, then
 * OpenGL ES with a compatibility adapter on Mesa's surfaceless EGL platform (the only path on a
 * machine without a GPU driver Dawn accepts: Mesa 22's lavapipe is refused, plain EGL needs a
 * display). `EGL_PLATFORM=surfaceless` must be in the environment before Dawn initialises EGL.
 * The device asks for the adapter's own storage-buffer, buffer-size and workgroup limits.
 */
/// <reference types="@webgpu/types" />
import { createRequire } from 'node:module';

export interface NodeGpu {
  /** Dawn's instance: it must outlive the device (a collected instance takes the device down) */
  gpu: GPU;
  device: GPUDevice;
  adapter: GPUAdapter;
  /** e.g. "mesa llvmpipe (OpenGL ES 3.2 Mesa 22.3.6)" */
  description: string;
  /** a software rasteriser or fallback adapter: correct, but slower than the CPU backend */
  software: boolean;
  /** 'default' (Vulkan/Metal/D3D12) or 'opengles' */
  dawnBackend: 'default' | 'opengles';
  featureLevel: 'core' | 'compatibility';
}

/** Why no GPU could be had, in words (for the CLI and the studio). */
export class NoGpuError extends Error {
  override readonly name = 'NoGpuError';
}

const SOFTWARE = /llvmpipe|softpipe|swiftshader|lavapipe|software|microsoft basic render/i;

/** A software rasteriser or fallback adapter (correct, but slower than the CPU backend). */
export const isSoftwareAdapter = (description: string, fallback: boolean): boolean => fallback || SOFTWARE.test(description);

/** Human description of an adapter and whether it is software. */
export function describeAdapter(adapter: GPUAdapter): { description: string; software: boolean } {
  const i = adapter.info;
  const parts = [i.vendor, i.architecture, i.device, i.description].filter((s) => typeof s === 'string' && s.length > 0);
  const description = parts.length > 0 ? [...new Set(parts)].join(' ') : 'unnamed adapter';
  const fallback = (i as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { description, software: isSoftwareAdapter(description, fallback) };
}

type DawnModule = { create(options: string[]): GPU; globals: object };

let dawn: DawnModule | null = null;
/** Instances with a live device: Dawn tears its devices down when the instance is collected. */
const instances = new Set<GPU>();

function loadDawn(): DawnModule {
  if (dawn === null) {
    // Mesa reads EGL_PLATFORM when Dawn first initialises EGL
    process.env.EGL_PLATFORM ??= 'surfaceless';
    // works from an ESM bundle (import.meta.url) and a CommonJS one (__filename)
    const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
    try {
      dawn = require('webgpu') as DawnModule;
    } catch (e) {
      throw new NoGpuError(`WebGPU in Node needs the 'webgpu' package (Dawn), which failed to load: ${(e as Error).message}`);
    }
    // GPUBufferUsage, GPUMapMode… as globals, like a page has them
    for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  return dawn;
}

const LIMITS = [
  'maxStorageBuffersPerShaderStage', 'maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupsPerDimension',
] as const;

async function open(gpu: GPU, featureLevel: 'core' | 'compatibility'): Promise<GPUAdapter | null> {
  try {
    return await gpu.requestAdapter({ featureLevel, powerPreference: 'high-performance' });
  } catch {
    return null;
  }
}

/**
 * Creates a device. `allowSoftware: false` refuses software adapters (the `auto` choice wants
 * real hardware); it throws NoGpuError with the reason otherwise.
 */
export async function createNodeGpu(options: { allowSoftware?: boolean } = {}): Promise<NodeGpu> {
  const allowSoftware = options.allowSoftware ?? true;
  const { create } = loadDawn();
  const tried: string[] = [];
  const attempts: { dawnBackend: NodeGpu['dawnBackend']; flags: string[]; featureLevel: NodeGpu['featureLevel'] }[] = [
    { dawnBackend: 'default', flags: [], featureLevel: 'core' },
    { dawnBackend: 'opengles', flags: ['backend=opengles'], featureLevel: 'compatibility' },
  ];
  for (const a of attempts) {
    const gpu = create(a.flags);
    const adapter = await open(gpu, a.featureLevel);
    if (adapter === null) {
      tried.push(`${a.dawnBackend}: no adapter`);
      continue;
    }
    const { description, software } = describeAdapter(adapter);
    if (software && !allowSoftware) {
      tried.push(`${a.dawnBackend}: only a software adapter (${description})`);
      continue;
    }
    const requiredLimits: Record<string, number> = {};
    for (const k of LIMITS) requiredLimits[k] = adapter.limits[k];
    const device = await adapter.requestDevice({ requiredLimits });
    instances.add(gpu);
    void device.lost.then(() => instances.delete(gpu));
    return { gpu, device, adapter, description, software, dawnBackend: a.dawnBackend, featureLevel: a.featureLevel };
  }
  throw new NoGpuError(`no ${allowSoftware ? '' : 'hardware '}WebGPU adapter (${tried.join('; ')})`);
}
