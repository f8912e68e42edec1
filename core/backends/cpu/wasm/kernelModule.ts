/**
 * @file The generated kernels of one executable, compiled together as one WebAssembly module at
 * the end of prepare (one compile instead of one per step; identical functions — same code, e.g.
 * the optimizer update of equally shaped weights — compiled once). `add` hands out a slot that
 * `link` fills with the exported function; a step calls `slot.f(...)` with i32 arguments.
 *
 * A ranged function f(pointers..., lo, hi) (rows or columns lo ≤ p < hi, each computed the same
 * whoever runs it) also gets a part wrapper for work sharing (threadPool.ts):
 *   part(a0 … a15, idx): lo = idx·unit, hi = min(lo + unit, extent), f(pointers..., lo, hi)
 * with ARGS = [pointers..., unit, extent]; the wrappers are handed to the workers once, at link.
 */
import { call, c, Fn, get, min, mul, add, set } from './emit';
import type { WasmRuntime } from './runtime';
import { MAX_ARGS } from './threadPool';

export type WasmFn = (...args: number[]) => void;

export interface LinkedFn {
  f: WasmFn;
  /** the part wrapper (ranged functions) */
  part: WasmFn;
  /** the part wrapper's function index on the workers; -1 without workers or when not shared */
  job: number;
}

const unlinked: WasmFn = () => {
  throw new Error('cpu: a generated kernel ran before its module was linked');
};

export class KernelModule {
  private readonly fns: Fn[] = [];
  private readonly slots: LinkedFn[][] = [];
  private readonly byCode = new Map<string, number>();
  /** pointer count of each ranged function (by index) */
  private readonly ranged = new Map<number, number>();

  /** slots of ranged functions (steps that may be shared between threads) */
  rangedSlots = 0;

  /** `threaded`: the runtime has workers (ranged kernels above the threshold may be shared). */
  constructor(readonly threaded = false) {}

  /** `pointers`: f is ranged, f(pointers..., lo, hi); `share`: its step may be shared between threads. */
  add(fn: Fn, pointers?: number, share = true): LinkedFn {
    const key = `${fn.params}:${fn.encode().join(',')}`;
    let i = this.byCode.get(key);
    if (i === undefined) {
      i = this.fns.push(fn) - 1;
      this.slots.push([]);
      this.byCode.set(key, i);
    }
    if (pointers !== undefined) {
      if (pointers + 2 !== fn.params || pointers + 2 > MAX_ARGS) throw new Error(`cpu: ranged kernel '${fn.name}' takes ${fn.params} arguments, not ${pointers} pointers + lo, hi`);
      this.ranged.set(i, pointers);
      if (share) this.rangedSlots++;
    }
    const slot: LinkedFn = { f: unlinked, part: unlinked, job: pointers !== undefined && share ? 0 : -1 };
    this.slots[i].push(slot);
    return slot;
  }

  get size(): number {
    return this.fns.length;
  }

  /** Compiles every added function (and the part wrappers), fills the slots, hands the wrappers to the workers. */
  link(rt: WasmRuntime): void {
    if (this.fns.length === 0) return;
    const targets = [...this.ranged.keys()];
    const wrappers = targets.map((i) => partWrapper(i, this.ranged.get(i) as number));
    const names = this.fns.map((_, i) => `k${i}`);
    const partNames = targets.map((i) => `p${i}`);
    const { module, exports } = rt.instantiate([...this.fns, ...wrappers], [...names, ...partNames]);
    names.forEach((n, i) => {
      const f = exports[n] as WasmFn;
      for (const s of this.slots[i]) s.f = f;
    });
    if (targets.length === 0) return;
    const first = this.rangedSlots > 0 ? rt.share(module, partNames) : -1;
    targets.forEach((i, j) => {
      const part = exports[partNames[j]] as WasmFn;
      for (const s of this.slots[i]) {
        s.part = part;
        s.job = first < 0 || s.job < 0 ? -1 : first + j;
      }
    });
  }
}

/** part(a0 … a15, idx) → f(a0 … a(pointers−1), lo, hi), f being function `target` of the module. */
function partWrapper(target: number, pointers: number): Fn {
  const fn = new Fn('part', MAX_ARGS + 1);
  const UNIT = pointers, EXTENT = pointers + 1, IDX = MAX_ARGS;
  const lo = fn.local('i32');
  fn.emit(set(lo, mul(get(IDX), get(UNIT))));
  fn.emit(call(target, ...Array.from({ length: pointers }, (_, p) => get(p)), get(lo), min(add(get(lo), get(UNIT)), get(EXTENT))));
  return fn;
}
