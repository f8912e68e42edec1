/**
 * @file Tracing one layer alone, for conformance tests and tools: graph inputs named by port (and
 * by field name for dataset-fed inputs such as a loss's target), parameters and state by weight
 * name, outputs by port. Shapes are concrete (batch included).
 */
import type { Graph, InitSpec } from '../ir/graph';
import { checkParam, isRejection, type DType, type ForwardContext, type Layer, type PortType } from '../layers';
import { streamId } from '../random/streams';
import { random, Tracer, type Tensor } from '../tensor';
import { error, type Diagnostic } from './diagnostics';
import { initializerOf } from './trace';

export interface LayerTrace {
  readonly graph: Graph;
  /** Traced output shapes by port. */
  readonly outputs: Readonly<Record<string, readonly number[]>>;
  /** Graph inputs: connected ports and dataset fields (by the port name they enter). */
  readonly inputs: Readonly<Record<string, { readonly shape: readonly number[]; readonly dtype: DType }>>;
  readonly params: Readonly<Record<string, { readonly shape: readonly number[]; readonly init: InitSpec }>>;
  readonly state: Readonly<Record<string, { readonly shape: readonly number[]; readonly init: InitSpec }>>;
}

export type LayerTraceResult = { ok: true; trace: LayerTrace } | { ok: false; diagnostics: Diagnostic[] };

export function traceLayer(
  layer: Layer,
  rawParams: Readonly<Record<string, unknown>>,
  connected: Readonly<Record<string, { readonly shape: readonly number[]; readonly dtype?: DType }>>,
  options: { readonly training: boolean; readonly batch?: number },
): LayerTraceResult {
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(layer.params)) {
    const c = checkParam(spec, rawParams[name]);
    if (!c.ok) return { ok: false, diagnostics: [error(c.code, `${layer.type}: parameter "${name}" ${c.message}.`)] };
    params[name] = c.value;
  }
  const ports: Record<string, PortType> = Object.fromEntries(Object.entries(connected).map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype ?? 'f32' }]));
  const feeds = layer.fields(params, ports);
  const all: Record<string, PortType> = { ...ports };
  for (const [port, f] of Object.entries(feeds)) all[port] = { shape: f.shape.map((d) => (d === 'B' ? (options.batch ?? connected.in?.shape[0] ?? 1) : d)), dtype: f.dtype };
  const shapes = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.shape]));
  const rule = layer.shape(shapes, params);
  if (isRejection(rule)) return { ok: false, diagnostics: rule.issues.map((i) => error(i.code, `${layer.type} ${i.message}.`)) };

  const tracer = new Tracer();
  const inputs: Record<string, { shape: readonly number[]; dtype: DType }> = {};
  const weightSpecs: Record<string, { shape: readonly number[]; init: InitSpec }> = {};
  const stateSpecs: Record<string, { shape: readonly number[]; init: InitSpec }> = {};
  try {
    const outputs = tracer.run(() => {
      const tensors: Record<string, Tensor> = {};
      for (const [port, t] of Object.entries(all)) {
        const shape = t.shape.map((d) => (d === 'B' ? 1 : d));
        tensors[port] = tracer.input(port, shape, t.dtype);
        inputs[port] = { shape, dtype: t.dtype };
      }
      const weights: Record<string, Tensor> = {};
      for (const [name, w] of Object.entries(layer.weights(shapes, params))) {
        const init: InitSpec = { init: initializerOf(w.init, w.shape), stream: streamId(layer.type, name) };
        weightSpecs[name] = { shape: w.shape, init };
        weights[name] = tracer.param(name, w.shape, init);
      }
      const declared = layer.state(shapes, params);
      const stateTensors = new Map<string, Tensor>();
      const ctx: ForwardContext = {
        training: options.training,
        batchGroups: 1,
        random: (dist, shape) => random(dist, shape),
        state: (name) => {
          const spec = declared[name];
          if (!spec) throw new Error(`${layer.type} has no state "${name}"`);
          const known = stateTensors.get(name);
          if (known) return known;
          const init: InitSpec = { init: initializerOf(spec.init, spec.shape), stream: streamId(layer.type, name) };
          stateSpecs[name] = { shape: spec.shape, init };
          const t = tracer.state(name, spec.shape, init);
          stateTensors.set(name, t);
          return t;
        },
        setState: (name, value) => {
          if (options.training) tracer.update(name, value);
        },
      };
      const out = layer.forward(tensors, weights, params, ctx);
      for (const [port, t] of Object.entries(out)) tracer.output(port, t);
      return Object.fromEntries(Object.entries(out).map(([port, t]) => [port, [...t.shape]]));
    });
    return { ok: true, trace: { graph: tracer.graph, outputs, inputs, params: weightSpecs, state: stateSpecs } };
  } catch (e) {
    return { ok: false, diagnostics: [error('E_TRACE', `${layer.type} could not be traced: ${e instanceof Error ? e.message : String(e)}.`)] };
  }
}
