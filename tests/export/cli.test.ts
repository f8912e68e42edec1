/**
 * @file `brrr export` and `brrr predict` as a person uses them, on the neuron template (built-in
 * blobs, trains in a second): before any run (a fresh initialisation, said so), after a run (its
 * checkpoints, run and step in the metadata), every format, predictions from a CSV and a .npy,
 * and the one-line errors: weights that do not fit, an unknown run, a bad CSV line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, test } from 'vitest';
import { encodeNpy } from '../../core/data';
import { decodeSafetensors, encodeSafetensors } from '../../core/export/safetensors';
import { ensureBuilt } from '../build/ensureBuilt';

const root = join(__dirname, '..', '..');
const brrr = (args: string[], cwd: string) => spawnSync(process.execPath, [join(root, 'bin', 'brrr.js'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });

describe('brrr export and predict', () => {
  let dir = '';
  const project = (): string => join(dir, 'neuron');
  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'brrr-export-'));
    expect(brrr(['new', 'neuron', project()], dir).status).toBe(0);
  }, 180_000);

  test('before any run: the weights of a fresh initialisation, said so, with the project beside them', () => {
    const r = brrr(['export', project(), '--format', 'safetensors', '--out', 'fresh.safetensors'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/no trained run yet: a fresh initialisation \(seed \d+\)/);
    const file = decodeSafetensors(readFileSync(join(dir, 'fresh.safetensors')));
    expect(Object.keys(file.tensors).sort()).toEqual(['neuron.bias', 'neuron.kernel']);
    expect(file.tensors['neuron.kernel'].shape).toEqual([2, 1]);
    expect(JSON.parse(readFileSync(join(dir, 'fresh.project.json'), 'utf8')).format).toBe('brrr-project');
  });

  describe('after a run', () => {
    let runId = '';
    beforeAll(() => {
      expect(brrr(['train', project(), '--epochs', '2'], dir).status).toBe(0);
      runId = readdirSync(join(project(), 'runs'))[0];
    }, 120_000);

    test('safetensors: the run, checkpoint, step and engine version in the metadata', () => {
      const r = brrr(['export', project(), '--format', 'safetensors', '--out', 'trained.safetensors', '--checkpoint', 'last'], dir);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Weights: run ${runId}, last checkpoint (step 20)`);
      const meta = decodeSafetensors(readFileSync(join(dir, 'trained.safetensors'))).metadata;
      expect(meta).toMatchObject({ format: 'brrr-weights', 'brrr.run': runId, 'brrr.checkpoint': 'last', 'brrr.step': '20', 'brrr.network': 'net' });
      expect(meta['brrr.engine']).toMatch(/^\d+\.\d+\.\d+/);
      expect(Object.keys(JSON.parse(meta['brrr.metrics']) as object).length).toBeGreaterThan(0);
    });

    test('onnx: runs in ONNX Runtime with a batch of any size', async () => {
      const r = brrr(['export', project(), '--format', 'onnx', '--out', 'neuron.onnx', '--run', runId], dir);
      expect(r.status, r.stderr).toBe(0);
      const session = await ort.InferenceSession.create(readFileSync(join(dir, 'neuron.onnx')));
      expect(session.inputNames).toEqual(['features']);
      expect(session.outputNames).toEqual(['prediction']);
      const out = await session.run({ features: new ort.Tensor('float32', new Float32Array([0, 0, 1, 1, -1, 2, 3, 0, 0, 5]), [5, 2]) });
      expect(out.prediction.dims).toEqual([5, 1]);
    });

    test('pytorch: module, script, README, weights, project and the dataset as .npy', () => {
      const r = brrr(['export', project(), '--format', 'pytorch', '--out', 'torch'], dir);
      expect(r.status, r.stderr).toBe(0);
      for (const f of ['model.py', 'train.py', 'README.md', 'weights.safetensors', 'project.brrr.json', 'data/train_features.npy', 'data/train_label.npy']) expect(existsSync(join(dir, 'torch', f)), f).toBe(true);
      expect(readFileSync(join(dir, 'torch', 'README.md'), 'utf8')).toMatch(/--nnodes=2 --node_rank=1 --nproc_per_node=8 --master_addr=/);
    });

    test('predict: probabilities from a CSV with a header, JSON rows from a .npy', () => {
      writeFileSync(join(dir, 'rows.csv'), 'a,b\n0.1,0.2\n3,3\n');
      const text = brrr(['predict', project(), '--input', 'rows.csv'], dir);
      expect(text.status, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/prediction \(binary\):\n {2}1: probability [\d.e-]+\n {2}2: probability [\d.e-]+/);
      writeFileSync(join(dir, 'rows.npy'), encodeNpy(new Float32Array([0, 0, 1, 1, 2, 2]), [3, 2]));
      const json = brrr(['predict', project(), '--input', 'rows.npy', '--json'], dir);
      const result = JSON.parse(json.stdout) as { type: string; kind: string; rows: { values: number[] }[] };
      expect(result.type).toBe('prediction');
      expect(result.kind).toBe('binary');
      expect(result.rows).toHaveLength(3);
      for (const row of result.rows) expect(row.values[0]).toBeGreaterThanOrEqual(0);
    });

    test('predict: a bad CSV line is named', () => {
      writeFileSync(join(dir, 'bad.csv'), '1,2\n1,x\n');
      const r = brrr(['predict', project(), '--input', 'bad.csv'], dir);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`brrr: ${join(dir, 'bad.csv')}, line 2: "x" is not a number.`);
    });
  });

  test('pytorch export of a GAN writes the images its discriminator reads (not the noise)', () => {
    const gan = join(dir, 'gan');
    expect(brrr(['new', 'mnist-gan', gan], dir).status).toBe(0);
    const file = join(gan, 'project.brrr.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { datasets: { options: Record<string, unknown> }[] };
    doc.datasets[0].options = { ...doc.datasets[0].options, limit: 64, testLimit: 16 };
    writeFileSync(file, JSON.stringify(doc));
    const r = brrr(['export', gan, '--format', 'pytorch', '--out', 'gan-torch'], dir);
    expect(r.status, r.stderr).toBe(0);
    const data = readdirSync(join(dir, 'gan-torch', 'data'));
    expect(data.some((f) => /image.*\.npy$/.test(f))).toBe(true);
    expect(existsSync(join(dir, 'gan-torch', 'train.py'))).toBe(true);
  });

  test('weights that do not fit are refused with every mismatch named', () => {
    writeFileSync(join(dir, 'wrong.safetensors'), encodeSafetensors({ 'neuron.kernel': { shape: [3, 1], data: new Float32Array(3) }, 'old.bias': { shape: [1], data: new Float32Array(1) } }));
    const r = brrr(['export', project(), '--format', 'onnx', '--out', 'x.onnx', '--weights', 'wrong.safetensors'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('brrr: wrong.safetensors does not fit network "Neuron": neuron.kernel: the file has [3, 1], the network needs [2, 1]; missing from the file: neuron.bias; not in the network: old.bias.');
  });

  test('predict: a PNG for an image classifier gives the top 3 classes with probabilities', async () => {
    const sharp = (await import('sharp')).default;
    const pixels = Buffer.alloc(28 * 28);
    for (let i = 0; i < 28; i++) pixels[i * 28 + 14] = 255; // a vertical stroke: a "1"
    writeFileSync(join(dir, 'digit.png'), await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer());
    expect(brrr(['new', 'mnist-mlp', join(dir, 'digits')], dir).status).toBe(0);
    const r = brrr(['predict', join(dir, 'digits'), '--input', 'digit.png'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^prediction \(classification\):\n {2}class \d [\d.]+%, class \d [\d.]+%, class \d [\d.]+%$/m);
  });

  test('an unknown run is named, with the runs there are', () => {
    const r = brrr(['export', project(), '--format', 'onnx', '--out', 'x.onnx', '--run', 'nope'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Run "nope" is not in .*runs \(runs: /);
  });
});
