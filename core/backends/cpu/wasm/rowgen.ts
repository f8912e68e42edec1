/**
 * @file Softmax and layer norm over the last axis (the groups of core/compile/rowPatterns.ts) as
 * one WebAssembly SIMD row kernel each:
 *   f(x, [γ], [β], live..., out, lo, hi)      rows lo ≤ q < hi (ranged: kernelModule.ts)
 * Per row of C elements (read from cache after the first pass):
 *   softmax    pass 1: m = max x;  pass 2: e = exp(x − m) stored in out, s = Σ e;  pass 3: out = e / s
 *   layerNorm  pass 1: s1 = Σ x, μ = s1·(1/C);  pass 2: s2 = Σ (x − μ)², r = 1/√(s2·(1/C) + ε);
 *              pass 3: out = (x − μ)·r [·γ] [+β]
 * Every value is computed by the same f32 operations as the unfused kernels (simdgen.ts: exp's
 * polynomial, sums folded as four lanes then the tail in order, max with four accumulators — max
 * is order-free), so the group gives the unfused steps' bits; 1/C and ε are the plan's constants. Intermediates read after the
 * group (`live`) are written too: row values once per row, full ones in the pass computing them.
 * Log-softmax is left to the steps (its log has no SIMD form here; it is a [batch, classes] loss
 * in the workloads, too small to pay).
 */
import type { RowPattern } from '../../../compile/rowPatterns';
import { isRowNode } from '../../../compile/rowPatterns';
import {
  add, c, extractLane, inc, f32add, f32const, f32load, f32store, f32x4const, f32x4splat, forRange, Fn, get, loadSplat, mul, set, shl,
  v128load, v128store, type Code,
} from './emit';
import { exp, v } from './simdgen';

export interface RowKernel {
  fn: Fn;
  /** buffers by pointer position: x, [γ], [β], live..., out */
  pointers: number[];
}

const f32div = (a: Code, b: Code): Code => [...a, ...b, 0x95];
const f32sqrt = (a: Code): Code => [...a, 0x91];
const f32mulS = (a: Code, b: Code): Code => [...a, ...b, 0x94];

