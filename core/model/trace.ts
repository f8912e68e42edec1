/**
 * @file Tracing a network into the IR: each node's forward runs on the Tensor API in topological
 * order. Graph inputs: one per dataset field (an Input's field, a loss's target field), named by
 * the field; parameters and state named `${nodeId}.${weightName}` with initializer specs; outputs:
 * each Output node's prediction under its name, `loss` (the sum of the losses) when there are
 * losses; state updates (BatchNorm running statistics) when training.
 */
import type { Graph, InitSpec } from '../ir/graph';
import { concreteShape, type FieldFeed, type ForwardContext, type Init } from '../layers';
import { layerByType } from '../layers';
import type { Network } from '../project/schema';
import { fans, type Initializer } from '../random/initializers';
import { streamId } from '../random/streams';
import { random, Tracer, type Tensor } from '../tensor';
import { validateNetwork, type NetworkAnalysis } from './analyze';
import { error, hasErrors, type Diagnostic } from './diagnostics';
import { nodeName } from './structure';

export interface TraceOptions {
  /** Dropout active, BatchNorm on batch statistics with running-stat updates. */
  readonly training: boolean;
  /** The concrete batch the plan is compiled for. */
  readonly batchSize: number;
  /**
   * The batch is this many equal groups of rows from different sources, each normalised by its
   * own batch statistics (BatchNorm while training); default 1. Must divide the batch size.
   */
  readonly batchGroups?: number;
  /** Include the losses and their targets (default true); false traces inference only. */
  readonly losses?: boolean;
  /** Also output each loss's prediction as `${lossNodeId}.prediction` (for accuracy metrics). */
  readonly predictions?: boolean;
}

/** A graph input the data pipeline fills each step. */
export interface TracedField {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: FieldFeed['dtype'];
  /** Nodes that read it. */
  readonly nodeIds: readonly string[];
}

export interface TracedVariable {
  readonly name: string;
  readonly nodeId: string;
  readonly weight: string;
  readonly shape: readonly number[];
  readonly init: InitSpec;
}

export interface TracedNetwork {
  readonly graph: Graph;
  readonly fields: readonly TracedField[];
  readonly params: readonly TracedVariable[];
  readonly state: readonly TracedVariable[];
  /** Output name of the summed loss, when the network has losses and they were traced. */
  readonly loss: string | undefined;
  /** Prediction output names (Output nodes, and loss predictions when asked). */
  readonly predictions: readonly string[];
  /** Concrete shape of every node output, as traced: `shapes[nodeId][port]`. */
  readonly shapes: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  readonly analysis: NetworkAnalysis;
}

export type TraceResult = { ok: true; traced: TracedNetwork } | { ok: false; diagnostics: Diagnostic[] };

export const LOSS_OUTPUT = 'loss';

/** Our initializer spec → core/random's: the Glorot/He family keeps its name when our fans match core/random's rule for the shape. */
export function initializerOf(init: Init, shape: readonly number[]): Initializer {
  switch (init.kind) {
    case 'zeros':
    case 'ones':
      return { kind: init.kind };
    case 'uniform':
      return { kind: 'uniform', limit: init.a };
    case 'normal':
      return { kind: 'normal', std: init.std };
    default: {
      const f = fans(shape);
      if (f.fanIn === init.fanIn && f.fanOut === init.fanOut) return { kind: init.kind };
      const glorot = init.kind === 'glorotUniform' || init.kind === 'glorotNormal';
      const variance = glorot ? 2 / (init.fanIn + init.fanOut) : 2 / init.fanIn;
      const uniform = init.kind === 'glorotUniform' || init.kind === 'heUniform';
      return uniform ? { kind: 'uniform', limit: Math.sqrt(3 * variance) } : { kind: 'normal', std: Math.sqrt(variance) };
    }
  }
}

