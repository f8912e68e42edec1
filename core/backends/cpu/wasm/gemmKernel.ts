/**
 * @file The f32 GEMM generated as WebAssembly SIMD128, GotoBLAS/BLIS shaped:
 *
 *   C[m,n] (+)= opA[m,k] · opB[k,n], every operand addressed by element strides
 *   (A(i,p) = a[i·sai + p·sap], B(p,j) = b[p·sbp + j·sbj], C(i,j) = c[i·ldc + j]),
 *   so transA/transB and sub-blocks of C (one per thread) are just other strides and pointers.
 *
 *  - n is cut into NC-column blocks, k into KC blocks; per (jc, pc) opB is packed into NR = 8
 *    column micro-panels (k-major, zero padded: panel[p·8 + q]); per MC-row block opA into MR-row
 *    micro-panels (panel[p·MR + r]). Packing absorbs the transposes: the micro-kernel sees no stride.
 *    (A transposed: the panel's MR values at p are contiguous in A and move as one vector.)
 *  - the micro-kernel keeps an MR×8 tile of C in MR·2 f32x4 accumulators; per p it loads two B
 *    vectors, splats MR A values and does MR·2 multiply-adds (relaxed_madd where the runtime has it).
 *    MR = 4: 8 accumulators + 3 operands = 11 of V8's 16 xmm registers (no spills).
 *  - full tiles are stored (or added) with vector stores; edge tiles go through a scratch tile.
 * Workspace per thread: WORKSPACE_BYTES at `ws` (16-byte aligned).
 */
import {
  Fn, add, and, at, c, call, countDown, eq, f32add, f32const, f32load, f32store, f32x4add, f32x4madd, forRange,
  get, gt, ifThen, inc, le, loadSplat, lt, min, mul, ne, or, set, shl, sub, v128load, v128store, v128zero, type Code,
} from './emit';

export const MR = 4;
export const NR = 8;
export const KC = 256;
export const MC = MR * 16;
export const NC = 512;
export const WORKSPACE_BYTES = (KC * NC + MC * KC + MR * NR) * 4;

/** Function indices in the module (order of `gemmFunctions`). */
export const GEMM_FN = { packB: 0, packA: 1, macro: 2, gemm: 3, gemmBatch: 4, gemmPart: 5, gemmBatchPart: 6 } as const;

function packB(): Fn {
  // packB(kc, nc, b, sbp, sbj, dst)
  const f = new Fn('packB', 6);
  const [kc, nc, b, sbp, sbj, dst] = [0, 1, 2, 3, 4, 5];
  const j0 = f.local('i32'), p = f.local('i32'), q = f.local('i32'), src = f.local('i32'), out = f.local('i32');
  const sbp4 = f.local('i32'), sbj4 = f.local('i32'), tail = f.local('i32');
  const cols = Array.from({ length: NR }, () => f.local('v128')), tmp = Array.from({ length: 4 }, () => f.local('v128'));
  f.emit(set(sbp4, shl(get(sbp), c(2))));
  f.emit(forRange(j0, c(0), get(nc), NR,
    [
      ...set(out, add(get(dst), shl(mul(get(j0), get(kc)), c(2)))),
      ...ifThen(and(eq(get(sbj), c(1)), le(add(get(j0), c(NR)), get(nc))),
        // contiguous full panel: two vector copies per p
        [
          ...set(src, at(get(b), get(j0))),
          ...forRange(p, c(0), get(kc), 1, [
            ...v128store(get(out), v128load(get(src))),
            ...v128store(get(out), v128load(get(src), 16), 16),
            ...inc(out, NR * 4),
            ...inc(src, get(sbp4)),
          ]),
        ],
        // B transposed (columns contiguous along p), full panel: 4×4 blocks transposed in registers
        // for p in steps of 4, then the last kc mod 4 values column by column
        ifThen(and(eq(get(sbp), c(1)), le(add(get(j0), c(NR)), get(nc))), [
          ...set(src, at(get(b), mul(get(j0), get(sbj)))),
          ...set(sbj4, shl(get(sbj), c(2))),
          ...forRange(p, c(0), and(get(kc), c(-4)), 4, [
            ...cols.flatMap((l, t) => set(l, v128load(add(get(src), mul(get(sbj4), c(t)))))),
            ...transpose4(cols.slice(0, 4), tmp, get(out), 0),
            ...transpose4(cols.slice(4, 8), tmp, get(out), 16),
            ...inc(out, 4 * NR * 4),
            ...inc(src, 16),
          ]),
          ...forRange(q, c(0), c(NR), 1, [
            ...set(tail, add(get(src), mul(get(sbj4), get(q)))),
            ...forRange(p, and(get(kc), c(-4)), get(kc), 1, [
              ...f32store(at(get(dst), add(add(mul(get(j0), get(kc)), shl(get(p), c(3))), get(q))), f32load(get(tail))),
              ...inc(tail, 4),
            ]),
          ]),
        ],
        // strided or edge panel: column by column, zero past nc
        forRange(q, c(0), c(NR), 1,
          ifThen(lt(add(get(j0), get(q)), get(nc)),
            [
              ...set(src, at(get(b), mul(add(get(j0), get(q)), get(sbj)))),
              ...forRange(p, c(0), get(kc), 1, [
                ...f32store(at(get(out), add(shl(get(p), c(3)), get(q))), f32load(get(src))),
                ...inc(src, get(sbp4)),
              ]),
            ],
            forRange(p, c(0), get(kc), 1, f32store(at(get(out), add(shl(get(p), c(3)), get(q))), f32const(0))),
          ))),
      ),
    ]));
  return f;
}

