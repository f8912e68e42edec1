/**
 * @file The convolution's forward product with im2col fused into the GEMM's packing: per sample
 *   y_n[O, P] = w[O, K] · col_n[K, P],  col_n(p, j) = x[n, c, i·sh − pt + a·dh, jj·sw − pl + b·dw]
 * (p = (c·KH + a)·KW + b, j = i·OW + jj, 0 where that is padding), GotoBLAS shaped as gemmKernel.ts
 * (same KC/NC/MC blocks, packA and macro-kernel, same k order), except that B's NR-column panels
 * are packed straight from x: the column matrix [N][K][P] is never written. With padding, x is
 * first copied into a zero-bordered image xp [N·C][hp][wp] (a fraction of the column matrix's
 * size), so the packing needs no bounds checks: with tables built at prepare (i32 byte offsets)
 *   colOff[j] = (i·sh·wp + jj·sw)·4,  tapOff[p] = (c·hp·wp + a·dh·wp + b·dw)·4
 * col_n(p, j) = xp_n at byte tapOff[p] + colOff[j]. A panel of NR columns in one output row with
 * sw = 1 reads NR consecutive values per p (two vector loads); others gather NR scalars.
 * Threads: (sample, column chunk) pairs are the jobs, each thread packs its own panels into its
 * own workspace; every y element is summed in the same k order whoever computes it, and in the
 * order of the unfused gemm (bit-identical results).
 */
import {
  Fn, add, and, at, c, call, f32load, f32store, forRange, get, ifThen, inc, le, min, mul, ne,
  set, shl, sub, uleb, v128load, v128store, type Code,
} from './emit';
import { CHUNKS_PER_THREAD, PARALLEL_FLOPS } from './gemm';
import { KC, MC, NC, NR, macro, packA } from './gemmKernel';
import { copyCode, fillCode } from './movegen';
import type { WasmRuntime } from './runtime';
import type { F32Step } from './matmul';
import { MAX_ARGS } from './threadPool';

export interface ConvGeometry {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number; oh: number; ow: number;
  sh: number; sw: number; pt: number; pl: number; dh: number; dw: number;
}

export const i32load = (addr: Code, offset = 0): Code => [...addr, 0x28, ...uleb(2), ...uleb(offset)];
export const divu = (a: Code, b: Code): Code => [...a, ...b, 0x6e];

const FN = { packA: 0, macro: 1, packB: 2, gemm: 3, part: 4 } as const;

/**
 * packB(kc, nc, p0, j0, x, dst, tab): B(p0 + p, j0 + q) for p < kc, q < nc into NR-column panels,
 * x being the zero-padded image (no bounds checks). Per panel the NR column offsets go to locals;
 * per p one tap offset is added: value = x[tapOff[p] + colOff[j]]. Columns past nc repeat the last
 * valid one (the macro-kernel stores only valid columns of an edge tile; lanes do not mix).
 */
function packBConv(P: number, K: number): Fn {
  const f = new Fn('packBConv', 7);
  const [kc, nc, p0, j0, x, dst, tab] = [0, 1, 2, 3, 4, 5, 6];
  const jp = f.local('i32'), j = f.local('i32'), p = f.local('i32'), out = f.local('i32'), base = f.local('i32'), tp = f.local('i32');
  const co = Array.from({ length: NR }, () => f.local('i32'));
  const TAP = (P + NR) * 4, ROW = TAP + K * 4; // tab: colOff[P + NR] (bytes), tapOff[K] (bytes), then rowPanel[ceil(P / NR)]
  const loadCols: Code = co.flatMap((l, q) => set(l, i32load(at(get(tab), min(add(get(j), c(q)), add(get(j0), sub(get(nc), c(1))))))));
  const gather = forRange(p, c(0), get(kc), 1, [
    ...set(base, add(get(x), i32load(get(tp), 0))),
    ...co.flatMap((l, q) => f32store(get(out), f32load(add(get(base), get(l))), q * 4)),
    ...inc(out, NR * 4),
    ...inc(tp, 4),
  ]);
  // the panel's columns are consecutive in x (one output row, sw = 1): two vector loads per p
  const vectors = forRange(p, c(0), get(kc), 1, [
    ...set(base, add(add(get(x), i32load(get(tp), 0)), get(co[0]))),
    ...v128store(get(out), v128load(get(base))),
    ...v128store(get(out), v128load(get(base), 16), 16),
    ...inc(out, NR * 4),
    ...inc(tp, 4),
  ]);
  f.emit(forRange(jp, c(0), get(nc), NR, [
    ...set(out, add(get(dst), shl(mul(get(jp), get(kc)), c(2)))),
    ...set(j, add(get(j0), get(jp))),
    ...set(tp, add(get(tab), add(c(TAP), shl(get(p0), c(2))))),
    ...loadCols,
    ...ifThen(and(le(add(get(jp), c(NR)), get(nc)), ne(i32load(at(get(tab), divu(get(j), c(NR))), ROW), c(0))), vectors, gather),
  ]));
  return f;
}

