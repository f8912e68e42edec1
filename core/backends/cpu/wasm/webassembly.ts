/**
 * @file The WebAssembly API as core sees it: core compiles against ES2023 only (no DOM lib), so
 * the few constructors it uses are typed here and read from `globalThis`. Feature detection
 * (SIMD128, relaxed SIMD, shared memory) validates tiny modules once.
 */
import { encodeModule, Fn, f32x4madd, v128zero, drop } from './emit';

export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

export const PAGE = 65536;

export function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

export interface WasmFeatures {
  simd: boolean;
  relaxedSimd: boolean;
  sharedMemory: boolean;
}

let features: WasmFeatures | undefined;

function validates(api: WasmApi, fn: Fn, shared: boolean): boolean {
  try {
    return api.validate(encodeModule([fn], { pages: 1, maxPages: 1, shared }));
  } catch {
    return false;
  }
}

/** What this runtime offers; relaxed SIMD needs `--experimental-wasm-relaxed-simd` on Node 20. */
export function wasmFeatures(): WasmFeatures {
  if (features !== undefined) return features;
  const api = wasmApi();
  if (api === undefined) return (features = { simd: false, relaxedSimd: false, sharedMemory: false });
  const plain = new Fn('f', 0);
  plain.emit(drop(f32x4madd(v128zero(), v128zero(), v128zero(), false)));
  const relaxed = new Fn('f', 0);
  relaxed.emit(drop(f32x4madd(v128zero(), v128zero(), v128zero(), true)));
  let sharedMemory = typeof SharedArrayBuffer === 'function';
  if (sharedMemory) {
    try {
      new api.Memory({ initial: 1, maximum: 1, shared: true });
    } catch {
      sharedMemory = false;
    }
  }
  const simd = validates(api, plain, false);
  return (features = { simd, relaxedSimd: simd && validates(api, relaxed, false), sharedMemory });
}
