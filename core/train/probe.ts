/**
 * @file Diagnostic forward passes: the network with an Output node on every layer output (the
 * document is data, so probing is a copy with more nodes), compiled once in evaluation mode with
 * the training plan's variables shared. Used to name the first node whose output is not finite
 * and to measure the fraction of zero ReLU outputs.
 */
import type { Backend, Executable, HostArray } from '../backends/backend';
import { compile } from '../compile';
import { layerByType } from '../layers';
import { traceNetwork } from '../model/trace';
import type { Network } from '../project/schema';

const PREFIX = 'probe:';

export interface Probe {
  /** Node outputs in graph order: `nodeId` and its values for one batch. */
  run(inputs: Readonly<Record<string, ArrayLike<number>>>): Promise<{ nodeId: string; port: string; type: string; values: HostArray }[]>;
}

/** Compiles the probe for `batchSize` rows, or returns undefined when the network cannot be probed. */
export function compileProbe(network: Network, backend: Backend, batchSize: number, seed: number, shareVariablesWith: Executable): Probe | undefined {
  const probes: { nodeId: string; port: string; type: string; name: string }[] = [];
  const nodes = [...network.nodes];
  const edges = [...network.edges];
  for (const node of network.nodes) {
    const layer = layerByType.get(node.type);
    if (!layer || layer.role === 'loss' || layer.role === 'output' || layer.role === 'input') continue;
    for (const port of layer.ports(node.params).out) {
      const id = `${PREFIX}${node.id}.${port}`;
      probes.push({ nodeId: node.id, port, type: node.type, name: id });
      nodes.push({ id, type: 'Output', params: { name: id }, position: { x: 0, y: 0 } });
      edges.push({ id: `${id}.edge`, source: { node: node.id, port }, target: { node: id, port: 'in' } });
    }
  }
  const traced = traceNetwork({ ...network, nodes, edges }, { training: false, batchSize, losses: false });
  if (!traced.ok) return undefined;
  const executable = backend.prepare(compile(traced.traced.graph), { seed, shareVariablesWith });
  const order = new Map(traced.traced.analysis.order.map((id, i) => [id, i]));
  const fields = new Set(traced.traced.fields.map((f) => f.name));
  return {
    async run(inputs) {
      const feed: Record<string, ArrayLike<number>> = {};
      for (const [k, v] of Object.entries(inputs)) if (fields.has(k)) feed[k] = v;
      const out = await executable.run(feed);
      return probes.filter((p) => out[p.name] !== undefined).map((p) => ({ nodeId: p.nodeId, port: p.port, type: p.type, values: out[p.name] })).sort((a, b) => order.get(a.nodeId)! - order.get(b.nodeId)!);
    },
  };
}

/** The first node (in topological order) with a NaN or infinite output. */
export function firstNonFinite(outputs: readonly { nodeId: string; values: HostArray }[]): { nodeId: string; index: number } | undefined {
  for (const o of outputs) {
    for (let i = 0; i < o.values.length; i++) if (!Number.isFinite(o.values[i])) return { nodeId: o.nodeId, index: i };
  }
  return undefined;
}

/** Fraction of exact zeros in each ReLU's output. */
export function reluZeroFractions(outputs: readonly { nodeId: string; type: string; values: HostArray }[]): Record<string, number> {
  const fractions: Record<string, number> = {};
  for (const o of outputs) {
    if (o.type !== 'ReLU' || o.values.length === 0) continue;
    let zeros = 0;
    for (let i = 0; i < o.values.length; i++) if (o.values[i] === 0) zeros++;
    fractions[o.nodeId] = zeros / o.values.length;
  }
  return fractions;
}
