/**
 * @file `node` dev tool: our engine alone on one workload, with the per-kernel profile (the table
 * of `brrr train --profile`) and the top steps. Bundle and run:
 *   npx esbuild bench/profile.ts --bundle --platform=node --format=esm --outfile=/tmp/brrr-profile.mjs
 *   node /tmp/brrr-profile.mjs W5 [seconds] [threads]
 */
import { CpuBackend } from '../core/backends/cpu/cpuBackend';
import { formatProfile, profileRows, wasmMachine } from '../core/backends/cpu/profileReport';
import { NodeThreadPool } from '../electron/engine/threads/nodeThreadPool';
import { compileSupervised } from '../core/train/program';
import { fixedBatch } from './ours';
import { recipe, WORKLOADS, type WorkloadId } from './workloads';

const id = (process.argv[2] ?? 'W2') as WorkloadId;
const seconds = Number(process.argv[3] ?? 2);
const threads = Number(process.argv[4] ?? 2);
const w = WORKLOADS[id];
const pool = new NodeThreadPool(threads - 1);
const timed = process.argv.includes('--profile');
const backend = new CpuBackend('f32', { threads: pool, ...(timed ? { clock: () => performance.now() } : {}) });
const r = compileSupervised(w.network, recipe(w.batch), backend, w.batch, 1);
if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
const model = r.model;
const { inputs, step } = fixedBatch(model, w);
await new Promise((res) => setTimeout(res, 300));
for (let i = 0; i < 5; i++) await model.train.run(inputs);
let steps = 0;
const c0 = backend.threadCrossings;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  step[0] = steps;
  await model.train.run(inputs);
  steps++;
}
const s = (performance.now() - t0) / 1000;
console.log(`${id}: ${(w.unit === 'steps/s' ? steps / s : (steps * w.batch) / s).toFixed(1)} ${w.unit}, ${(1000 * s / steps).toFixed(2)} ms/step, ${((backend.threadCrossings - c0) / steps).toFixed(1)} crossings/step, relaxed FMA ${backend.runtime?.relaxed === true}`);
if (timed) {
  const exe = model.train as unknown as { plan: Parameters<typeof profileRows>[0]; profile(): Parameters<typeof profileRows>[1] };
  const m = wasmMachine(threads);
  for (const l of formatProfile(profileRows(exe.plan, exe.profile(), m), m)) console.log(l);
  const top = exe.profile().filter((p) => p.runs > 0).sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.TOP ?? 15));
  for (const p of top) {
    const st = exe.plan.steps[p.step];
    const desc = st.op === 'run' ? `${st.kernel.inputs.map((v) => `[${v.shape.join(',')}]`).join(' ')} -> [${st.kernel.output.shape.join(',')}] ${JSON.stringify(st.kernel.params).slice(0, 80)}` : '';
    console.log(`${(p.ms / p.runs).toFixed(3).padStart(8)} ms  #${p.step} ${p.prim} ${desc}`);
  }
}
pool.close();
process.exit(0);