/** gemm(m, j0, n, k, a, sai, sap, x, c, ldc, ws, tab): C[:, j0 : j0 + n] = opA · col[:, j0 : j0 + n] (C at c has column 0 at c). */
function convGemm(): Fn {
  const f = new Fn('convGemm', 12);
  const [m, j0, n, k, a, sai, sap, x, cp, ldc, ws, tab] = Array.from({ length: 12 }, (_, i) => i);
  const jc = f.local('i32'), pc = f.local('i32'), ic = f.local('i32'), nc = f.local('i32'), kc = f.local('i32'), mc = f.local('i32');
  const pa = f.local('i32'), tile = f.local('i32');
  f.emit(set(pa, add(get(ws), c(KC * NC * 4))), set(tile, add(get(pa), c(MC * KC * 4))));
  f.emit(forRange(jc, c(0), get(n), NC, [
    ...set(nc, min(c(NC), sub(get(n), get(jc)))),
    ...forRange(pc, c(0), get(k), KC, [
      ...set(kc, min(c(KC), sub(get(k), get(pc)))),
      ...call(FN.packB, get(kc), get(nc), get(pc), add(get(j0), get(jc)), get(x), get(ws), get(tab)),
      ...forRange(ic, c(0), get(m), MC, [
        ...set(mc, min(c(MC), sub(get(m), get(ic)))),
        ...call(FN.packA, get(mc), get(kc), at(get(a), add(mul(get(ic), get(sai)), mul(get(pc), get(sap)))), get(sai), get(sap), get(pa)),
        ...call(FN.macro, get(mc), get(nc), get(kc), get(pa), get(ws),
          at(get(cp), add(mul(get(ic), get(ldc)), add(get(j0), get(jc)))), get(ldc), ne(get(pc), c(0)), get(tile)),
      ]),
    ]),
  ]));
  return f;
}

/**
 * part(m, k, a, sai, sap, x, sx, cp, sc, ldc, ws, tab, unit, chunks, P, _, idx): job idx = sample
 * idx / chunks, columns [(idx mod chunks)·unit, +unit) ∩ [0, P); sx, sc: per-sample strides (elements).
 */
function part(): Fn {
  const f = new Fn('convPart', MAX_ARGS + 1);
  const [m, k, a, sai, sap, x, sx, cp, sc, ldc, ws, tab, unit, chunks, P, , idx] = Array.from({ length: 17 }, (_, i) => i);
  const s = f.local('i32'), lo = f.local('i32');
  f.emit(set(s, divu(get(idx), get(chunks))), set(lo, mul(sub(get(idx), mul(get(s), get(chunks))), get(unit))));
  f.emit(call(FN.gemm, get(m), get(lo), min(get(unit), sub(get(P), get(lo))), get(k), get(a), get(sai), get(sap),
    at(get(x), mul(get(s), get(sx))), at(get(cp), mul(get(s), get(sc))), get(ldc), get(ws), get(tab)));
  return f;
}

