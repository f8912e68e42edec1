/**
 * @file The convolution's weight gradient with im2col fused into the GEMM's packing:
 *   dw[O, K] = Σ_n dy_n[O, P] · col_nᵀ,   colᵀ_n(j, p) = col_n(p, j) = xp_n at tapOff[p] + colOff[j]
 * (xp, tables: convGemm.ts). The product's k runs over (n, j): per NC block of dw's columns, every
 * sample's KC blocks of positions in turn (a block never crosses samples, so A = dy_n is one
 * strided operand, sai = P, sap = 1), B's NR-column panels (NR taps) gathered straight from xp:
 * neither the column matrix nor dy's transpose is written. Every dw element is summed in the same
 * (n, j) order whoever computes it: dw's columns (or rows, when O > K) are cut into chunks shared
 * between threads, each packing its own panels into its own workspace, with the bits of one thread.
 */
import { Fn, add, at, c, call, f32load, f32store, forRange, get, ifThen, inc, min, mul, ne, or, set, shl, sub, type Code } from './emit';
import { CHUNKS_PER_THREAD, PARALLEL_FLOPS } from './gemm';
import { KC, MC, MR, NC, NR, macro, packA } from './gemmKernel';
import { i32load, padFn, padded, tables, type ConvGeometry } from './convGemm';
import type { F32Step } from './matmul';
import type { WasmRuntime } from './runtime';
import { MAX_ARGS } from './threadPool';

const FN = { packA: 0, macro: 1, packB: 2, gemm: 3, part: 4 } as const;

/** packB(kc, nc, j0, q0, x, dst, tab): Bᵀ(j0 + p, q0 + q) = xp at tapOff[q0 + q] + colOff[j0 + p]; taps past nc repeat the last. */
function packBTaps(P: number): Fn {
  const f = new Fn('packBTaps', 7);
  const [kc, nc, j0, q0, x, dst, tab] = [0, 1, 2, 3, 4, 5, 6];
  const jp = f.local('i32'), p = f.local('i32'), out = f.local('i32'), base = f.local('i32'), cp = f.local('i32');
  const to = Array.from({ length: NR }, () => f.local('i32'));
  const TAP = (P + NR) * 4;
  f.emit(forRange(jp, c(0), get(nc), NR, [
    ...set(out, add(get(dst), shl(mul(get(jp), get(kc)), c(2)))),
    ...to.flatMap((l, q) => set(l, i32load(at(get(tab), min(add(add(get(q0), get(jp)), c(q)), add(get(q0), sub(get(nc), c(1))))), TAP))),
    ...set(cp, at(get(tab), get(j0))),
    ...forRange(p, c(0), get(kc), 1, [
      ...set(base, add(get(x), i32load(get(cp)))),
      ...to.flatMap((l, q) => f32store(get(out), f32load(add(get(base), get(l))), q * 4)),
      ...inc(out, NR * 4),
      ...inc(cp, 4),
    ]),
  ]));
  return f;
}

/** gemm(m, i0, n, q0, N, P, O, dy, x, sx, cp, ldc, ws, tab): dw[i0 : i0 + m, q0 : q0 + n] = Σ_s dy_s · colᵀ_s (overwritten). */
function weightGemm(): Fn {
  const f = new Fn('weightGemm', 14);
  const [m, i0, n, q0, N, P, O, dy, x, sx, cp, ldc, ws, tab] = Array.from({ length: 14 }, (_, i) => i);
  const jc = f.local('i32'), s = f.local('i32'), pc = f.local('i32'), ic = f.local('i32'), nc = f.local('i32'), kc = f.local('i32'), mc = f.local('i32');
  const pa = f.local('i32'), tile = f.local('i32'), xs = f.local('i32'), dys = f.local('i32');
  f.emit(set(pa, add(get(ws), c(KC * NC * 4))), set(tile, add(get(pa), c(MC * KC * 4))));
  f.emit(forRange(jc, c(0), get(n), NC, [
    ...set(nc, min(c(NC), sub(get(n), get(jc)))),
    ...forRange(s, c(0), get(N), 1, [
      ...set(xs, at(get(x), mul(get(s), get(sx)))),
      ...set(dys, at(get(dy), add(mul(mul(get(s), get(O)), get(P)), mul(get(i0), get(P))))),
      ...forRange(pc, c(0), get(P), KC, [
        ...set(kc, min(c(KC), sub(get(P), get(pc)))),
        ...call(FN.packB, get(kc), get(nc), get(pc), add(get(q0), get(jc)), get(xs), get(ws), get(tab)),
        ...forRange(ic, c(0), get(m), MC, [
          ...set(mc, min(c(MC), sub(get(m), get(ic)))),
          ...call(FN.packA, get(mc), get(kc), at(get(dys), add(mul(get(ic), get(P)), get(pc))), get(P), c(1), get(pa)),
          ...call(FN.macro, get(mc), get(nc), get(kc), get(pa), get(ws),
            at(get(cp), add(mul(add(get(i0), get(ic)), get(ldc)), add(get(q0), get(jc)))), get(ldc), or(ne(get(s), c(0)), ne(get(pc), c(0))), get(tile)),
        ]),
      ]),
    ]),
  ]));
  return f;
}

