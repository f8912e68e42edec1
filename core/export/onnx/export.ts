/**
 * @file A trained network as an ONNX model (opset 17): the nodes that feed the predictions
 * (Output nodes, or each loss's prediction input: see inference.ts), losses left out, Dropout
 * as Identity, BatchNorm on its running statistics. The batch axis is the symbolic `batch`.
 * Layers that cannot be expressed are all named before anything is written.
 */
import type { LayerType } from '../../layers';
import { validateNetwork } from '../../model/analyze';
import { hasErrors } from '../../model/diagnostics';
import { nodeName } from '../../model/structure';
import type { Network } from '../../project/schema';
import { ExportError } from '../errors';
import { inferenceNetwork } from '../inference';
import type { ModelWeights } from '../weights';
import { onnxRules, type EmitContext } from './layers';
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT32, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './model';

export interface OnnxExportOptions {
  /** Written into the model's metadata_props (run, step, metrics, engine version). */
  metadata?: Readonly<Record<string, string>>;
  producerVersion?: string;
}

/** A graph output: the value feeding an Output node, under its name. */
interface Prediction {
  name: string;
  node: string;
  port: string;
}

function predictionsOf(network: Network): Prediction[] {
  const found: Prediction[] = [];
  for (const n of network.nodes.filter((m) => m.type === 'Output')) {
    const src = network.edges.find((e) => e.target.node === n.id && e.target.port === 'in')?.source;
    if (src) found.push({ name: String(n.params.name ?? 'prediction'), ...src });
  }
  return found;
}

/** Node ids the predictions depend on. */
function neededNodes(network: Network, predictions: readonly Prediction[]): Set<string> {
  const needed = new Set<string>();
  const stack = predictions.map((p) => p.node);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (needed.has(id)) continue;
    needed.add(id);
    for (const e of network.edges) if (e.target.node === id) stack.push(e.source.node);
  }
  return needed;
}

/** The node ids (with their layer type and why) that ONNX cannot express, among `ids`. */
export function unexportableNodes(network: Network, ids: Iterable<string>): string[] {
  const problems: string[] = [];
  for (const id of ids) {
    const node = network.nodes.find((n) => n.id === id);
    if (!node) continue;
    const rule = (onnxRules as Readonly<Record<string, (typeof onnxRules)[LayerType] | undefined>>)[node.type];
    if (!rule) problems.push(`${nodeName(node)} (unknown layer type ${node.type})`);
    else if ('unsupported' in rule) problems.push(`${nodeName(node)} (${node.type}: ${rule.unsupported})`);
  }
  return problems;
}

const dimsOf = (shape: readonly (number | string)[]): (number | string)[] => shape.map((d) => (d === 'B' ? 'batch' : d));

export function exportOnnx(drawn: Network, weights: ModelWeights, options: OnnxExportOptions = {}): Uint8Array {
  const network = inferenceNetwork(drawn);
  const analysis = validateNetwork(network);
  if (hasErrors(analysis.diagnostics)) {
    const first = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    throw new ExportError(`Network "${network.name}" has errors to fix before export: ${first.slice(0, 3).join(' ')}`);
  }
  const predictions = predictionsOf(network);
  if (predictions.length === 0) throw new ExportError(`Network "${network.name}" has no Output node and no loss, so there is no prediction to export.`);
  const needed = neededNodes(network, predictions);
  const blocked = unexportableNodes(network, needed);
  if (blocked.length > 0) throw new ExportError(`ONNX cannot express ${blocked.length === 1 ? 'this layer' : 'these layers'}: ${blocked.join('; ')}.`);

  const nodes: OnnxNode[] = [];
  const initializers = new Map<string, OnnxTensor>();
  const inputs: OnnxValueInfo[] = [];
  const values = new Map<string, string>(); // `${node}:${port}` → ONNX value
  const byId = new Map(network.nodes.map((n) => [n.id, n]));

  for (const id of analysis.order) {
    if (!needed.has(id)) continue;
    const info = analysis.nodes[id];
    const rule = onnxRules[info.type as LayerType];
    if (info.type === 'Input') {
      const field = String(info.params.field);
      const out = info.outputs.out;
      if (!inputs.some((i) => i.name === field)) inputs.push({ name: field, type: out.dtype === 'i32' ? ONNX_INT32 : ONNX_FLOAT, dims: dimsOf(out.shape) });
      values.set(`${id}:out`, field);
      continue;
    }
    if (!('emit' in rule)) continue;
    let counter = 0;
    const source = (port: string): string => {
      const edge = network.edges.find((e) => e.target.node === id && e.target.port === port);
      const value = edge && values.get(`${edge.source.node}:${edge.source.port}`);
      if (!value) throw new ExportError(`${nodeName(byId.get(id) ?? { id, type: info.type })}: input "${port}" is not connected.`);
      return value;
    };
    const stored = (name: string): { shape: readonly number[]; data: ArrayLike<number> } => {
      const w = weights[`${id}.${name}`];
      if (!w) throw new ExportError(`The weights have no tensor "${id}.${name}" for ${nodeName(byId.get(id) ?? { id, type: info.type })}.`);
      return w;
    };
    const ctx: EmitContext = {
      nodeId: id,
      params: info.params,
      shape: (port) => info.inputs[port].shape,
      input: source,
      numberedInputs: () => Object.keys(info.inputs).filter((p) => /^in\d+$/.test(p)).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))).map(source),
      hasWeight: (name) => name in info.weights || name in info.state,
      weight: (name) => {
        const full = `${id}.${name}`;
        if (!initializers.has(full)) {
          const w = stored(name);
          initializers.set(full, { name: full, dims: w.shape, type: ONNX_FLOAT, values: w.data });
        }
        return full;
      },
      weightValues: (name) => {
        const w = stored(name);
        return { shape: w.shape, values: w.data };
      },
      constant: (suffix, dims, data, type = ONNX_FLOAT) => {
        let name = `${id}.${suffix}`;
        for (let k = 2; initializers.has(name); k++) name = `${id}.${suffix}_${k}`;
        initializers.set(name, { name, dims, type, values: data });
        return name;
      },
      op: (opType, opInputs, attributes, outputs = 1) => {
        const k = counter++;
        const names = Array.from({ length: outputs }, (_, j) => `${id}/${opType}_${k}${outputs > 1 ? `:${j}` : ''}`);
        nodes.push({ opType, name: `${id}/${opType}_${k}`, inputs: opInputs, outputs: names, attributes });
        return names;
      },
    };
    const out = rule.emit(ctx);
    for (const [port, value] of Object.entries(out)) values.set(`${id}:${port}`, value);
  }

  const outputs: OnnxValueInfo[] = predictions.map((p) => {
    const port = analysis.nodes[p.node].outputs[p.port];
    const value = values.get(`${p.node}:${p.port}`);
    if (!value) throw new ExportError(`The prediction "${p.name}" could not be traced back to its inputs.`);
    nodes.push({ opType: 'Identity', name: `output/${p.name}`, inputs: [value], outputs: [p.name] });
    return { name: p.name, type: port.dtype === 'i32' ? ONNX_INT32 : ONNX_FLOAT, dims: dimsOf(port.shape) };
  });

  return encodeOnnxModel({
    graph: { name: network.name, nodes, initializers: [...initializers.values()], inputs, outputs },
    producerVersion: options.producerVersion ?? '0',
    metadata: options.metadata ?? {},
  });
}