/** i8x16.shuffle of two vectors picking i32 lanes (0–3 from a, 4–7 from b) */
function lanes(a: Code, b: Code, picks: readonly number[]): Code {
  return [...a, ...b, 0xfd, 0x0d, ...picks.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
}

/**
 * Rows r of the 4×4 block whose columns are v[0..3] (v[q] = B(p..p+3, q)), stored at
 * out + r·NR·4 + offset: r0 = (a0 b0 c0 d0) from unpack-low/high pairs, as SSE's _MM_TRANSPOSE4_PS.
 */
function transpose4(v: readonly number[], tmp: readonly number[], out: Code, offset: number): Code {
  return [
    ...set(tmp[0], lanes(get(v[0]), get(v[1]), [0, 4, 1, 5])),
    ...set(tmp[1], lanes(get(v[0]), get(v[1]), [2, 6, 3, 7])),
    ...set(tmp[2], lanes(get(v[2]), get(v[3]), [0, 4, 1, 5])),
    ...set(tmp[3], lanes(get(v[2]), get(v[3]), [2, 6, 3, 7])),
    ...v128store(out, lanes(get(tmp[0]), get(tmp[2]), [0, 1, 4, 5]), offset),
    ...v128store(out, lanes(get(tmp[0]), get(tmp[2]), [2, 3, 6, 7]), offset + NR * 4),
    ...v128store(out, lanes(get(tmp[1]), get(tmp[3]), [0, 1, 4, 5]), offset + 2 * NR * 4),
    ...v128store(out, lanes(get(tmp[1]), get(tmp[3]), [2, 3, 6, 7]), offset + 3 * NR * 4),
  ];
}

export function packA(): Fn {
  // packA(mc, kc, a, sai, sap, dst)
  const f = new Fn('packA', 6);
  const [mc, kc, a, sai, sap, dst] = [0, 1, 2, 3, 4, 5];
  const i0 = f.local('i32'), r = f.local('i32'), p = f.local('i32'), src = f.local('i32'), out = f.local('i32'), sap4 = f.local('i32');
  f.emit(set(sap4, shl(get(sap), c(2))));
  f.emit(forRange(i0, c(0), get(mc), MR, ifThen(and(eq(get(sai), c(1)), le(add(get(i0), c(MR)), get(mc))),
    // transposed A, full panel: the MR rows of column p are contiguous, one vector per p
    [
      ...set(out, add(get(dst), shl(mul(get(i0), get(kc)), c(2)))),
      ...set(src, at(get(a), get(i0))),
      ...forRange(p, c(0), get(kc), 1, [
        ...v128store(get(out), v128load(get(src))),
        ...inc(out, MR * 4),
        ...inc(src, get(sap4)),
      ]),
    ],
    forRange(r, c(0), c(MR), 1, [
      ...set(out, add(add(get(dst), shl(mul(get(i0), get(kc)), c(2))), shl(get(r), c(2)))),
      ...ifThen(lt(add(get(i0), get(r)), get(mc)),
        [
          ...set(src, at(get(a), mul(add(get(i0), get(r)), get(sai)))),
          ...forRange(p, c(0), get(kc), 1, [
            ...f32store(get(out), f32load(get(src))),
            ...inc(out, MR * 4),
            ...inc(src, get(sap4)),
          ]),
        ],
        forRange(p, c(0), get(kc), 1, [...f32store(get(out), f32const(0)), ...inc(out, MR * 4)]),
      ),
    ]))));
  return f;
}

export function macro(relaxed: boolean): Fn {
  // macro(mc, nc, kc, pa, pb, c, ldc, add, tile)
  const f = new Fn('macro', 9);
  const [mc, nc, kc, pa, pb, cp, ldc, addf, tile] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const jr = f.local('i32'), ir = f.local('i32'), rows = f.local('i32'), cols = f.local('i32');
  const pA = f.local('i32'), pB = f.local('i32'), n = f.local('i32'), row = f.local('i32'), ldc4 = f.local('i32');
  const r = f.local('i32'), q = f.local('i32'), dst = f.local('i32');
  const acc: number[][] = [];
  for (let i = 0; i < MR; i++) acc.push([f.local('v128'), f.local('v128')]);
  const b0 = f.local('v128'), b1 = f.local('v128'), av = f.local('v128');

  const kernel: Code = [];
  for (const pair of acc) for (const x of pair) kernel.push(...set(x, v128zero()));
  kernel.push(...set(n, get(kc)));
  const step: Code = [...set(b0, v128load(get(pB))), ...set(b1, v128load(get(pB), 16))];
  for (let i = 0; i < MR; i++) {
    step.push(...set(av, loadSplat(get(pA), 4 * i)));
    step.push(...set(acc[i][0], f32x4madd(get(av), get(b0), get(acc[i][0]), relaxed)));
    step.push(...set(acc[i][1], f32x4madd(get(av), get(b1), get(acc[i][1]), relaxed)));
  }
  step.push(...inc(pA, MR * 4), ...inc(pB, NR * 4));
  kernel.push(...countDown(n, step));

  // full tile: vector store or add, row by row
  const full: Code = [...set(row, get(dst))];
  for (let i = 0; i < MR; i++) {
    full.push(...ifThen(get(addf),
      [
        ...v128store(get(row), f32x4add(v128load(get(row)), get(acc[i][0]))),
        ...v128store(get(row), f32x4add(v128load(get(row), 16), get(acc[i][1])), 16),
      ],
      [...v128store(get(row), get(acc[i][0])), ...v128store(get(row), get(acc[i][1]), 16)]));
    if (i < MR - 1) full.push(...inc(row, get(ldc4)));
  }
  // edge tile: spill to the scratch tile, copy the valid part
  const edge: Code = [];
  for (let i = 0; i < MR; i++) {
    edge.push(...v128store(get(tile), get(acc[i][0]), i * 32), ...v128store(get(tile), get(acc[i][1]), i * 32 + 16));
  }
  edge.push(...forRange(r, c(0), get(rows), 1, [
    ...set(row, add(get(dst), mul(get(r), get(ldc4)))),
    ...forRange(q, c(0), get(cols), 1,
      f32store(at(get(row), get(q)), f32add(
        f32load(at(get(tile), add(shl(get(r), c(3)), get(q)))),
        [...f32load(at(get(row), get(q))), ...f32const(0), ...get(addf), 0x1b /* select: add ? old : 0 */],
      ))),
  ]));

  f.emit(set(ldc4, shl(get(ldc), c(2))));
  f.emit(forRange(jr, c(0), get(nc), NR, [
    ...set(cols, min(c(NR), sub(get(nc), get(jr)))),
    ...forRange(ir, c(0), get(mc), MR, [
      ...set(rows, min(c(MR), sub(get(mc), get(ir)))),
      ...set(pA, add(get(pa), shl(mul(get(ir), get(kc)), c(2)))),
      ...set(pB, add(get(pb), shl(mul(get(jr), get(kc)), c(2)))),
      ...set(dst, add(get(cp), shl(add(mul(get(ir), get(ldc)), get(jr)), c(2)))),
      ...kernel,
      ...ifThen(and(eq(get(rows), c(MR)), eq(get(cols), c(NR))), full, edge),
    ]),
  ]));
  return f;
}

function gemm(): Fn {
  // gemm(m, n, k, a, sai, sap, b, sbp, sbj, c, ldc, acc, ws); k > 0
  const f = new Fn('gemm', 13);
  const [m, n, k, a, sai, sap, b, sbp, sbj, cp, ldc, acc, ws] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const jc = f.local('i32'), pc = f.local('i32'), ic = f.local('i32'), nc = f.local('i32'), kc = f.local('i32'), mc = f.local('i32');
  const pa = f.local('i32'), tile = f.local('i32'), addf = f.local('i32');
  f.emit(set(pa, add(get(ws), c(KC * NC * 4))), set(tile, add(get(pa), c(MC * KC * 4))));
  f.emit(forRange(jc, c(0), get(n), NC, [
    ...set(nc, min(c(NC), sub(get(n), get(jc)))),
    ...forRange(pc, c(0), get(k), KC, [
      ...set(kc, min(c(KC), sub(get(k), get(pc)))),
      ...call(GEMM_FN.packB, get(kc), get(nc), at(get(b), add(mul(get(pc), get(sbp)), mul(get(jc), get(sbj)))), get(sbp), get(sbj), get(ws)),
      ...set(addf, or(ne(get(acc), c(0)), gt(get(pc), c(0)))),
      ...forRange(ic, c(0), get(m), MC, [
        ...set(mc, min(c(MC), sub(get(m), get(ic)))),
        ...call(GEMM_FN.packA, get(mc), get(kc), at(get(a), add(mul(get(ic), get(sai)), mul(get(pc), get(sap)))), get(sai), get(sap), get(pa)),
        ...call(GEMM_FN.macro, get(mc), get(nc), get(kc), get(pa), get(ws), at(get(cp), add(mul(get(ic), get(ldc)), get(jc))), get(ldc), get(addf), get(tile)),
      ]),
    ]),
  ]));
  return f;
}

function gemmBatch(): Fn {
  // gemmBatch(count, sa, sb, sc, m, n, k, a, sai, sap, b, sbp, sbj, c, ldc, ws): `count` products,
  // operand pointers advanced by sa/sb/sc elements each (0 = broadcast); C overwritten.
  const f = new Fn('gemmBatch', 16);
  const [count, sa, sb, sc, m, n, k, a, sai, sap, b, sbp, sbj, cp, ldc, ws] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const t = f.local('i32');
  f.emit(forRange(t, c(0), get(count), 1, [
    ...call(GEMM_FN.gemm, get(m), get(n), get(k), get(a), get(sai), get(sap), get(b), get(sbp), get(sbj), get(cp), get(ldc), c(0), get(ws)),
    ...set(a, at(get(a), get(sa))),
    ...set(b, at(get(b), get(sb))),
    ...set(cp, at(get(cp), get(sc))),
  ]));
  return f;
}

/**
 * Chunk `idx` of a product shared between threads (threadPool.ts): columns [idx·unit, +unit) of C
 * when byCols, else rows; unit is a multiple of NR (columns) or MR (rows).
 */
function gemmPart(): Fn {
  // gemmPart(m, n, k, a, sai, sap, b, sbp, sbj, c, ldc, acc, ws, unit, byCols, _, idx): the chunk
  // index comes after the MAX_ARGS job arguments (threadPool.ts)
  const f = new Fn('gemmPart', 16 + 1);
  const [m, n, k, a, sai, sap, b, sbp, sbj, cp, ldc, acc, ws, unit, byCols, , idx] = Array.from({ length: 17 }, (_, i) => i);
  const lo = f.local('i32');
  f.emit(set(lo, mul(get(idx), get(unit))));
  f.emit(ifThen(ne(get(byCols), c(0)),
    call(GEMM_FN.gemm, get(m), min(get(unit), sub(get(n), get(lo))), get(k), get(a), get(sai), get(sap),
      at(get(b), mul(get(lo), get(sbj))), get(sbp), get(sbj), at(get(cp), get(lo)), get(ldc), get(acc), get(ws)),
    call(GEMM_FN.gemm, min(get(unit), sub(get(m), get(lo))), get(n), get(k), at(get(a), mul(get(lo), get(sai))), get(sai), get(sap),
      get(b), get(sbp), get(sbj), at(get(cp), mul(get(lo), get(ldc))), get(ldc), get(acc), get(ws))));
  return f;
}

/** Matrix `idx` of a batched product shared between threads (C overwritten). */
function gemmBatchPart(): Fn {
  // gemmBatchPart(count, sa, sb, sc, m, n, k, a, sai, sap, b, sbp, sbj, c, ldc, ws, idx)
  const f = new Fn('gemmBatchPart', 16 + 1);
  const [, sa, sb, sc, m, n, k, a, sai, sap, b, sbp, sbj, cp, ldc, ws, idx] = Array.from({ length: 17 }, (_, i) => i);
  f.emit(call(GEMM_FN.gemm, get(m), get(n), get(k), at(get(a), mul(get(idx), get(sa))), get(sai), get(sap),
    at(get(b), mul(get(idx), get(sb))), get(sbp), get(sbj), at(get(cp), mul(get(idx), get(sc))), get(ldc), c(0), get(ws)));
  return f;
}

export function gemmFunctions(relaxed: boolean): Fn[] {
  return [packB(), packA(), macro(relaxed), gemm(), gemmBatch(), gemmPart(), gemmBatchPart()];
}