/** `invC`: the plan's constant for 1/C (layer norm). */
export function rowKernel(p: RowPattern, invC = Math.fround(1 / p.width)): RowKernel | undefined {
  if (p.kind === 'logSoftmax' || p.width < 4) return undefined;
  const C = p.width;
  const last = p.steps.length - 1;
  const withGamma = p.kind === 'layerNorm' && last >= 10, withBeta = p.kind === 'layerNorm' && last >= 11;
  const pointers = [p.x];
  if (withGamma) pointers.push(p.gamma as number);
  if (withBeta) pointers.push(p.beta as number);
  const liveAt = new Map<number, number>(); // template node → pointer parameter
  for (const l of p.live) liveAt.set(l.node, pointers.push(l.buffer) - 1);
  pointers.push(p.output);
  const P = pointers.length;
  if (P + 2 > 16) return undefined;
  const fn = new Fn(`row_${p.kind}`, P + 2);
  const X = 0, G = 1, B = withGamma ? 2 : 1, OUT = P - 1, LO = P, HI = P + 1;
  const q = fn.local('i32'), i = fn.local('i32'), rowOff = fn.local('i32');
  const acc = fn.local('v128'), s = fn.local('f32');
  const accs = [acc, fn.local('v128'), fn.local('v128'), fn.local('v128')];
  const C4 = C - (C % 4);
  // byte address of element i (in bytes, local `i`) of row q of a full [rows, C] buffer / of a [C] vector
  const full = (ptr: number): Code => add(add(get(ptr), get(rowOff)), get(i));
  const vec = (ptr: number): Code => add(get(ptr), get(i));
  const rowAddr = (ptr: number): Code => add(get(ptr), shl(get(q), c(2)));
  const load = (addr: Code, vector: boolean): Code => (vector ? v128load(addr) : loadSplat(addr));
  const store = (addr: Code, value: Code, vector: boolean): Code => (vector ? v128store(addr, value) : f32store(addr, extractLane(value, 0)));
  /** a pass over the row: vectors of 4, then the tail one lane at a time with the same vector code */
  const pass = (body: (vector: boolean) => Code): Code => [
    ...forRange(i, c(0), c(C4 * 4), 16, body(true)),
    ...forRange(i, c(C4 * 4), c(C * 4), 4, body(false)),
  ];
  /** s = Σ term in the order of simdgen's trailing sum: vector lanes, (l0 + l1) + (l2 + l3), then the tail */
  const sum = (term: (vector: boolean) => Code, also: (vector: boolean, value: Code) => Code = () => []): Code => {
    const t = fn.local('v128'), t2 = fn.local('v128');
    const lane = (l: number): Code => extractLane(get(acc), l);
    const C8 = C4 - (C4 % 8);
    // two vectors per trip (independent chains for exp's latency-bound polynomial), added in order
    return [
      ...set(acc, f32x4const(0)),
      ...forRange(i, c(0), c(C8 * 4), 32, [
        ...set(t, term(true)), ...also(true, get(t)), ...inc(i, 16), ...set(t2, term(true)), ...also(true, get(t2)), ...inc(i, -16),
        ...set(acc, v('add', v('add', get(acc), get(t)), get(t2))),
      ]),
      ...forRange(i, c(C8 * 4), c(C4 * 4), 16, [...set(t, term(true)), ...also(true, get(t)), ...set(acc, v('add', get(acc), get(t)))]),
      ...set(s, f32add(f32add(lane(0), lane(1)), f32add(lane(2), lane(3)))),
      ...forRange(i, c(C4 * 4), c(C * 4), 4, [...set(t, term(false)), ...also(false, get(t)), ...set(s, f32add(get(s), extractLane(get(t), 0)))]),
    ];
  };
  const splat = (code: Code): { init: Code; ref: Code } => {
    const l = fn.local('v128');
    return { init: set(l, f32x4splat(code)), ref: get(l) };
  };
  const keepRow = (node: number, value: Code): Code => {
    const at = liveAt.get(node);
    return at === undefined ? [] : f32store(rowAddr(at), value);
  };
  const keepFull = (node: number, value: Code, vector: boolean): Code => {
    const at = liveAt.get(node);
    return at === undefined ? [] : store(full(at), value, vector);
  };
  for (const node of liveAt.keys()) if (!isRowNode(p.kind, node) && node === last) return undefined;

  const body: Code[] = [set(rowOff, mul(get(q), c(C * 4)))];
  if (p.kind === 'softmax') {
    // pass 1: m = max x (four accumulators over blocks of 16, then one; order-free)
    const m = fn.local('f32');
    const C16 = C4 - (C4 % 16);
    body.push(
      ...accs.map((a) => set(a, f32x4const(-Infinity))),
      forRange(i, c(0), c(C16 * 4), 64, accs.flatMap((a, l) => set(a, v('max', get(a), v128load(add(full(X), c(16 * l))))))),
      set(acc, v('max', v('max', get(accs[0]), get(accs[1])), v('max', get(accs[2]), get(accs[3])))),
      forRange(i, c(C16 * 4), c(C4 * 4), 16, set(acc, v('max', get(acc), v128load(full(X))))),
      set(m, [...extractLane(get(acc), 0), ...extractLane(get(acc), 1), 0x97, ...extractLane(get(acc), 2), ...extractLane(get(acc), 3), 0x97, 0x97]),
      forRange(i, c(C4 * 4), c(C * 4), 4, set(m, [...get(m), ...f32load(full(X)), 0x97])),
      keepRow(0, get(m)),
    );
    const M = splat(get(m));
    body.push(M.init);
    // pass 2: e = exp(x − m) into out (and the live d, e), s = Σ e
    const d = fn.local('v128');
    body.push(sum(
      (vector) => [...set(d, v('sub', load(full(X), vector), M.ref)), ...exp(fn, get(d))],
      (vector, e) => [...keepFull(1, get(d), vector), ...keepFull(2, e, vector), ...store(full(OUT), e, vector)],
    ));
    body.push(keepRow(3, get(s)));
    const S = splat(get(s));
    body.push(S.init);
    // pass 3: out = e / s
    body.push(pass((vector) => store(full(OUT), v('div', load(full(OUT), vector), S.ref), vector)));
  } else {
    const invCode = f32const(Math.fround(invC));
    const mu = fn.local('f32');
    body.push(sum((vector) => load(full(X), vector)), keepRow(0, get(s)), set(mu, f32mulS(get(s), invCode)), keepRow(1, get(mu)));
    const MU = splat(get(mu));
    body.push(MU.init);
    const cv = fn.local('v128');
    const centred = (vector: boolean): Code => set(cv, v('sub', load(full(X), vector), MU.ref));
    body.push(sum((vector) => [...centred(vector), ...v('mul', get(cv), get(cv))]));
    const r = fn.local('f32');
    body.push(
      keepRow(4, get(s)),
      set(s, f32mulS(get(s), invCode)), keepRow(5, get(s)),
      set(s, f32add(get(s), f32const(Math.fround(p.epsilon ?? 0)))), keepRow(6, get(s)),
      set(s, f32sqrt(get(s))), keepRow(7, get(s)),
      set(r, f32div(f32const(1), get(s))), keepRow(8, get(r)),
    );
    const R = splat(get(r));
    body.push(R.init);
    const y = fn.local('v128');
    body.push(pass((vector) => {
      const out: Code[] = [centred(vector), keepFull(2, get(cv), vector), keepFull(3, v('mul', get(cv), get(cv)), vector)];
      out.push(set(y, v('mul', get(cv), R.ref)));
      if (withGamma) out.push(keepFull(9, get(y), vector), set(y, v('mul', get(y), load(vec(G), vector))));
      if (withBeta) out.push(keepFull(10, get(y), vector), set(y, v('add', get(y), load(vec(B), vector))));
      out.push(store(full(OUT), get(y), vector));
      return out.flat();
    }));
  }
  fn.emit(forRange(q, get(LO), get(HI), 1, body.flat()));
  return { fn, pointers };
}
