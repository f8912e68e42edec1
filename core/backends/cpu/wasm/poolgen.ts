/**
 * @file Max pooling and its gradient generated as WebAssembly, for windows that never read
 * padding (no padding, or padding the floor output size leaves unused): per output the window is
 * unrolled (KH·KW ≤ MAX_WINDOW loads at fixed offsets) and scanned in row-major order keeping the
 * first maximum, NaN winning as soon as met — kernels/pool.ts's rule:
 *   take v when m is not NaN and (v > m or v is NaN)
 * Forward stores m; backward zeroes dx and adds dy[o] at the window's argmax.
 */
import { Prim, type PoolParams } from '../../../ir/prims';
import type { Kernel } from '../../../compile/plan';
import { add, c, f32add, f32load, f32store, forRange, Fn, get, inc, mul, set, sub, type Code } from './emit';
import { fillCode } from './movegen';

export const MAX_WINDOW = 25;

const f32eq = (a: Code, b: Code): Code => [...a, ...b, 0x5b];
const f32ne = (a: Code, b: Code): Code => [...a, ...b, 0x5c];
const f32gt = (a: Code, b: Code): Code => [...a, ...b, 0x5e];
const i32and = (a: Code, b: Code): Code => [...a, ...b, 0x71];
const i32or = (a: Code, b: Code): Code => [...a, ...b, 0x72];
/** cond ? a : b */
const select = (a: Code, b: Code, cond: Code): Code => [...a, ...b, ...cond, 0x1b];

/** f(x, y) for maxPool2d, f(x, dy, dx) for its gradient; undefined when a window may read padding. */
export function maxPoolFn(k: Kernel): Fn | undefined {
  if (k.prim !== Prim.MaxPool2d && k.prim !== Prim.MaxPool2dBackward) return undefined;
  const p: PoolParams = k.params;
  const [N, C, H, W] = k.inputs[0].shape;
  const [KH, KW] = p.kernel, [sh, sw] = p.stride;
  const OH = Math.floor((H + p.padding[0] + p.padding[1] - KH) / sh) + 1;
  const OW = Math.floor((W + p.padding[2] + p.padding[3] - KW) / sw) + 1;
  if (p.padding[0] !== 0 || p.padding[2] !== 0 || KH * KW > MAX_WINDOW || OH <= 0 || OW <= 0) return undefined;
  if ((OH - 1) * sh + KH > H || (OW - 1) * sw + KW > W) return undefined;
  const backward = k.prim === Prim.MaxPool2dBackward;
  const fn = new Fn('maxpool', backward ? 3 : 2);
  const X = 0, Y = 1, DX = 2; // backward: Y is dy
  const plane = fn.local('i32'), i = fn.local('i32'), j = fn.local('i32');
  const row = fn.local('i32'), win = fn.local('i32'), out = fn.local('i32');
  const m = fn.local('f32'), v = fn.local('f32'), at = fn.local('i32'), take = fn.local('i32');
  const scan: Code[] = [set(m, f32load(get(win))), set(at, c(0))];
  for (let a = 0; a < KH; a++) {
    for (let b = 0; b < KW; b++) {
      if (a === 0 && b === 0) continue;
      const off = (a * W + b) * 4;
      scan.push(
        set(v, f32load(get(win), off)),
        set(take, i32and(f32eq(get(m), get(m)), i32or(f32gt(get(v), get(m)), f32ne(get(v), get(v))))),
        set(m, select(get(v), get(m), get(take))),
        set(at, select(c(off), get(at), get(take))),
      );
    }
  }
  const result = backward
    ? f32store(add(add(get(DX), sub(get(win), get(X))), get(at)), f32add(f32load(add(add(get(DX), sub(get(win), get(X))), get(at))), f32load(get(out))))
    : f32store(get(out), get(m));
  if (backward) fn.emit(fillCode(fn, DX, N * C * H * W, 0));
  fn.emit(set(out, get(Y)));
  fn.emit(forRange(plane, c(0), c(N * C), 1, [
    ...set(row, add(get(X), mul(get(plane), c(H * W * 4)))),
    ...forRange(i, c(0), c(OH), 1, [
      ...set(win, get(row)),
      ...forRange(j, c(0), c(OW), 1, [...scan.flat(), ...result, ...inc(out, 4), ...inc(win, sw * 4)]),
      ...inc(row, sh * W * 4),
    ]),
  ]));
  return fn;
}
