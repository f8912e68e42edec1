/**
 * @file WebGPU benchmark, for a machine with a real GPU (software adapters run at a few GFLOP/s:
 * their figures only show the bench works): square GEMM in TFLOP/s (the tile variant named), the
 * workloads W2–W5 of bench/workloads.ts (forward, loss, backward and Adam in one plan) in
 * samples/s or steps/s with their dispatches per step fused and unfused, the CPU backend beside
 * them for small sizes, and PyTorch float32 on the same GPU when `python3` has torch with CUDA
 * (else a note says why it is skipped). Steps are submitted back to back without a read-back
 * (`submit`), then one `run` synchronises; each figure is the median of rounds.
 *
 *   npx esbuild bench/webgpu.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=dist/bench-webgpu.mjs && EGL_PLATFORM=surfaceless node dist/bench-webgpu.mjs [--quick]
 * --quick: GEMM 128 and 256, the workloads at batch 4 (T 8 for W4) and 2 rounds.
 * BRRR_PYTHON names the python with torch (default `python3`).
 */
import { spawnSync } from 'node:child_process';
import { createBackend, type Backend, type Executable } from '../core/backends';
import { matmulProgram } from '../core/backends/webgpu/kernels/gemm';
import { WebGpuBackend, WebGpuExecutable } from '../core/backends/webgpu/webgpuBackend';
import { compile } from '../core/compile';
import type { Plan } from '../core/compile/plan';
import { Tracer } from '../core/tensor';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../core/train/program';
import { createNodeGpu } from '../electron/engine/webgpu';
import { recipe, WORKLOADS, type Workload, type WorkloadId } from './workloads';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;

function gemmPlan(n: number): Plan {
  const t = new Tracer();
  t.run((tr) => t.output('c', tr.input('a', [n, n]).matmul(tr.input('b', [n, n]))));
  return compile(t.graph);
}

/** Seconds per run: `reps` runs back to back (GPU: submitted without read-back), median of rounds. */
async function time(exe: Executable, inputs: Record<string, ArrayLike<number>>, reps: number): Promise<number> {
  await exe.run(inputs); // warm-up: pipelines, caches
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < reps - 1; i++) {
      if (exe instanceof WebGpuExecutable) await exe.submit(inputs);
      else await exe.run(inputs);
    }
    await exe.run(inputs);
    rounds.push((performance.now() - start) / 1000 / reps);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
}

const random = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);

/** The workload as benchmarked here (quick: small batch, W4 over 8 time steps). */
function sized(w: Workload): { w: Workload; batch: number } {
  if (!quick) return { w, batch: w.batch };
  if (w.id !== 'W4') return { w, batch: 4 };
  const network = { ...w.network, nodes: w.network.nodes.map((n) => (n.id === 'x' ? { ...n, params: { ...n.params, shape: [8, 8] } } : n)) };
  return { w: { ...w, network, fields: { ...w.fields, x: [8, 8] } }, batch: 4 };
}

function workloadExe(w: Workload, batch: number, backend: Backend): { exe: Executable; inputs: Record<string, ArrayLike<number>> } {
  const r = compileSupervised(w.network, recipe(batch), backend, batch, 1);
  if (!r.ok) throw new Error(`bench ${w.id}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const inputs: Record<string, ArrayLike<number>> = { [LR_INPUT]: new Float32Array([1e-3]), [STEP_INPUT]: new Int32Array(1) };
  for (const f of r.model.feeds) {
    const n = batch * f.spec.shape.reduce((a, b) => a * b, 1);
    inputs[f.input] = f.spec.dtype === 'i32' ? Int32Array.from({ length: n }, (_, i) => i % (w.classes ?? 2)) : random(n);
  }
  return { exe: r.model.train, inputs };
}

const rate = (w: Workload, batch: number, s: number): string => (w.unit === 'steps/s' ? `${(1 / s).toFixed(2)} steps/s` : `${(batch / s).toFixed(0)} samples/s`);

/** PyTorch float32 on the same GPU (CUDA), or why not. */
function torchCuda(gemmSizes: number[], ids: WorkloadId[]): { note: string; gemm?: Record<string, number>; rates?: Record<string, number> } {
  const python = process.env.BRRR_PYTHON ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__, torch.cuda.is_available())'], { encoding: 'utf8' });
  const [version, cuda] = (probe.stdout ?? '').trim().split(' ');
  if (probe.status !== 0) return { note: `PyTorch: skipped (${python} cannot import torch)` };
  if (cuda !== 'True') return { note: `PyTorch ${version}: skipped (torch.cuda.is_available() is False on this machine)` };
  const script = TORCH_SCRIPT.replace('__REQ__', JSON.stringify({ gemm: gemmSizes, ids, quick }));
  const run = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) return { note: `PyTorch ${version} CUDA: failed (${(run.stderr ?? '').trim().split('\n').at(-1)})` };
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { device: string; gemm: Record<string, number>; rates: Record<string, number> };
  return { note: `PyTorch ${version} CUDA on ${out.device} (float32, TF32 off)`, gemm: out.gemm, rates: out.rates };
}

/** The bench/torch_peer.py models on CUDA: GEMM TFLOP/s, W2–W5 rates (samples/s; W5 steps/s). */
const TORCH_SCRIPT = `
import json, time, torch, torch.nn as nn, torch.nn.functional as F
req = json.loads('__REQ__')
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device('cuda')
class LeNet(nn.Module):
    def __init__(s):
        super().__init__(); s.c1, s.c2 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5); s.d1, s.d2, s.d3 = nn.Linear(256, 120), nn.Linear(120, 84), nn.Linear(84, 10)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.c1(x)), 2); x = F.max_pool2d(F.relu(s.c2(x)), 2)
        return s.d3(F.relu(s.d2(F.relu(s.d1(x.flatten(1))))))
