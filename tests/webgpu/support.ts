/**
 * @file Shared by the WebGPU tests: one Dawn device per test file (Mesa GLES, surfaceless EGL), a
 * clear failure when none exists (never a skip), and the CPU-oracle comparison.
 */
import { createNodeGpu, type NodeGpu } from '../../electron/engine/webgpu';
import type { HostArray } from '../../core/backends';

let gpu: Promise<NodeGpu> | null = null;

/** The Dawn device; fails the test with the reason and the packages CI needs when there is none. */
export function nodeGpu(): Promise<NodeGpu> {
  gpu ??= createNodeGpu({ allowSoftware: true }).catch((e: Error) => {
    throw new Error(`WebGPU tests need a Dawn adapter (on Linux: apt-get install libegl1 libgles2 libegl-mesa0 mesa-vulkan-drivers). ${e.message}`);
  });
  return gpu;
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** f32 against the f64 oracle. */
export const F32: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** Worst violation ratio |a − b| / (atol + rtol·|b|) (≤ 1 passes) and where it happened. */
export function compare(actual: HostArray, expected: HostArray, tol: Tolerance): { worst: number; at: number; got: number; want: number } {
  let worst = 0, at = -1;
  if (actual.length !== expected.length) return { worst: Infinity, at: -1, got: actual.length, want: expected.length };
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i], a = actual[i];
    const bothNaN = Number.isNaN(e) && Number.isNaN(a);
    const same = bothNaN || a === e;
    const r = same ? 0 : Math.abs(a - e) / (tol.atol + tol.rtol * Math.abs(e));
    if (!(r <= worst)) {
      worst = Number.isNaN(r) ? Infinity : r;
      at = i;
    }
  }
  return { worst, at, got: at >= 0 ? actual[at] : 0, want: at >= 0 ? expected[at] : 0 };
}

/** Throws a readable message naming the output when `actual` is not within tolerance. */
export function expectClose(name: string, actual: HostArray, expected: HostArray, tol: Tolerance = F32): void {
  const c = compare(actual, expected, tol);
  if (c.worst > 1) throw new Error(`${name}: element ${c.at} is ${c.got}, the f64 CPU says ${c.want} (${c.worst.toFixed(1)}× the tolerance rtol ${tol.rtol}, atol ${tol.atol})`);
}
