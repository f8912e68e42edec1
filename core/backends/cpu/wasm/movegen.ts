/**
 * @file Movement kernels (transpose, broadcast, slice, pad, concat) generated as WebAssembly: each
 * is one or more strided copies
 *   dst[dstBase + Σ_d i_d·ds_d] = src[srcBase + Σ_d i_d·ss_d]   over the index box `shape`,
 * with axes coalesced (kernels/shape.ts) and one loop nest per copy, sizes and strides baked in.
 * The innermost axis moves four floats per instruction when both sides are contiguous there, or
 * splats one source value when the source is broadcast along it; otherwise one float at a time.
 * Pad fills the output with its value first. Bits are copied unchanged (NaN payloads included).
 * The `add` mode accumulates instead (dst += src, in index order: overlapping windows sum up, as
 * col2im needs).
 */
import { Prim } from '../../../ir/prims';
import type { Kernel } from '../../../compile/plan';
import { broadcastStrides, coalesce, normalizeAxis, sizeOf, stridesOf } from '../kernels/shape';
import {
  add, c, f32add, f32const, f32load, f32store, f32x4add, f32x4splat, forRange, Fn, get, inc, loadSplat, set, v128load, v128store, type Code,
} from './emit';

export interface StridedCopy {
  /** index of the source parameter */
  from: number;
  shape: readonly number[];
  src: readonly number[];
  srcBase: number;
  dst: readonly number[];
  dstBase: number;
}

export function copyCode(fn: Fn, out: number, cp: StridedCopy, mode: 'copy' | 'add' = 'copy'): Code {
  const { shape, strides } = coalesce(cp.shape, [cp.src, cp.dst]);
  const [ss, ds] = strides;
  const r = shape.length;
  const s = shape.map(() => fn.local('i32')), o = shape.map(() => fn.local('i32'));
  const level = (d: number): Code => {
    const n = shape[d];
    if (d < r - 1) {
      const i = fn.local('i32');
      return forRange(i, c(0), c(n), 1, [
        ...set(s[d + 1], get(s[d])), ...set(o[d + 1], get(o[d])),
        ...level(d + 1),
        ...inc(s[d], ss[d] * 4), ...inc(o[d], ds[d] * 4),
      ]);
    }
    const j = fn.local('i32');
    const n4 = n - (n % 4);
    if (ds[d] === 1 && (ss[d] === 1 || ss[d] === 0)) {
      const from = (vector: boolean): Code => (ss[d] === 0 ? (vector ? loadSplat(get(s[d])) : f32load(get(s[d]))) : vector ? v128load(add(get(s[d]), get(j))) : f32load(add(get(s[d]), get(j))));
      const to = (vector: boolean): Code => add(get(o[d]), get(j));
      const value = (vector: boolean): Code => mode === 'copy' ? from(vector) : vector ? f32x4add(v128load(to(true)), from(true)) : f32add(f32load(to(false)), from(false));
      return [
        ...forRange(j, c(0), c(n4 * 4), 16, v128store(to(true), value(true))),
        ...forRange(j, c(n4 * 4), c(n * 4), 4, f32store(to(false), value(false))),
      ];
    }
    const value = mode === 'copy' ? f32load(get(s[d])) : f32add(f32load(get(o[d])), f32load(get(s[d])));
    return forRange(j, c(0), c(n), 1, [...f32store(get(o[d]), value), ...inc(s[d], ss[d] * 4), ...inc(o[d], ds[d] * 4)]);
  };
  return [...set(s[0], add(get(cp.from), c(cp.srcBase * 4))), ...set(o[0], add(get(out), c(cp.dstBase * 4))), ...level(0)];
}

export function fillCode(fn: Fn, out: number, size: number, value: number): Code {
  const j = fn.local('i32');
  const n4 = size - (size % 4);
  return [
    ...forRange(j, c(0), c(n4 * 4), 16, v128store(add(get(out), get(j)), f32x4splat(f32const(value)))),
    ...forRange(j, c(n4 * 4), c(size * 4), 4, f32store(add(get(out), get(j)), f32const(value))),
  ];
}

/** The copies a movement kernel is made of, or undefined for other kernels. */
function copies(k: Kernel): { copies: StridedCopy[]; fill?: number } | undefined {
  const out = k.output.shape;
  const os = stridesOf(out);
  switch (k.prim) {
    case Prim.Transpose: {
      const xs = stridesOf(k.inputs[0].shape);
      return { copies: [{ from: 0, shape: out, src: k.params.perm.map((p) => xs[p]), srcBase: 0, dst: os, dstBase: 0 }] };
    }
    case Prim.Broadcast:
      return { copies: [{ from: 0, shape: out, src: broadcastStrides(k.inputs[0].shape, out), srcBase: 0, dst: os, dstBase: 0 }] };
    case Prim.Slice: {
      const { starts, steps } = k.params;
      const xs = stridesOf(k.inputs[0].shape);
      const base = starts.reduce((b, st, d) => b + st * xs[d], 0);
      return { copies: [{ from: 0, shape: out, src: xs.map((x, d) => x * (steps[d] ?? 1)), srcBase: base, dst: os, dstBase: 0 }] };
    }
    case Prim.Pad: {
      const shape = k.inputs[0].shape;
      const base = k.params.pads.reduce((b, [before], d) => b + before * os[d], 0);
      return { copies: sizeOf(shape) === 0 ? [] : [{ from: 0, shape, src: stridesOf(shape), srcBase: 0, dst: os, dstBase: base }], fill: k.params.value };
    }
    case Prim.Concat: {
      const ax = normalizeAxis(k.params.axis, out.length);
      let at = 0;
      return {
        copies: k.inputs.map((x, t) => {
          const cp = { from: t, shape: x.shape, src: stridesOf(x.shape), srcBase: 0, dst: os, dstBase: at * os[ax] };
          at += x.shape[ax];
          return cp;
        }).filter((cp) => sizeOf(cp.shape) > 0),
      };
    }
    default:
      return undefined;
  }
}

/** f(inputs..., out) for a movement kernel, or undefined for other kernels. */
export function movementFn(k: Kernel): Fn | undefined {
  const plan = copies(k);
  if (plan === undefined) return undefined;
  const n = k.inputs.length;
  const fn = new Fn('m', n + 1);
  if (plan.fill !== undefined) fn.emit(fillCode(fn, n, sizeOf(k.output.shape), plan.fill));
  for (const cp of plan.copies) fn.emit(copyCode(fn, n, cp));
  return fn;
}