export function traceNetwork(network: Network, options: TraceOptions): TraceResult {
  const withLosses = options.losses ?? true;
  const analysis = validateNetwork(network, { trained: options.training && withLosses });
  if (hasErrors(analysis.diagnostics)) return { ok: false, diagnostics: analysis.diagnostics.filter((d) => d.severity === 'error') };
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    return { ok: false, diagnostics: [error('E_TRACE', `The batch size must be a whole number from 1 up, not ${options.batchSize}.`, { networkId: network.id })] };
  }
  const b = options.batchSize;
  const batchGroups = options.batchGroups ?? 1;
  if (!Number.isInteger(batchGroups) || batchGroups < 1 || b % batchGroups !== 0) {
    return { ok: false, diagnostics: [error('E_TRACE', `A batch of ${b} rows cannot be split into ${batchGroups} equal groups.`, { networkId: network.id })] };
  }
  const tracer = new Tracer();
  const fields = new Map<string, { shape: number[]; dtype: FieldFeed['dtype']; tensor: Tensor; nodeIds: string[] }>();
  const params: TracedVariable[] = [];
  const state: TracedVariable[] = [];
  const values = new Map<string, Readonly<Record<string, Tensor>>>();
  const shapes: Record<string, Record<string, readonly number[]>> = {};
  const predictions: string[] = [];
  const losses: Tensor[] = [];
  const byId = new Map(network.nodes.map((n) => [n.id, n]));

  const fail = (nodeId: string, message: string): TraceResult => {
    const node = byId.get(nodeId);
    return { ok: false, diagnostics: [error('E_TRACE', `${node ? nodeName(node) : nodeId} ${message}`, { networkId: network.id, nodeId })] };
  };
  const variable = (kind: 'param' | 'state', nodeId: string, weight: string, shape: readonly number[], init: Init): Tensor => {
    const name = `${nodeId}.${weight}`;
    const spec: InitSpec = { init: initializerOf(init, shape), stream: streamId(nodeId, weight) };
    (kind === 'param' ? params : state).push({ name, nodeId, weight, shape, init: spec });
    return kind === 'param' ? tracer.param(name, shape, spec) : tracer.state(name, shape, spec);
  };

  let result: TraceResult | undefined;
  try {
    result = tracer.run((): TraceResult | undefined => traceNodes());
  } catch (e) {
    // Names that collide (a field called like a weight or `step`) end up here.
    return { ok: false, diagnostics: [error('E_TRACE', `The network could not be traced: ${e instanceof Error ? e.message : String(e)}.`, { networkId: network.id })] };
  }
  if (result) return result;
  return {
    ok: true,
    traced: {
      graph: tracer.graph,
      fields: [...fields].map(([name, f]) => ({ name, shape: f.shape, dtype: f.dtype, nodeIds: f.nodeIds })),
      params,
      state,
      loss: losses.length > 0 ? LOSS_OUTPUT : undefined,
      predictions,
      shapes,
      analysis,
    },
  };

  function traceNodes(): TraceResult | undefined {
    for (const id of analysis.order) {
      const info = analysis.nodes[id];
      const layer = layerByType.get(info.type);
      if (!layer) return fail(id, 'has an unknown layer type.');
      if (layer.role === 'loss' && !withLosses) continue;
      const inputs: Record<string, Tensor> = {};
      for (const e of network.edges) {
        if (e.target.node !== id) continue;
        const t = values.get(e.source.node)?.[e.source.port];
        if (t) inputs[e.target.port] = t;
      }
      for (const [port, f] of Object.entries(info.fields)) {
        const shape = concreteShape(f.shape, b);
        const known = fields.get(f.field);
        if (known && (known.dtype !== f.dtype || known.shape.join() !== shape.join())) {
          return fail(id, `reads dataset field "${f.field}" as ${f.dtype} [${shape.join(', ')}], but another node reads it as ${known.dtype} [${known.shape.join(', ')}].`);
        }
        const entry = known ?? { shape, dtype: f.dtype, tensor: tracer.input(f.field, shape, f.dtype), nodeIds: [] };
        entry.nodeIds.push(id);
        fields.set(f.field, entry);
        inputs[port] = entry.tensor;
      }
      const weights: Record<string, Tensor> = {};
      for (const [name, w] of Object.entries(info.weights)) weights[name] = variable('param', id, name, w.shape, w.init);
      const stateVars = new Map<string, Tensor>();
      let draws = 0;
      const ctx: ForwardContext = {
        training: options.training,
        batchGroups,
        // Streams named by node (and draw number): adding a node elsewhere never shifts this node's masks.
        random: (dist, shape) => random(dist, shape, streamId(id, 'random', String(draws++))),
        state: (name) => {
          const spec = info.state[name];
          if (!spec) throw new Error(`no state "${name}"`);
          const existing = stateVars.get(name);
          if (existing) return existing;
          const t = variable('state', id, name, spec.shape, spec.init);
          stateVars.set(name, t);
          return t;
        },
        setState: (name, value) => {
          if (options.training) tracer.update(`${id}.${name}`, value);
        },
      };
      let out: Readonly<Record<string, Tensor>>;
      try {
        out = layer.forward(inputs, weights, info.params, ctx);
      } catch (e) {
        return fail(id, `could not be traced: ${e instanceof Error ? e.message : String(e)}.`);
      }
      values.set(id, out);
      shapes[id] = Object.fromEntries(Object.entries(out).map(([port, t]) => [port, [...t.shape]]));
      if (layer.role === 'output') {
        const name = String(info.params.name);
        tracer.output(name, inputs.in);
        predictions.push(name);
      }
      if (layer.role === 'loss') {
        losses.push(out.out);
        if (options.predictions) {
          tracer.output(`${id}.prediction`, inputs.in);
          predictions.push(`${id}.prediction`);
        }
      }
    }
    if (losses.length > 0) tracer.output(LOSS_OUTPUT, losses.slice(1).reduce((sum, l) => sum.add(l), losses[0]));
    return undefined;
  }
}
