/**
 * @file Elementwise chains and reductions generated as WebAssembly SIMD128 (f32x4) functions.
 *
 * Elementwise: the output is viewed as [outer, inner] at a split where every leaf is `full`,
 * `inner` (x[j]), `outer` (x[p]) or `scalar` (jsgen.ts's patterns), or `middle` (x[p mod M]: a
 * per-channel bias). The function
 *   f(leaf pointers..., out, p0, p1)
 * computes rows p0 ≤ p < p1: four lanes at a time, then the row's tail one lane at a time with the
 * same vector code (loads splat one value, lane 0 is stored), so both paths round alike. Every
 * step rounds to f32 (as the unfused kernels do); no fused multiply-add.
 *
 * Math beyond IEEE + − × ÷ √ min max:
 *   exp(x)     = 2ⁿ·e^r, n = round(x·log2 e) (by adding 1.5·2²³), r = x − n·ln 2 (two-part ln 2), e^r by the degree-6
 *                polynomial of Cephes expf (≈1 ulp); 2ⁿ built in the exponent bits as 2^(n−1)·2 so
 *                n = 128 still reaches +∞; x > 88.7228 → +∞, x < −86.5 → 0 (|error| < 3e-38)
 *   sigmoid(x) = s or e·s, e = exp(−|x|), s = 1 / (1 + e)  (no overflow either side)
 *   tanh(x)    = sign(x)·(1 − e) / (1 + e), e = exp(−2|x|); for |x| < 1/4 the odd Taylor polynomial
 *                to x⁹ (the cancellation in 1 − e would cost ulps there); ≈ 3e-7 relative
 * Other transcendentals (log, pow, erf, sin, cos) return undefined: the JS loops run them.
 *
 * Reductions (sum, reduceMax) over all trailing axes, out[p] = ⊕_j x[p, j], with four lane
 * accumulators folded at the row's end; or over all leading axes, out[j] = ⊕_p x[p, j], row by row
 * into the output (it stays in cache); or over both around kept middle axes, x as [A, B, C]:
 * out[b] = ⊕_a (⊕_c x[a, b, c]), rows folded as in the trailing case. Sums accumulate in f32.
 */
import { Prim, type ReducePrim } from '../../../ir/prims';
import type { Operand } from '../../../compile/fuse';
import type { Kernel } from '../../../compile/plan';
import { sizeOf } from '../kernels/shape';
import {
  add, c, extractLane, f32add, f32const, f32load, f32max, f32store, f32x4const, forRange, Fn, get, loadSplat, mul, set, shl,
  simdOp, v128load, v128store, type Code,
} from './emit';
import { classify, reduceSplit, type Access } from './jsgen';

const OP = {
  eq: 0x41, ne: 0x42, lt: 0x43, gt: 0x44, le: 0x45, ge: 0x46,
  and: 0x4e, andnot: 0x4f, or: 0x50, bitselect: 0x52,
  i32shl: 0xab, i32add: 0xae, i32splat: 0x11,
  abs: 0xe0, neg: 0xe1, sqrt: 0xe3, add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7, min: 0xe8, max: 0xe9, pmin: 0xea, pmax: 0xeb,
} as const;

export const v = (op: keyof typeof OP, ...args: Code[]): Code => simdOp(OP[op], ...args);
const k = f32x4const;
/** 1.0 where the mask is set, else 0 */
const ones = (mask: Code): Code => v('and', mask, k(1));

/** A value used more than once is kept in a fresh v128 local. */
function keep(fn: Fn, code: Code): { init: Code; ref: Code } {
  const l = fn.local('v128');
  return { init: set(l, code), ref: get(l) };
}

const MAGIC = 12582912; // 1.5·2²³
const MAGIC_BITS = 0x4b400000;

