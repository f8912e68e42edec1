/**
 * @file The conformance cases shared by the Dawn (Node) and Chromium (page) tests: every
 * primitive case of tests/engine/primCases (forward, plus the gradient graph when differentiable)
 * and every layer case of tests/layers/cases (forward and gradients of a random projection, eval
 * and training mode), each as a plain-JSON plan with its inputs, parameter values and the float64
 * CPU outputs to compare with.
 */
import { vjp, grad } from '../../core/autograd';
import { createBackend, type HostArray } from '../../core/backends';
import { compile } from '../../core/compile';
import type { Plan } from '../../core/compile/plan';
import { sizeOf } from '../../core/ir/graph';
import { ALL_PRIMS, Prim } from '../../core/ir/prims';
import { concreteShape, layers } from '../../core/layers';
import { traceLayer } from '../../core/model';
import { Tracer, constant } from '../../core/tensor';
import { primCases } from '../engine/primCases';
import { generate, rng } from '../engine/support';
import { fieldGen, layerCases, type Gen } from '../layers/cases';
import type { Tolerance } from './support';

export interface ConformanceCase {
  label: string;
  /** the primitive or layer type it checks */
  subject: string;
  plan: Plan;
  inputs: Record<string, number[]>;
  variables: Record<string, number[]>;
  /** output name → tolerance class */
  tolerance: Record<string, Tolerance>;
  /** uniform random outputs must equal the f32 CPU bit for bit */
  exact?: string[];
}

export const FORWARD: Tolerance = { rtol: 1e-4, atol: 1e-5 };
/** gradients of deep layers (recurrent, attention) sum many f32 products */
export const GRADIENT: Tolerance = { rtol: 1e-3, atol: 1e-4 };
export const SEED = 3;

export function primConformance(): ConformanceCase[] {
  return ALL_PRIMS.flatMap((prim) => primCases[prim].map((c): ConformanceCase => {
    const withGrad = c.grad !== false && c.inputs.some((i) => (i.dtype ?? 'f32') === 'f32');
    const t = new Tracer();
    t.run((tr) => {
      const xs = c.inputs.map((i, k) => tr.input(`x${k}`, i.shape, i.dtype ?? 'f32'));
      const y = c.build(xs);
      t.output('y', y);
      if (!withGrad) return;
      const proj = generate(sizeOf(c.shape), 'normal', rng(99));
      const loss = y.cast('f32').mul(constant(proj, c.shape)).sum();
      vjp(loss, xs.filter((x) => x.dtype === 'f32')).forEach((g, i) => t.output(`g${i}`, g));
    });
    const plan = compile(t.graph);
    const r = rng(1);
    const inputs = Object.fromEntries(c.inputs.map((i, k) => [`x${k}`, generate(sizeOf(i.shape), i.gen ?? 'normal', r)]));
    const tolerance = Object.fromEntries(plan.outputs.map((o) => [o.name, FORWARD]));
    const exact = prim === Prim.Random && c.label.startsWith('uniform') ? ['y'] : undefined;
    return { label: `${prim} ${c.label}`, subject: prim, plan, inputs, variables: {}, tolerance, ...(exact ? { exact } : {}) };
  }));
}

const BATCH = 2;
const draw = (n: number, gen: Gen, r: () => number): number[] =>
  Array.from({ length: n }, () => (gen === 'normal' ? r() * 2 - 1 : gen === 'positive' ? 0.5 + r() : gen === 'bit' ? (r() < 0.5 ? 0 : 1) : Math.floor(r() * gen.int)));

export function layerConformance(): ConformanceCase[] {
  return layers.flatMap((layer) => (layerCases[layer.type as keyof typeof layerCases] ?? []).flatMap((c, n) => (c.training ?? [false, true]).map((training): ConformanceCase => {
    const label = `${layer.type}${c.name ? ` (${c.name})` : n ? ` #${n + 1}` : ''} training ${training}`;
    const ports = Object.fromEntries(Object.entries(c.inputs).map(([port, i]) => [port, { shape: concreteShape(i.shape, BATCH), dtype: i.dtype ?? 'f32' }]));
    const traced = traceLayer(layer, c.params ?? {}, ports, { training, batch: BATCH });
    if (!traced.ok) throw new Error(`${label}: ${JSON.stringify(traced.diagnostics)}`);
    const t = traced.trace;
    const graph = t.graph;
    const r = rng(42);
    const outs = [...graph.outputs];
    const wrt = [...Object.entries(t.inputs).filter(([, i]) => i.dtype === 'f32').map(([name]) => name), ...Object.keys(t.params)];
    if (outs.length > 0 && wrt.length > 0) {
      const tracer = new Tracer(graph);
      tracer.run(() => {
        const objective = outs
          .map((o) => {
            const v = tracer.wrap(o.value);
            return v.cast('f32').mul(constant(draw(v.size, 'normal', r), v.shape)).sum();
          })
          .reduce((a, b) => a.add(b));
        tracer.output('objective', objective);
        grad(graph, objective.id, wrt.map((w) => tracer.get(w).id)).forEach((g, i) => tracer.output(`grad:${wrt[i]}`, tracer.wrap(g)));
      });
    }
    const plan = compile(graph);
    const inputs: Record<string, number[]> = {};
    for (const [name, i] of Object.entries(t.inputs)) {
      const spec = c.inputs[name];
      const gen = spec?.gen ?? (spec ? 'normal' : (fieldGen[layer.type as keyof typeof fieldGen] ?? 'normal'));
      inputs[name] = draw(sizeOf(i.shape), i.dtype === 'i32' && typeof gen !== 'object' ? { int: 2 } : gen, r);
    }
    if (graph.inputs.some((i) => i.name === 'step')) inputs.step = [0];
    const variables = Object.fromEntries(Object.entries(t.params).map(([name, p]) => [name, draw(sizeOf(p.shape), 'normal', r)]));
    const tolerance = Object.fromEntries(plan.outputs.map((o) => [o.name, o.name.startsWith('grad:') || o.name === 'objective' ? GRADIENT : FORWARD]));
    return { label, subject: layer.type, plan, inputs, variables, tolerance };
  })));
}

/** The float64 CPU outputs of a case (and the f32 CPU ones, for the bit-exact checks). */
export async function oracle(c: ConformanceCase, mode: 'f64' | 'f32' = 'f64'): Promise<Record<string, HostArray>> {
  const exe = createBackend('cpu', { mode }).prepare(c.plan, { seed: SEED });
  for (const [name, v] of Object.entries(c.variables)) exe.writeVariable(name, v);
  return exe.run(c.inputs);
}
