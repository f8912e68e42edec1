/**
 * @file The generated kernels of one executable, compiled together as one WebAssembly module at
 * the end of prepare (one compile instead of one per step; identical functions — same code, e.g.
 * the optimizer update of equally shaped weights — compiled once). `add` hands out a slot that
 * `link` fills with the exported function; a step calls `slot.f(...)` with i32 arguments.
 */
import type { Fn } from './emit';
import type { WasmRuntime } from './runtime';

export type WasmFn = (...args: number[]) => void;

export interface LinkedFn {
  f: WasmFn;
}

const unlinked: WasmFn = () => {
  throw new Error('cpu: a generated kernel ran before its module was linked');
};

export class KernelModule {
  private readonly fns: Fn[] = [];
  private readonly slots: LinkedFn[][] = [];
  private readonly byCode = new Map<string, number>();

  add(fn: Fn): LinkedFn {
    const key = `${fn.params}:${fn.encode().join(',')}`;
    let i = this.byCode.get(key);
    if (i === undefined) {
      i = this.fns.push(fn) - 1;
      this.slots.push([]);
      this.byCode.set(key, i);
    }
    const slot: LinkedFn = { f: unlinked };
    this.slots[i].push(slot);
    return slot;
  }

  get size(): number {
    return this.fns.length;
  }

  /** Compiles every added function and fills the slots. */
  link(rt: WasmRuntime): void {
    if (this.fns.length === 0) return;
    const names = this.fns.map((_, i) => `k${i}`);
    const { exports } = rt.instantiate(this.fns, names);
    names.forEach((n, i) => {
      const f = exports[n] as WasmFn;
      for (const s of this.slots[i]) s.f = f;
    });
  }
}
