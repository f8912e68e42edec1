/**
 * @file Weights export → import through a project: names `${nodeId}.${weight}`, float32, the
 * provenance in the metadata, and exact messages when the file does not fit the network.
 */
import { describe, expect, test } from 'vitest';
import { decodeSafetensors } from '../../core/export/safetensors';
import { compareWeights, encodeWeights, expectedWeights, importWeights, modelWeightsOf } from '../../core/export/weights';
import type { Network } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { randomWeights } from './support';

const project = findTemplate('mnist-mlp')!.build('Digits');
const network = project.networks[0];
const provenance = { project: 'Digits', network: network.id, engineVersion: '0.1.0', run: 'run-1', checkpoint: 'best', step: 1200, metrics: { accuracy: 0.97 } };

const withUnits = (net: Network, id: string, units: number): Network => ({ ...net, nodes: net.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, units } } : n)) });

describe('safetensors export → import through a project', () => {
  test('names, shapes, values and provenance survive the round trip', () => {
    const weights = randomWeights(network, 3);
    const bytes = encodeWeights(weights, provenance);
    const file = decodeSafetensors(bytes, 'w.safetensors');
    expect(Object.keys(file.tensors).sort()).toEqual(expectedWeights(network).map((w) => w.name).sort());
    expect(file.metadata).toMatchObject({ format: 'brrr-weights', 'brrr.run': 'run-1', 'brrr.checkpoint': 'best', 'brrr.step': '1200', 'brrr.engine': '0.1.0' });
    expect(JSON.parse(file.metadata['brrr.metrics'])).toEqual({ accuracy: 0.97 });
    const back = importWeights(network, bytes, 'w.safetensors');
    for (const [name, w] of Object.entries(weights)) {
      expect(back.weights[name].shape).toEqual(w.shape);
      expect(Array.from(back.weights[name].data)).toEqual(Array.from(w.data));
    }
  });

  test('a checkpoint keeps only the model tensors (optimizer slots dropped)', () => {
    const weights = randomWeights(network, 3);
    const name = Object.keys(weights)[0];
    const withSlots = { ...weights, [`opt/${name}/m`]: weights[name] };
    expect(Object.keys(modelWeightsOf(network, withSlots)).sort()).toEqual(Object.keys(weights).sort());
  });

  test('a shape mismatch is named with both shapes', () => {
    const dense = network.nodes.find((n) => n.type === 'Dense')!;
    const units = Number(dense.params.units);
    const bytes = encodeWeights(randomWeights(network, 3), provenance);
    const wider = withUnits(network, dense.id, 2 * units);
    const problems = compareWeights(wider, decodeSafetensors(bytes).tensors);
    const kernelIn = expectedWeights(network).find((w) => w.name === `${dense.id}.kernel`)!.shape[0];
    expect(problems).toContain(`${dense.id}.kernel: the file has [${kernelIn}, ${units}], the network needs [${kernelIn}, ${2 * units}]`);
    expect(problems).toContain(`${dense.id}.bias: the file has [${units}], the network needs [${2 * units}]`);
    expect(() => importWeights(wider, bytes, 'w.safetensors')).toThrow(`w.safetensors does not fit network "${network.name}": ${dense.id}.kernel: the file has [${kernelIn}, ${units}], the network needs [${kernelIn}, ${2 * units}]`);
  });

  test('missing and unexpected names are listed', () => {
    const weights = { ...randomWeights(network, 3) };
    const [first] = Object.keys(weights).sort();
    delete weights[first];
    const extra = { ...weights, 'old.kernel': { shape: [2, 2], data: new Float32Array(4) } };
    expect(compareWeights(network, extra)).toEqual([`missing from the file: ${first}`, 'not in the network: old.kernel']);
  });
});