class Lstm(nn.Module):
    def __init__(s):
        super().__init__(); s.lstm, s.head = nn.LSTM(8, 128, batch_first=True), nn.Linear(128, 1)
    def forward(s, x): return s.head(s.lstm(x)[0][:, -1])
def model(w):
    if w == 'W2': return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if w == 'W3': return LeNet()
    if w == 'W4': return Lstm()
    return nn.TransformerEncoderLayer(128, 4, 512, dropout=0.0, batch_first=True)
SHAPES = {'W2': ((128, 1, 28, 28), 10), 'W3': ((64, 1, 28, 28), 10), 'W4': ((32, 50, 8), (32, 1)), 'W5': ((32, 64, 128), (32, 64, 128))}
def timed(f, seconds=0.5 if req['quick'] else 3):
    for _ in range(3): f()
    torch.cuda.synchronize(); n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or n < 3:
        f(); n += 1
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) / n
gemm = {}
for n in req['gemm']:
    a, b = torch.rand(n, n, device=dev), torch.rand(n, n, device=dev)
    gemm[str(n)] = 2 * n ** 3 / timed(lambda: a @ b) / 1e12
rates = {}
for w in req['ids']:
    torch.manual_seed(1); m = model(w).to(dev); opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    xs, ys = SHAPES[w]; x = torch.rand(xs, device=dev) * 2 - 1
    y = torch.randint(0, ys, (xs[0],), device=dev) if isinstance(ys, int) else torch.rand(ys, device=dev) * 2 - 1
    loss_fn = F.cross_entropy if isinstance(ys, int) else F.mse_loss
    def step():
        opt.zero_grad(set_to_none=True); loss_fn(m(x), y).backward(); opt.step()
    s = timed(step)
    rates[w] = 1 / s if w == 'W5' else xs[0] / s
print(json.dumps({'device': torch.cuda.get_device_name(0), 'gemm': gemm, 'rates': rates}))
`;

async function main(): Promise<void> {
  const gpu = await createNodeGpu({ allowSoftware: true });
  console.log(`adapter: ${gpu.description}${gpu.software ? ' (software: figures are not GPU figures)' : ''}, Dawn ${gpu.dawnBackend}, ${gpu.featureLevel}`);
  const webgpu = new WebGpuBackend(gpu.device);
  const unfused = new WebGpuBackend(gpu.device, { fusion: false });
  const cpu = createBackend('cpu');
  const sizes = quick ? [128, 256] : [1024, 2048, 4096];
  const ids: WorkloadId[] = ['W2', 'W3', 'W4', 'W5'];
  // PyTorch first: its figures are printed beside ours (workload rates only at full size)
  const torch = torchCuda(sizes, ids);
  const io = { inputs: [{ buffer: 1, storage: 'float' as const }, { buffer: 2, storage: 'float' as const }], output: { buffer: 0, storage: 'float' as const } };
  for (const n of sizes) {
    const plan = gemmPlan(n);
    const inputs = { a: random(n * n), b: random(n * n) };
    const s = await time(webgpu.prepare(plan), inputs, quick ? 3 : 20);
    const variant = matmulProgram(io, [n, n], false, [n, n], false, [n, n], webgpu.maxInvocations).name;
    const cells = [`webgpu ${((2 * n ** 3) / s / 1e12).toFixed(4)} TFLOP/s (${variant})`];
    if (n <= 512) cells.push(`cpu ${((2 * n ** 3) / (await time(cpu.prepare(plan), inputs, 3)) / 1e12).toFixed(4)} TFLOP/s`);
    if (torch.gemm?.[n] !== undefined) cells.push(`pytorch ${torch.gemm[n].toFixed(2)} TFLOP/s`);
    console.log(`gemm ${n}³: ${cells.join(', ')}`);
  }
  for (const id of ids) {
    const { w, batch } = sized(WORKLOADS[id]);
    const fused = workloadExe(w, batch, webgpu);
    const plain = workloadExe(w, batch, unfused);
    const dispatches = `${(fused.exe as WebGpuExecutable).dispatches} dispatches/step fused, ${(plain.exe as WebGpuExecutable).dispatches} unfused`;
    plain.exe.dispose();
    const s = await time(fused.exe, fused.inputs, quick ? 2 : 20);
    fused.exe.dispose();
    const cells = [`webgpu ${rate(w, batch, s)}`];
    if (quick) cells.push(`cpu ${rate(w, batch, await time(workloadExe(w, batch, cpu).exe, fused.inputs, 2))}`);
    const theirs = torch.rates?.[id];
    const ours = w.unit === 'steps/s' ? 1 / s : batch / s;
    if (theirs !== undefined && !quick) cells.push(`pytorch ${theirs.toFixed(w.unit === 'steps/s' ? 2 : 0)} ${w.unit} (ours ${(ours / theirs).toFixed(2)}×)`);
    console.log(`${id} ${w.title}${quick ? ` [quick: batch ${batch}${id === 'W4' ? ', T 8' : ''}]` : ''}: ${cells.join(', ')}; ${dispatches}`);
  }
  console.log(torch.note);
  process.exit(0);
}

void main();
