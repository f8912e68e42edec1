/**
 * @file Our layers against PyTorch 1.13 reference values (tests/fixtures/torch-layers, written by
 * make_layer_fixtures.py): weights loaded into our layouts, float64 on the CPU backend, 1e-5.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { compile } from '../../core/compile';
import { layerByType } from '../../core/layers';
import { traceLayer } from '../../core/model';

interface Data {
  shape: number[];
  data: number[];
  dtype?: 'f32' | 'i32';
}
interface Fixture {
  name: string;
  layer: string;
  params: Record<string, unknown>;
  training: boolean;
  inputs: Record<string, Data>;
  weights: Record<string, Data>;
  state: Record<string, Data>;
  outputs: Record<string, Data>;
  stateAfter: Record<string, Data>;
}

const file = join(__dirname, '../fixtures/torch-layers/layers.json');
const { fixtures } = JSON.parse(readFileSync(file, 'utf8')) as { fixtures: Fixture[] };

function close(actual: ArrayLike<number>, expected: Data, what: string): void {
  expect(actual.length, what).toBe(expected.data.length);
  let worst = 0;
  for (let i = 0; i < expected.data.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected.data[i]));
  expect(worst, `${what}: largest difference`).toBeLessThan(1e-5);
}

describe('PyTorch reference values', () => {
  test('fixtures cover BatchNorm, LSTM, GRU, attention and every loss', () => {
    const covered = new Set(fixtures.map((f) => f.layer));
    for (const type of ['BatchNorm', 'LSTM', 'GRU', 'MultiHeadAttention', 'MSELoss', 'MAELoss', 'HuberLoss', 'CrossEntropyLoss', 'BCEWithLogitsLoss']) {
      expect(covered.has(type), type).toBe(true);
    }
  });

  test.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const layer = layerByType.get(f.layer);
    if (!layer) throw new Error(`unknown layer ${f.layer}`);
    const connected = Object.fromEntries(Object.entries(f.inputs).map(([port, d]) => [port, { shape: d.shape, dtype: d.dtype ?? 'f32' }]));
    const r = traceLayer(layer, f.params, connected, { training: f.training });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(Object.keys(r.trace.params).sort()).toEqual(Object.keys(f.weights).sort());
    const exe = createBackend('cpu', { mode: 'f64' }).prepare(compile(r.trace.graph));
    for (const [name, w] of Object.entries(f.weights)) {
      expect(r.trace.params[name].shape, name).toEqual(w.shape);
      exe.writeVariable(name, w.data);
    }
    for (const [name, s] of Object.entries(f.state)) exe.writeVariable(name, s.data);
    const feed: Record<string, number[]> = Object.fromEntries(Object.entries(f.inputs).map(([k, d]) => [k, d.data]));
    if (r.trace.graph.inputs.some((i) => i.name === 'step')) feed.step = [0];
    const out = await exe.run(feed);
    for (const [port, expected] of Object.entries(f.outputs)) close(out[port], expected, port);
    for (const [name, expected] of Object.entries(f.stateAfter)) close(await exe.readVariable(name), expected, name);
  });
});