/** part(O, K, N, P, dy, x, sx, dw, ws, tab, unit, byCols, …, idx): dw's columns (byCols) or rows [idx·unit, +unit). */
function part(): Fn {
  const f = new Fn('weightPart', MAX_ARGS + 1);
  const [O, K, N, P, dy, x, sx, dw, ws, tab, unit, byCols] = Array.from({ length: 12 }, (_, i) => i);
  const idx = MAX_ARGS;
  const lo = f.local('i32');
  const common = (m: Code, i0: Code, n: Code, q0: Code): Code =>
    call(FN.gemm, m, i0, n, q0, get(N), get(P), get(O), get(dy), get(x), get(sx), get(dw), get(K), get(ws), get(tab));
  f.emit(set(lo, mul(get(idx), get(unit))));
  f.emit(ifThen(ne(get(byCols), c(0)),
    common(get(O), c(0), min(get(unit), sub(get(K), get(lo))), get(lo)),
    common(min(get(unit), sub(get(O), get(lo))), get(lo), get(K), c(0))));
  return f;
}

/** The step dw = conv2dBackwardWeight(x, dy) with im2col fused into the packing (one module per geometry, compiled at prepare). */
export function fusedConvWeightGrad(rt: WasmRuntime, g: ConvGeometry): F32Step {
  const K = g.c * g.kh * g.kw, P = g.oh * g.ow, O = g.o, N = g.n;
  const { hp, wp, copy } = padded(g);
  const tab = tables(rt, g, hp, wp);
  const xp = copy ? rt.scratch(N * g.c * hp * wp * 4) : 0;
  const { module, exports } = rt.instantiate([packA(), macro(rt.relaxed), packBTaps(P), weightGemm(), part(), padFn(g, hp, wp)],
    ['packA', 'macro', 'packBTaps', 'weightGemm', 'weightPart', 'pad']);
  const run = exports.weightPart as (...args: number[]) => void;
  const pad = exports.pad as (x: number, xp: number) => void;
  const job = rt.share(module, ['weightPart']);
  const args = new Int32Array(MAX_ARGS);
  const byCols = K >= O, step = byCols ? NR : MR, extent = byCols ? K : O;
  return ([x, dy], dw) => {
    if (copy) pad(x.byteOffset, xp);
    const threads = 2 * O * P * K * N < PARALLEL_FLOPS || job < 0 ? 1 : rt.threads();
    const jobs = rt.jobs;
    const unit = threads === 1 ? extent : Math.ceil(extent / (threads * CHUNKS_PER_THREAD) / step) * step;
    const chunks = Math.ceil(extent / unit);
    args[0] = O; args[1] = K; args[2] = N; args[3] = P; args[4] = dy.byteOffset; args[5] = copy ? xp : x.byteOffset;
    args[6] = g.c * hp * wp; args[7] = dw.byteOffset; args[8] = rt.workspace[0]; args[9] = tab; args[10] = unit; args[11] = byCols ? 1 : 0;
    const a = args;
    if (threads === 1 || jobs === undefined || chunks < 2) {
      for (let i = 0; i < chunks; i++) run(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], 0, 0, 0, 0, i);
      return;
    }
    for (let t = 1; t < threads; t++) {
      const v = jobs.argViews[t - 1];
      v.set(a);
      v[8] = rt.workspace[t];
    }
    jobs.share(job, chunks, threads - 1);
    for (let i = jobs.claim(); i >= 0; i = jobs.claim()) {
      run(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], 0, 0, 0, 0, i);
      jobs.finish();
    }
    jobs.join(chunks);
  };
}
