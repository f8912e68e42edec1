/**
 * @file The inference view of a network and a forward pass with given weights. A network without
 * Output nodes predicts what its losses read: each loss becomes an Output (named `prediction`, or
 * `${lossId}.prediction` when there are several), its target dropped. ONNX, PyTorch and
 * `brrr predict` all use this view, so their output names agree.
 */
import type { Backend, Executable, HostArray } from '../backends/backend';
import { compile } from '../compile';
import { layerByType } from '../layers';
import { traceNetwork, type TracedField } from '../model/trace';
import type { Network } from '../project/schema';
import { ExportError } from './errors';
import type { ModelWeights } from './weights';

export function inferenceNetwork(network: Network): Network {
  if (network.nodes.some((n) => n.type === 'Output')) return network;
  const losses = new Set(network.nodes.filter((n) => layerByType.get(n.type)?.role === 'loss').map((n) => n.id));
  return {
    ...network,
    nodes: network.nodes.map((n) => (losses.has(n.id) ? { ...n, type: 'Output', params: { name: losses.size === 1 ? 'prediction' : `${n.id}.prediction` } } : n)),
    edges: network.edges.filter((e) => !(losses.has(e.target.node) && e.target.port !== 'in')),
  };
}

export interface InferenceModel {
  readonly executable: Executable;
  /** Graph inputs: the dataset fields the network reads, with the batch in their shape. */
  readonly inputs: readonly TracedField[];
  /** Prediction names (Output nodes) and their shapes (batch included). */
  readonly outputs: readonly { name: string; shape: readonly number[] }[];
  run(inputs: Readonly<Record<string, ArrayLike<number>>>): Promise<Record<string, HostArray>>;
}

/** Forward in eval mode (no dropout, running statistics) for `batchSize` examples, with `weights` written in. */
export function prepareInference(network: Network, weights: ModelWeights, backend: Backend, batchSize: number): InferenceModel {
  const view = inferenceNetwork(network);
  const traced = traceNetwork(view, { training: false, batchSize, losses: false });
  if (!traced.ok) throw new ExportError(`Network "${network.name}" cannot run: ${traced.diagnostics.map((d) => d.message).join(' ')}`);
  const { graph, params, state, fields, predictions } = traced.traced;
  if (predictions.length === 0) throw new ExportError(`Network "${network.name}" has no Output node and no loss, so it predicts nothing.`);
  const executable = backend.prepare(compile(graph), { seed: 0 });
  for (const v of [...params, ...state]) {
    const w = weights[v.name];
    if (!w) throw new ExportError(`The weights have no tensor "${v.name}".`);
    if (w.shape.join() !== v.shape.join()) throw new ExportError(`${v.name}: the weights have [${w.shape.join(', ')}], the network needs [${v.shape.join(', ')}]`);
    executable.writeVariable(v.name, w.data);
  }
  const outputs = predictions.map((name) => ({ name, shape: graph.values[graph.outputs.find((o) => o.name === name)!.value].shape }));
  return { executable, inputs: fields, outputs, run: (inputs) => executable.run(inputs) };
}

/** Fresh weights from the network's initializers (seeded like a run), for export before any training. */
export async function initialWeights(network: Network, backend: Backend, seed: number): Promise<ModelWeights> {
  const traced = traceNetwork(inferenceNetwork(network), { training: false, batchSize: 1, losses: false });
  if (!traced.ok) throw new ExportError(`Network "${network.name}" cannot be traced: ${traced.diagnostics.map((d) => d.message).join(' ')}`);
  const executable = backend.prepare(compile(traced.traced.graph), { seed });
  executable.initialize(seed);
  const out: Record<string, { shape: readonly number[]; data: HostArray }> = {};
  for (const v of [...traced.traced.params, ...traced.traced.state]) out[v.name] = { shape: v.shape, data: await executable.readVariable(v.name) };
  executable.dispose();
  return out;
}
