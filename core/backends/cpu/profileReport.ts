/**
 * @file Where a step's time goes, per kernel kind: summed time, share of the step, achieved
 * GFLOP/s and GB/s (from `kernelCost`), and the regime — the roofline bound
 * t* = max(flops / peak, bytes / bandwidth) names compute or memory; a kernel taking more than
 * OVERHEAD × t* is overhead-bound (dispatch, scalar JS, poor locality), not limited by the machine.
 */
import { kernelCost } from '../../compile/cost';
import { elementwiseChains } from '../../compile/fuse';
import type { Plan } from '../../compile/plan';
import { rowPatterns } from '../../compile/rowPatterns';
import type { Executable, StepProfile } from '../backend';

/** A kernel slower than this multiple of its roofline bound is called overhead-bound. */
export const OVERHEAD = 4;

export interface Machine {
  /** f32 GFLOP/s the kernels could reach (WebAssembly SIMD128: 58.7 per thread on the anchor machine) */
  peakGflops: number;
  /** GB/s of memory traffic */
  bandwidthGBs: number;
}

export interface KernelRow {
  kernel: string;
  steps: number;
  ms: number;
  share: number;
  gflops: number;
  gbs: number;
  regime: 'compute' | 'memory' | 'overhead';
}

/** Rows by kernel kind (prim, or prim with its variant), slowest first; ms are per run of the plan. */
export function profileRows(plan: Plan, profile: readonly StepProfile[], machine: Machine): KernelRow[] {
  const groups = new Map<string, { steps: number; ms: number; flops: number; bytes: number; bound: number }>();
  let total = 0;
  const chains = new Map(elementwiseChains(plan).map((c) => [c.steps[c.steps.length - 1], c.steps]));
  const rows = new Map(rowPatterns(plan).map((r) => [r.steps[r.steps.length - 1], r.steps]));
  for (const p of profile) {
    const s = plan.steps[p.step];
    if (s.op !== 'run' || p.runs === 0) continue;
    // a fused chain (or row kernel: row(softmax), row(layerNorm)) costs its steps' flops; its
    // traffic is approximated by the last step's
    const row = p.prim.startsWith('row(');
    const fused = p.prim.startsWith('fused') ? chains.get(p.step) ?? [p.step] : row ? rows.get(p.step) ?? [p.step] : [p.step];
    const cost = { flops: 0, bytes: kernelCost(s.kernel).bytes };
    for (const i of fused) {
      const f = plan.steps[i];
      if (f.op === 'run') cost.flops += kernelCost(f.kernel).flops;
    }
    const ms = p.ms / p.runs;
    total += ms;
    const key = p.prim.startsWith('fused') ? 'fused elementwise' : row ? p.prim : s.kernel.prim;
    const g = groups.get(key) ?? { steps: 0, ms: 0, flops: 0, bytes: 0, bound: 0 };
    g.steps++;
    g.ms += ms;
    g.flops += cost.flops;
    g.bytes += cost.bytes;
    g.bound += Math.max(cost.flops / (machine.peakGflops * 1e6), cost.bytes / (machine.bandwidthGBs * 1e6));
    groups.set(key, g);
  }
  return [...groups.entries()]
    .map(([kernel, g]): KernelRow => ({
      kernel,
      steps: g.steps,
      ms: g.ms,
      share: total > 0 ? g.ms / total : 0,
      gflops: g.ms > 0 ? g.flops / g.ms / 1e6 : 0,
      gbs: g.ms > 0 ? g.bytes / g.ms / 1e6 : 0,
      regime: g.ms > OVERHEAD * g.bound ? 'overhead' : g.flops / machine.peakGflops >= g.bytes / machine.bandwidthGBs ? 'compute' : 'memory',
    }))
    .sort((a, b) => b.ms - a.ms);
}

/** The table `brrr train --profile` prints. */
export function formatProfile(rows: readonly KernelRow[], machine: Machine): string[] {
  const total = rows.reduce((s, r) => s + r.ms, 0);
  const lines = [`Profile per training step: ${total.toFixed(2)} ms in kernels (roofline: ${machine.peakGflops} GFLOP/s, ${machine.bandwidthGBs} GB/s)`];
  lines.push(`${'kernel'.padEnd(24)}${'steps'.padStart(6)}${'ms'.padStart(9)}${'share'.padStart(8)}${'GFLOP/s'.padStart(9)}${'GB/s'.padStart(8)}  regime`);
  for (const r of rows) {
    lines.push(`${r.kernel.padEnd(24)}${String(r.steps).padStart(6)}${r.ms.toFixed(3).padStart(9)}${`${(100 * r.share).toFixed(1)}%`.padStart(8)}${r.gflops.toFixed(2).padStart(9)}${r.gbs.toFixed(2).padStart(8)}  ${r.regime}`);
  }
  return lines;
}

/**
 * Assumed roofline of the WebAssembly kernels on the anchor machine (docs: perf-anchors.md):
 * 58.7 GFLOP/s of f32x4 mul+add per thread, ~20 GB/s of memory traffic per thread.
 */
export function wasmMachine(threads: number): Machine {
  return { peakGflops: 58.7 * threads, bandwidthGBs: 20 * threads };
}

/** The profile of the executable that spent the most time (the training step of a run). */
export function busiestProfile(executables: readonly Executable[], machine: Machine): string[] {
  let best: Executable | undefined, bestMs = 0;
  for (const e of executables) {
    const ms = e.profile().reduce((s, p) => s + (p.runs > 0 ? p.ms : 0), 0);
    if (ms > bestMs) {
      best = e;
      bestMs = ms;
    }
  }
  if (best === undefined) return ['Profile: no timed steps (the run stopped before its first step).'];
  return formatProfile(profileRows(best.plan, best.profile(), machine), machine);
}
