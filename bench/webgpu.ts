/**
 * @file WebGPU micro-benchmark, for a machine with a real GPU (software adapters are ~0.3 GFLOP/s):
 * square GEMM GFLOP/s and an MNIST-sized MLP train step (784-256-10, batch 128, Adam) in steps/s,
 * WebGPU against the CPU backend in the same run. Steps are submitted back to back without a
 * read-back (`submit`), then one `run` synchronises; the figure is the median of 5 rounds.
 *
 *   npx esbuild bench/webgpu.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=dist/bench-webgpu.mjs && node dist/bench-webgpu.mjs [--quick]
 */
import { createBackend, type Backend, type Executable } from '../core/backends';
import { WebGpuExecutable } from '../core/backends/webgpu/webgpuBackend';
import { compile } from '../core/compile';
import type { Plan } from '../core/compile/plan';
import { streamId } from '../core/random';
import { oneHot, Tracer } from '../core/tensor';
import { traceTrainStep } from '../core/train/step';
import { createNodeGpu } from '../electron/engine/webgpu';

const quick = process.argv.includes('--quick');

function gemmPlan(n: number): Plan {
  const t = new Tracer();
  t.run((tr) => t.output('c', tr.input('a', [n, n]).matmul(tr.input('b', [n, n]))));
  return compile(t.graph);
}

function mlpPlan(batch: number): Plan {
  return compile(traceTrainStep({
    forward: (t) => {
      const x = t.input('x', [batch, 784]);
      const y = t.input('y', [batch], 'i32');
      const w1 = t.param('fc1.kernel', [784, 256], { init: { kind: 'glorotUniform' }, stream: streamId('fc1', 'kernel') });
      const b1 = t.param('fc1.bias', [256], { init: { kind: 'zeros' }, stream: streamId('fc1', 'bias') });
      const w2 = t.param('fc2.kernel', [256, 10], { init: { kind: 'glorotUniform' }, stream: streamId('fc2', 'kernel') });
      const b2 = t.param('fc2.bias', [10], { init: { kind: 'zeros' }, stream: streamId('fc2', 'bias') });
      const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
      return logits.logSoftmax().mul(oneHot(y, 10)).sum(-1).mean().neg();
    },
    optimizer: { kind: 'adam' },
  }));
}

/** Seconds per run: `reps` runs back to back (GPU: submitted without read-back), median of rounds. */
async function time(exe: Executable, inputs: Record<string, ArrayLike<number>>, reps: number): Promise<number> {
  await exe.run(inputs); // warm-up: pipelines, caches
  const rounds: number[] = [];
  for (let r = 0; r < (quick ? 2 : 5); r++) {
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

async function main(): Promise<void> {
  const gpu = await createNodeGpu({ allowSoftware: true });
  console.log(`adapter: ${gpu.description}${gpu.software ? ' (software: figures are not GPU figures)' : ''}, Dawn ${gpu.dawnBackend}, ${gpu.featureLevel}`);
  const engines: [string, Backend][] = [['webgpu', createBackend('webgpu', { device: gpu.device })], ['cpu', createBackend('cpu')]];
  for (const n of quick ? [128] : [256, 512, 1024, 2048]) {
    const plan = gemmPlan(n);
    const inputs = { a: random(n * n), b: random(n * n) };
    const cells = [];
    for (const [name, backend] of engines) {
      const s = await time(backend.prepare(plan), inputs, quick ? 3 : 10);
      cells.push(`${name} ${((2 * n ** 3) / s / 1e9).toFixed(1)} GFLOP/s`);
    }
    console.log(`gemm ${n}³: ${cells.join(', ')}`);
  }
  const batch = 128;
  const plan = mlpPlan(batch);
  const inputs = { x: random(batch * 784), y: Int32Array.from({ length: batch }, (_, i) => i % 10), lr: [1e-3], step: [0] };
  const cells = [];
  for (const [name, backend] of engines) {
    const s = await time(backend.prepare(plan, { seed: 1 }), inputs, quick ? 3 : 20);
    cells.push(`${name} ${(1 / s).toFixed(1)} steps/s (${((batch / s) | 0)} samples/s)`);
  }
  console.log(`mlp 784-256-10 train step, batch ${batch}: ${cells.join(', ')}`);
  process.exit(0);
}

void main();
