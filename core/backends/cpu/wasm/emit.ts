/**
 * @file A small WebAssembly binary emitter: enough of the format (types, an imported shared
 * memory, functions, exports, code) and of the instruction set (i32, f32, SIMD128 and relaxed
 * SIMD) to generate the CPU kernels at run time from TypeScript, with no toolchain.
 *
 * Code is built as byte arrays by expression helpers: `add(get(x), c(4))` is the stack code of
 * `x + 4`. Every function takes i32 parameters and returns nothing; memory is imported as
 * `env.memory` (shared when the runtime allows threads). Opcodes: WebAssembly core 2.0 §5.4 and
 * the SIMD / relaxed-SIMD proposals (prefix 0xfd, LEB128 sub-opcode).
 */

export type Code = number[];
export type ValType = 'i32' | 'f32' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

export function uleb(n: number): Code {
  const out: Code = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number): Code => [0xfd, ...uleb(op)];
const cat = (...parts: Code[]): Code => parts.flat();

// ---- i32 -------------------------------------------------------------------------------------
export const c = (v: number): Code => [0x41, ...sleb(v)];
export const get = (l: number): Code => [0x20, ...uleb(l)];
export const set = (l: number, v: Code): Code => [...v, 0x21, ...uleb(l)];
export const tee = (l: number, v: Code): Code => [...v, 0x22, ...uleb(l)];
const bin = (op: number) => (a: Code, b: Code): Code => [...a, ...b, op];
export const add = bin(0x6a);
export const sub = bin(0x6b);
export const mul = bin(0x6c);
export const shl = bin(0x74);
export const and = bin(0x71);
export const or = bin(0x72);
export const eq = bin(0x46);
export const ne = bin(0x47);
export const lt = bin(0x48);
export const gt = bin(0x4a);
export const le = bin(0x4c);
export const ge = bin(0x4e);
export const eqz = (a: Code): Code => [...a, 0x45];
/** min of two i32 (signed) via select */
export const min = (a: Code, b: Code): Code => [...a, ...b, ...a, ...b, 0x48, 0x1b];
/** byte address of element i of a float array at byte pointer p */
export const at = (p: Code, i: Code): Code => add(p, shl(i, c(2)));
export const inc = (l: number, by: Code | number): Code => set(l, add(get(l), typeof by === 'number' ? c(by) : by));

// ---- f32 / v128 memory and arithmetic ------------------------------------------------------
const memarg = (align: number, offset: number): Code => [...uleb(align), ...uleb(offset)];
export const f32load = (addr: Code, offset = 0): Code => [...addr, 0x2a, ...memarg(2, offset)];
export const f32store = (addr: Code, v: Code, offset = 0): Code => [...addr, ...v, 0x38, ...memarg(2, offset)];
export const f32const = (v: number): Code => {
  const b = new Uint8Array(new Float32Array([v]).buffer);
  return [0x43, ...b];
};
export const f32add = bin(0x92);
export const f32mul = bin(0x94);
export const v128load = (addr: Code, offset = 0): Code => [...addr, ...simd(0x00), ...memarg(4, offset)];
export const v128store = (addr: Code, v: Code, offset = 0): Code => [...addr, ...v, ...simd(0x0b), ...memarg(4, offset)];
export const loadSplat = (addr: Code, offset = 0): Code => [...addr, ...simd(0x09), ...memarg(2, offset)];
export const v128zero = (): Code => [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const f32x4splat = (v: Code): Code => [...v, ...simd(0x13)];
export const f32x4add = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xe4)];
export const f32x4mul = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xe6)];
/** any SIMD instruction without immediates: operands' code, then `0xfd op` */
export const simdOp = (op: number, ...args: Code[]): Code => [...args.flat(), ...simd(op)];
/** v128.const of four equal f32 lanes */
export const f32x4const = (v: number): Code => {
  const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
  return [...simd(0x0c), ...b];
};
/** f32x4.extract_lane */
export const extractLane = (v: Code, lane: number): Code => [...v, ...simd(0x1f), lane];
export const f32max = bin(0x97);
/** a·b + acc: relaxed_madd (one rounding or two, the runtime's choice) or mul then add */
export const f32x4madd = (a: Code, b: Code, acc: Code, relaxed: boolean): Code =>
  relaxed ? [...a, ...b, ...acc, ...simd(0x105)] : f32x4add(acc, f32x4mul(a, b));