/** The padded image's size: rows (cols) every tap reads, shifted by the top (left) padding. */
export function padded(g: ConvGeometry): { hp: number; wp: number; copy: boolean } {
  const hp = Math.max(g.h + g.pt, (g.oh - 1) * g.sh + (g.kh - 1) * g.dh + 1);
  const wp = Math.max(g.w + g.pl, (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + 1);
  return { hp, wp, copy: g.pt > 0 || g.pl > 0 || hp > g.h || wp > g.w };
}

/** The tables (bytes; layout at packBConv), allocated in runtime memory at prepare. */
export function tables(rt: WasmRuntime, g: ConvGeometry, hp: number, wp: number): number {
  const K = g.c * g.kh * g.kw, P = g.oh * g.ow, panels = Math.ceil(P / NR);
  const at0 = rt.alloc((P + NR + K + panels) * 4);
  const t = rt.i32(at0, P + NR + K + panels);
  for (let j = 0; j < P + NR; j++) {
    const jj = Math.min(j, P - 1), i = Math.floor(jj / g.ow);
    t[j] = (i * g.sh * wp + (jj - i * g.ow) * g.sw) * 4;
  }
  for (let ch = 0; ch < g.c; ch++) {
    for (let a = 0; a < g.kh; a++) {
      for (let b = 0; b < g.kw; b++) t[P + NR + (ch * g.kh + a) * g.kw + b] = (ch * hp * wp + a * g.dh * wp + b * g.dw) * 4;
    }
  }
  for (let q = 0; q < panels; q++) {
    const j = q * NR;
    t[P + NR + K + q] = g.sw === 1 && j + NR <= P && Math.floor(j / g.ow) === Math.floor((j + NR - 1) / g.ow) ? 1 : 0;
  }
  return at0;
}

/** pad(x, xp): xp[n, c, pt + y, pl + x'] = x[n, c, y, x'], 0 elsewhere (xp: [N·C][hp][wp]). */
export function padFn(g: ConvGeometry, hp: number, wp: number): Fn {
  const fn = new Fn('pad', 2);
  fn.emit(fillCode(fn, 1, g.n * g.c * hp * wp, 0));
  fn.emit(copyCode(fn, 1, { from: 0, shape: [g.n * g.c, g.h, g.w], src: [g.h * g.w, g.w, 1], srcBase: 0, dst: [hp * wp, wp, 1], dstBase: g.pt * wp + g.pl }));
  return fn;
}

/**
 * The forward step y = conv2d(x, w) with the im2col fused into the packing (one module per
 * geometry, compiled at prepare). With padding, x is first copied into a zero-bordered image
 * (scratch: N·C·hp·wp floats, against N·K·P for the column matrix).
 */
export function fusedConvForward(rt: WasmRuntime, g: ConvGeometry): F32Step {
  const K = g.c * g.kh * g.kw, P = g.oh * g.ow, O = g.o, N = g.n;
  const { hp, wp, copy } = padded(g);
  const tab = tables(rt, g, hp, wp);
  const xp = copy ? rt.scratch(N * g.c * hp * wp * 4) : 0;
  const { module, exports } = rt.instantiate([packA(), macro(rt.relaxed), packBConv(P, K), convGemm(), part(), padFn(g, hp, wp)],
    ['packA', 'macro', 'packBConv', 'convGemm', 'convPart', 'pad']);
  const run = exports.convPart as (...args: number[]) => void;
  const pad = exports.pad as (x: number, xp: number) => void;
  const job = rt.share(module, ['convPart']);
  const args = new Int32Array(MAX_ARGS);
  return ([x, w], y) => {
    if (copy) pad(x.byteOffset, xp);
    const threads = 2 * O * P * K * N < PARALLEL_FLOPS || job < 0 ? 1 : rt.threads();
    const jobs = rt.jobs;
    const perSample = threads === 1 ? 1 : Math.max(1, Math.ceil(threads * CHUNKS_PER_THREAD / N));
    const unit = Math.ceil(P / perSample / NR) * NR, chunks = Math.ceil(P / unit), total = N * chunks;
    args[0] = O; args[1] = K; args[2] = w.byteOffset; args[3] = K; args[4] = 1;
    args[5] = copy ? xp : x.byteOffset; args[6] = g.c * hp * wp; args[7] = y.byteOffset; args[8] = O * P; args[9] = P;
    args[10] = rt.workspace[0]; args[11] = tab; args[12] = unit; args[13] = chunks; args[14] = P;
    const a = args;
    if (threads === 1 || jobs === undefined || total < 2) {
      for (let i = 0; i < total; i++) run(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], 0, i);
      return;
    }
    for (let t = 1; t < threads; t++) {
      const v = jobs.argViews[t - 1];
      v.set(a);
      v[10] = rt.workspace[t];
    }
    jobs.share(job, total, threads - 1);
    for (let i = jobs.claim(); i >= 0; i = jobs.claim()) {
      run(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], 0, i);
      jobs.finish();
    }
    jobs.join(total);
  };
}