export function exp(fn: Fn, x: Code): Code {
  const X = keep(fn, x);
  // the clamp by pmin/pmax (b < a ? b : a; one instruction each on x86, where IEEE min/max are
  // sequences): the same values here — a NaN x stays NaN either way and the bounds are not ±0
  const xc = keep(fn, v('pmax', v('pmin', X.ref, k(88.72283935546875)), k(-86.5)));
  // j = x·log2 e + 1.5·2²³ rounds to an integer n in the low mantissa bits: n = j − 1.5·2²³ as a
  // float, and bits(j) − bits(1.5·2²³) as an integer (|n| ≤ 128 ≪ 2²²)
  const j = keep(fn, v('add', v('mul', xc.ref, k(Math.LOG2E)), k(MAGIC)));
  const n = keep(fn, v('sub', j.ref, k(MAGIC)));
  const r = keep(fn, v('sub', v('sub', xc.ref, v('mul', n.ref, k(0.693359375))), v('mul', n.ref, k(-2.12194440e-4))));
  let p = k(1.9875691500e-4);
  for (const coef of [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) p = v('add', v('mul', p, r.ref), k(coef));
  const er = v('add', v('add', v('mul', p, v('mul', r.ref, r.ref)), r.ref), k(1));
  // 2^(n−1): biased exponent n − 1 + 127 in bits 23..30
  const scale = v('i32shl', v('i32add', j.ref, simdOp(OP.i32splat, c(126 - MAGIC_BITS))), c(23));
  const y = v('mul', v('mul', er, scale), k(2));
  const big = v('bitselect', k(Infinity), y, v('gt', X.ref, k(88.72283935546875)));
  return [...X.init, ...xc.init, ...j.init, ...n.init, ...r.init, ...v('andnot', big, v('lt', X.ref, k(-86.5)))];
}

function sigmoid(fn: Fn, x: Code): Code {
  const X = keep(fn, x);
  const e = keep(fn, exp(fn, v('neg', v('abs', X.ref))));
  const s = keep(fn, v('div', k(1), v('add', k(1), e.ref)));
  return [...X.init, ...e.init, ...s.init, ...v('bitselect', s.ref, v('mul', e.ref, s.ref), v('ge', X.ref, k(0)))];
}

function tanh(fn: Fn, x: Code): Code {
  const X = keep(fn, x);
  const t = keep(fn, v('abs', X.ref));
  const e = keep(fn, exp(fn, v('mul', t.ref, k(-2))));
  const big = v('or', v('div', v('sub', k(1), e.ref), v('add', k(1), e.ref)), v('and', X.ref, k(-0)));
  const x2 = keep(fn, v('mul', X.ref, X.ref));
  let p = k(62 / 2835);
  for (const coef of [-17 / 315, 2 / 15, -1 / 3, 1]) p = v('add', v('mul', p, x2.ref), k(coef));
  return [...X.init, ...t.init, ...e.init, ...x2.init, ...v('bitselect', v('mul', p, X.ref), big, v('lt', t.ref, k(0.25)))];
}

type Emit = (fn: Fn, a: Code[], kn: Kernel) => Code;
const bin = (op: keyof typeof OP): Emit => (_, [a, b]) => v(op, a, b);
const cmp = (op: keyof typeof OP): Emit => (_, [a, b]) => ones(v(op, a, b));

const EMIT: Partial<Record<Prim, Emit>> = {
  [Prim.Neg]: (_, [a]) => v('neg', a),
  [Prim.Abs]: (_, [a]) => v('abs', a),
  [Prim.Sqrt]: (_, [a]) => v('sqrt', a),
  [Prim.Recip]: (_, [a]) => v('div', k(1), a),
  // Math.sign(a) + 0: ±1, +0 for ±0, NaN for NaN
  [Prim.Sign]: (fn, [a]) => {
    const A = keep(fn, a);
    const s = v('sub', ones(v('gt', A.ref, k(0))), ones(v('lt', A.ref, k(0))));
    return [...A.init, ...v('bitselect', A.ref, s, v('ne', A.ref, A.ref))];
  },
  [Prim.Exp]: (fn, [a]) => exp(fn, a),
  [Prim.Sigmoid]: (fn, [a]) => sigmoid(fn, a),
  [Prim.Tanh]: (fn, [a]) => tanh(fn, a),
  [Prim.Add]: bin('add'), [Prim.Sub]: bin('sub'), [Prim.Mul]: bin('mul'), [Prim.Div]: bin('div'),
  [Prim.Max]: bin('max'), [Prim.Min]: bin('min'),
  [Prim.Lt]: cmp('lt'), [Prim.Le]: cmp('le'), [Prim.Gt]: cmp('gt'), [Prim.Ge]: cmp('ge'), [Prim.Eq]: cmp('eq'), [Prim.Ne]: cmp('ne'),
  // to f32 from float storage (f32, bool): the value; to bool: x ≠ 0 (NaN counts as true). To i32: not here (int storage)
  [Prim.Cast]: (_, [a], kn) => (kn.prim === Prim.Cast && kn.params.dtype === 'bool' ? ones(v('ne', a, k(0))) : a),
  // where(c, a, b) = c ≠ 0 ? a : b (NaN counts as true, like c !== 0)
  [Prim.Where]: (_, [cond, a, b]) => v('bitselect', a, b, v('ne', cond, k(0))),
};

export interface SimdElementwise {
  fn: Fn;
  /** rows of the [outer, inner] view: call with p0, p1 in [0, outer] */
  outer: number;
  inner: number;
}

/**
 * A fused chain (operands as in core/compile/fuse.ts), or one kernel when `operands` is its inputs
 * as leaves. The split is the first that every leaf allows; with `minRows`, a later one giving at
 * least that many rows of at least MIN_INNER elements when there is one (rows to share between
 * threads: every element is computed by the same code either way, so the results are identical).
 */
export function simdChain(kernels: readonly Kernel[], operands: readonly Operand[][], leafShapes: readonly (readonly number[])[], minRows = 0): SimdElementwise | undefined {
  const emits = kernels.map((kn) => EMIT[kn.prim]);
  if (emits.some((e) => e === undefined)) return undefined;
  const out = kernels[kernels.length - 1].output.shape;
  const accessAt = (s: number): (Access | number | undefined)[] => leafShapes.map((shape) => classify(shape, out, s) ?? middle(shape, out, s));
  for (let s = 0; s <= out.length; s++) {
    let access = accessAt(s);
    if (access.some((a) => a === undefined)) continue;
    for (let d = s + 1; minRows > 0 && sizeOf(out.slice(0, s)) < minRows && d < out.length; d++) {
      const deeper = accessAt(d);
      if (sizeOf(out.slice(d)) < MIN_INNER) break;
      if (deeper.some((a) => a === undefined) || sizeOf(out.slice(0, d)) < minRows) continue;
      access = deeper;
      s = d;
    }
    const outer = sizeOf(out.slice(0, s)), inner = sizeOf(out.slice(s));
    const L = leafShapes.length;
    const fn = new Fn('f', L + 3);
    const OUT = L, P0 = L + 1, P1 = L + 2;
    const p = fn.local('i32'), jb = fn.local('i32'), row = fn.local('i32');
    // two vectors per trip of the main loop (independent dependency chains for the out-of-order
    // core: exp's polynomial is latency-bound); each lane group has its own locals, per-row and
    // hoisted leaves live in group 0's
    const groups = [0, 1].map(() => ({ leaf: leafShapes.map(() => fn.local('v128')), node: kernels.map(() => fn.local('v128')) }));
    const shared = (a: Access | number): boolean => a === 'scalar' || a === 'outer' || typeof a === 'number';
    const leafOf = (g: number, i: number): number => groups[shared(access[i] as Access | number) ? 0 : g].leaf[i];
    const hoisted: Code[] = [], perRow: Code[] = [];
    const load = (g: number, vector: boolean, off: number): Code[] => access.map((a, i) => {
      if (a === undefined || shared(a)) return []; // loaded once per row or kernel
      const addr = a === 'full' ? add(add(get(i), get(row)), get(jb)) : add(get(i), get(jb));
      return set(groups[g].leaf[i], vector ? v128load(addr, off) : loadSplat(addr, off));
    });
    access.forEach((a, i) => {
      if (a === 'scalar') hoisted.push(set(leafOf(0, i), loadSplat(get(i))));
      if (a === 'outer') perRow.push(set(leafOf(0, i), loadSplat(add(get(i), shl(get(p), c(2))))));
      if (typeof a === 'number') perRow.push(set(leafOf(0, i), loadSplat(add(get(i), shl(remU(get(p), c(a)), c(2))))));
    });
    const compute = (g: number): Code[] => kernels.map((kn, t) => {
      const args = operands[t].map((o) => get('leaf' in o ? leafOf(g, o.leaf) : groups[g].node[o.node]));
      return set(groups[g].node[t], (emits[t] as Emit)(fn, args, kn));
    });
    const result = (g: number): Code => get(groups[g].node[kernels.length - 1]);
    const outAddr = add(add(get(OUT), get(row)), get(jb));
    const inner8 = inner - (inner % 8), inner4 = inner - (inner % 4);
    fn.emit(...hoisted);
    fn.emit(forRange(p, get(P0), get(P1), 1, [
      ...set(row, mul(get(p), c(inner * 4))),
      ...perRow.flat(),
      ...forRange(jb, c(0), c(inner8 * 4), 32, [
        ...load(0, true, 0).flat(), ...load(1, true, 16).flat(), ...compute(0).flat(), ...compute(1).flat(),
        ...v128store(outAddr, result(0)), ...v128store(outAddr, result(1), 16),
      ]),
      ...forRange(jb, c(inner8 * 4), c(inner4 * 4), 16, [...load(0, true, 0).flat(), ...compute(0).flat(), ...v128store(outAddr, result(0))]),
      ...forRange(jb, c(inner4 * 4), c(inner * 4), 4, [...load(0, false, 0).flat(), ...compute(0).flat(), ...f32store(outAddr, extractLane(result(0), 0))]),
    ]));
    return { fn, outer, inner };
  }
  return undefined;
}

/** the shortest row a deeper split may leave (SIMD loops want long rows) */
const MIN_INNER = 64;

const remU = (a: Code, b: Code): Code => [...a, ...b, 0x70];

/**
 * A leaf varying only along axes [s1, s) of the output (1 elsewhere, e.g. a conv bias [1, C, 1, 1]
 * against [N, C, H, W] at s = 2): per row p of [outer, inner] its value is x[p mod M],
 * M = Π out[s1..s). Returns M, or undefined.
 */
function middle(shape: readonly number[], out: readonly number[], s: number): number | undefined {
  const dims = [...new Array<number>(out.length - shape.length).fill(1), ...shape];
  if (dims.slice(s).some((d) => d !== 1)) return undefined;
  let s1 = s;
  while (s1 > 0 && dims[s1 - 1] === out[s1 - 1]) s1--;
  if (dims.slice(0, s1).some((d) => d !== 1) || s1 === s) return undefined;
  return sizeOf(out.slice(s1, s));
}

/** One elementwise kernel as a chain of one. */
export function simdElementwise(kn: Kernel): SimdElementwise | undefined {
  return simdChain([kn], [kn.inputs.map((_, i) => ({ leaf: i }))], kn.inputs.map((x) => x.shape));
}

export interface SimdReduce {
  /** f(x, out, lo, hi): rows lo ≤ p < hi (trailing) or columns lo ≤ j < hi (leading) */
  fn: Fn;
  /** the extent lo..hi ranges over */
  extent: number;
  /** rows (trailing) or columns (leading) are independent: any range of them may run on any thread */
  ranged: boolean;
  trailing: boolean;
}

/**
 * Reduced axes around a block of kept ones: x viewed as [A, B, C] with A and C reduced and B kept
 * (size-1 axes either way), e.g. a conv bias gradient: Σ over N, H, W of [N, C, H, W].
 */
function middleSplit(kn: Kernel & { prim: ReducePrim }): { a: number; b: number; c: number } | undefined {
  const shape = kn.inputs[0].shape;
  const rank = shape.length;
  const axes = new Set(kn.params.axes.map((x) => (x < 0 ? x + rank : x)));
  const kept = shape.map((d, i) => d !== 1 && !axes.has(i));
  const first = kept.indexOf(true), last = kept.lastIndexOf(true);
  if (first < 0 || shape.slice(first, last + 1).some((d, i) => d !== 1 && !kept[first + i])) return undefined;
  return { a: sizeOf(shape.slice(0, first)), b: sizeOf(shape.slice(first, last + 1)), c: sizeOf(shape.slice(last + 1)) };
}

export function simdReduce(kn: Kernel & { prim: ReducePrim }): SimdReduce | undefined {
  const m = middleSplit(kn);
  const split: { outer: number; inner: number; trailing: boolean; kept?: number } | undefined = reduceSplit(kn)
    ?? (m === undefined || m.a === 1 || m.c === 1 ? undefined : { outer: m.a * m.b, inner: m.c, trailing: true, kept: m.b });
  if (split === undefined) return undefined;
  const { outer, inner, trailing } = split;
  /** middle: row q's fold goes into out[q mod kept] */
  const kept = split.kept ?? 0;
  const sum = kn.prim === Prim.Sum;
  const fn = new Fn('r', 4);
  const [X, OUT, LO, HI] = [0, 1, 2, 3];
  const acc = fn.local('v128'), i = fn.local('i32'), q = fn.local('i32'), end = fn.local('i32'), s = fn.local('f32');
  const combine = (a: Code, b: Code): Code => v(sum ? 'add' : 'max', a, b);
  const init = k(sum ? 0 : -Infinity);
  if (trailing) {
    // row p: x[p·inner .. p·inner + inner)
    const inner4 = inner - (inner % 4);
    const lane = (l: number): Code => extractLane(get(acc), l);
    const fold = (a: Code, b: Code): Code => (sum ? f32add(a, b) : f32max(a, b));
    // max: four independent accumulators over blocks of 16 (f32x4.max is a multi-instruction
    // sequence on x86: one chain is latency-bound, ~7× slower than a sum). Max is exactly
    // order-independent (NaN if any is NaN, +0 above −0), so the result is that of one chain.
    const maxBlocks: Code[] = [];
    if (!sum && inner4 >= 32) {
      const accs = [acc, fn.local('v128'), fn.local('v128'), fn.local('v128')];
      const block = fn.local('i32');
      maxBlocks.push(
        ...accs.slice(1).map((a) => set(a, init)),
        set(block, add(get(i), c((inner4 - (inner4 % 16)) * 4))),
        forRange(i, get(i), get(block), 64, accs.flatMap((a, l) => set(a, combine(get(a), v128load(get(i), 16 * l))))),
        set(acc, combine(combine(get(accs[0]), get(accs[1])), combine(get(accs[2]), get(accs[3])))),
      );
    }
    const rows = forRange(q, get(LO), get(HI), 1, [
      ...set(i, add(get(X), mul(get(q), c(inner * 4)))),
      ...set(end, add(get(i), c(inner4 * 4))),
      ...set(acc, init),
      ...maxBlocks.flat(),
      ...forRange(i, get(i), get(end), 16, set(acc, combine(get(acc), v128load(get(i))))),
      ...set(s, fold(fold(lane(0), lane(1)), fold(lane(2), lane(3)))),
      ...forRange(i, get(i), add(get(end), c((inner - inner4) * 4)), 4, set(s, fold(get(s), f32load(get(i))))),
      ...(kept === 0
        ? f32store(add(get(OUT), shl(get(q), c(2))), get(s))
        : f32store(add(get(OUT), shl(remU(get(q), c(kept)), c(2))), fold(f32load(add(get(OUT), shl(remU(get(q), c(kept)), c(2)))), get(s)))),
    ]);
    if (kept === 0) {
      fn.emit(rows);
      return { fn, extent: outer, ranged: true, trailing: true };
    }
    // every row adds into its kept index: the whole range at once (one thread), out initialised first
    fn.emit(forRange(q, c(0), c(kept), 1, f32store(add(get(OUT), shl(get(q), c(2))), f32const(sum ? 0 : -Infinity))));
    fn.emit(rows);
    return { fn, extent: outer, ranged: false, trailing: true };
  }
  // columns [lo, hi): out[j] = init, then row by row out[j] ⊕= x[p, j]; lo is a multiple of 4 except at the end
  const j = fn.local('i32'), p = fn.local('i32');
  const body = (vector: boolean): Code => {
    const o = add(get(OUT), shl(get(j), c(2)));
    const x = add(add(get(X), mul(get(p), c(inner * 4))), shl(get(j), c(2)));
    if (vector) return v128store(o, combine(v128load(o), v128load(x)));
    return f32store(o, extractLane(combine(loadSplat(o), loadSplat(x)), 0));
  };
  fn.emit(set(end, add(get(LO), and4(get(HI), get(LO)))));
  fn.emit(forRange(j, get(LO), get(end), 4, v128store(add(get(OUT), shl(get(j), c(2))), init)));
  fn.emit(forRange(j, get(end), get(HI), 1, f32store(add(get(OUT), shl(get(j), c(2))), f32const(sum ? 0 : -Infinity))));
  fn.emit(forRange(p, c(0), c(outer), 1, [
    ...forRange(j, get(LO), get(end), 4, body(true)),
    ...forRange(j, get(end), get(HI), 1, body(false)),
  ]));
  return { fn, extent: inner, ranged: true, trailing: false };
}

/** (hi − lo) rounded down to a multiple of 4 */
function and4(hi: Code, lo: Code): Code {
  return [...hi, ...lo, 0x6b, ...c(-4), 0x71];
}
