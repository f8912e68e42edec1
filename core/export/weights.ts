/**
 * @file A model's weights as a safetensors file: one tensor per parameter and layer state,
 * named `${nodeId}.${weightName}` (the names tracing gives them: `dense1.kernel`,
 * `bn.runningMean`), float32, in our layouts (Dense kernel [in, out]; convolutions and recurrent
 * weights as PyTorch). Metadata says which project, run and step they come from. Importing checks
 * every name and shape against the network and says exactly what does not match.
 */
import { traceNetwork } from '../model/trace';
import type { Network } from '../project/schema';
import { emaName } from '../train/ema';
import { ExportError } from './errors';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

export type WeightData = Float32Array | Float64Array | Int32Array;

/** Tensors by full name, `${nodeId}.${weight}`. */
export type ModelWeights = Readonly<Record<string, { readonly shape: readonly number[]; readonly data: WeightData }>>;

/** What the metadata of an exported weights file records (all strings in the file). */
export interface WeightsProvenance {
  project: string;
  network: string;
  engineVersion: string;
  run?: string;
  checkpoint?: string;
  step?: number;
  metrics?: Readonly<Record<string, number>>;
}

export const WEIGHTS_FORMAT = 'brrr-weights';

/** The tensors the network needs: its parameters and its layer state (BatchNorm statistics), with shapes. */
export function expectedWeights(network: Network): { name: string; shape: readonly number[]; kind: 'param' | 'state' }[] {
  const traced = traceNetwork(network, { training: false, batchSize: 1, losses: false });
  if (!traced.ok) throw new ExportError(`Network "${network.name}" cannot be traced: ${traced.diagnostics.map((d) => d.message).join(' ')}`);
  return [
    ...traced.traced.params.map((p) => ({ name: p.name, shape: p.shape, kind: 'param' as const })),
    ...traced.traced.state.map((s) => ({ name: s.name, shape: s.shape, kind: 'state' as const })),
  ];
}

/** Only the model's own tensors (optimizer slots and other checkpoint extras are dropped), as float32; a generator's moving average (`ema/<name>`) where the run kept one. */
export function modelWeightsOf(network: Network, variables: ModelWeights): ModelWeights {
  const out: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const { name } of expectedWeights(network)) {
    const v = variables[emaName(name)] ?? variables[name];
    if (v) out[name] = { shape: [...v.shape], data: v.data instanceof Float32Array ? v.data : Float32Array.from(v.data) };
  }
  return out;
}

export function encodeWeights(weights: ModelWeights, provenance: WeightsProvenance): Uint8Array {
  const metadata: Record<string, string> = {
    format: WEIGHTS_FORMAT,
    'brrr.project': provenance.project,
    'brrr.network': provenance.network,
    'brrr.engine': provenance.engineVersion,
    'brrr.layout': 'Dense kernels [in, out]; Conv2D [out, in/groups, kh, kw]; ConvTranspose2D [in, out/groups, kh, kw]; LSTM/GRU gates in PyTorch order',
  };
  if (provenance.run !== undefined) metadata['brrr.run'] = provenance.run;
  if (provenance.checkpoint !== undefined) metadata['brrr.checkpoint'] = provenance.checkpoint;
  if (provenance.step !== undefined) metadata['brrr.step'] = String(provenance.step);
  if (provenance.metrics !== undefined) metadata['brrr.metrics'] = JSON.stringify(provenance.metrics);
  const tensors: Record<string, { shape: readonly number[]; data: Float32Array | Int32Array }> = {};
  for (const [name, t] of Object.entries(weights)) tensors[name] = { shape: t.shape, data: t.data instanceof Float64Array ? Float32Array.from(t.data) : t.data };
  return encodeSafetensors(tensors, metadata);
}

const fmt = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/**
 * The mismatches between a weights file and the network, one line each:
 *   `dense.kernel: the file has [784, 64], the network needs [784, 128]`
 *   `missing from the file: dense2.bias`   `not in the network: old.kernel`
 */
export function compareWeights(network: Network, weights: Readonly<Record<string, { readonly shape: readonly number[] }>>): string[] {
  const expected = expectedWeights(network);
  const problems: string[] = [];
  for (const e of expected) {
    const got = weights[e.name];
    if (got && fmt(got.shape) !== fmt(e.shape)) problems.push(`${e.name}: the file has ${fmt(got.shape)}, the network needs ${fmt(e.shape)}`);
  }
  const missing = expected.filter((e) => !weights[e.name]).map((e) => e.name);
  if (missing.length > 0) problems.push(`missing from the file: ${missing.join(', ')}`);
  const names = new Set(expected.map((e) => e.name));
  const unexpected = Object.keys(weights).filter((n) => !names.has(n));
  if (unexpected.length > 0) problems.push(`not in the network: ${unexpected.join(', ')}`);
  return problems;
}

/** Reads a weights file for `network` (ours, or any safetensors with the same names): every name and shape must match. */
export function importWeights(network: Network, bytes: Uint8Array, fileName: string): { weights: ModelWeights; metadata: Record<string, string> } {
  const file = decodeSafetensors(bytes, fileName);
  const problems = compareWeights(network, file.tensors);
  if (problems.length > 0) throw new ExportError(`${fileName} does not fit network "${network.name}": ${problems.join('; ')}.`);
  const weights: Record<string, { shape: readonly number[]; data: WeightData }> = {};
  for (const [name, t] of Object.entries(file.tensors)) {
    const data = t.data instanceof Float32Array || t.data instanceof Float64Array || t.data instanceof Int32Array ? t.data : Float32Array.from(t.data);
    weights[name] = { shape: t.shape, data };
  }
  return { weights, metadata: file.metadata };
}