// ---- control -------------------------------------------------------------------------------
export const drop = (v: Code): Code => [...v, 0x1a];
export const call = (fn: number, ...args: Code[]): Code => [...args.flat(), 0x10, ...uleb(fn)];
export const brIf = (depth: number, cond: Code): Code => [...cond, 0x0d, ...uleb(depth)];
export const ifThen = (cond: Code, then: Code, otherwise?: Code): Code =>
  otherwise === undefined ? [...cond, 0x04, 0x40, ...then, 0x0b] : [...cond, 0x04, 0x40, ...then, 0x05, ...otherwise, 0x0b];

/** for (i = start; i < end; i += step) body — `end` and `step` are re-evaluated each trip. */
export function forRange(i: number, start: Code, end: Code, step: Code | number, body: Code): Code {
  return cat(
    set(i, start),
    [0x02, 0x40],
    brIf(0, ge(get(i), end)),
    [0x03, 0x40],
    body,
    inc(i, step),
    brIf(0, lt(get(i), end)),
    [0x0b, 0x0b],
  );
}

/** do body while (--n != 0); n > 0 on entry */
export function countDown(n: number, body: Code): Code {
  return cat([0x03, 0x40], body, brIf(0, tee(n, sub(get(n), c(1)))), [0x0b]);
}

/** A function under construction: i32 parameters first, then declared locals. */
export class Fn {
  private readonly locals: ValType[] = [];
  readonly body: Code[] = [];
  constructor(readonly name: string, readonly params: number) {}
  local(type: ValType): number {
    this.locals.push(type);
    return this.params + this.locals.length - 1;
  }
  emit(...code: Code[]): void {
    this.body.push(...code);
  }
  encode(): Code {
    const groups: Code = [];
    let count = 0;
    for (let i = 0; i < this.locals.length; ) {
      let j = i;
      while (j < this.locals.length && this.locals[j] === this.locals[i]) j++;
      groups.push(...uleb(j - i), VALTYPE[this.locals[i]]);
      count++;
      i = j;
    }
    const code = cat(uleb(count), groups, ...this.body, [0x0b]);
    return [...uleb(code.length), ...code];
  }
}

const section = (id: number, content: Code): Code => [id, ...uleb(content.length), ...content];
const vec = (items: Code[]): Code => cat(uleb(items.length), ...items);
const name = (s: string): Code => {
  const bytes = [...s].map((ch) => ch.charCodeAt(0));
  return [...uleb(bytes.length), ...bytes];
};

/** The module: `env.memory` imported (min `pages`, max `maxPages`, shared or not), every function exported (as `names[i]`, default its own name). */
export function encodeModule(fns: readonly Fn[], memory: { pages: number; maxPages: number; shared: boolean }, names: readonly string[] = fns.map((f) => f.name)): Uint8Array {
  const arities = [...new Set(fns.map((f) => f.params))];
  const types = section(1, vec(arities.map((n) => [0x60, ...uleb(n), ...new Array<number>(n).fill(0x7f), 0x00])));
  const limits = memory.shared ? [0x03, ...uleb(memory.pages), ...uleb(memory.maxPages)] : [0x01, ...uleb(memory.pages), ...uleb(memory.maxPages)];
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]]));
  const funcs = section(3, vec(fns.map((f) => uleb(arities.indexOf(f.params)))));
  const exports = section(7, vec(fns.map((_, i) => [...name(names[i]), 0x00, ...uleb(i)])));
  const code = section(10, vec(fns.map((f) => f.encode())));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}
