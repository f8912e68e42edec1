/**
 * @file PyTorch export against the engine, when `/usr/bin/python3` has torch (CI installs
 * python3-torch; elsewhere the suite prints why it is skipped). Every exported layer case and
 * template: model.py loads the exported weights and its eval forward matches the engine's float64
 * forward within 1e-4 (one Python process for all cases). The training script (supervised, and
 * the adversarial one of mnist-gan) runs 3 steps on the CPU, in one process and under
 * `torchrun --nproc_per_node=2` (gloo), and the weights it writes import back into the project.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { inferenceNetwork } from '../../core/export/inference';
import { encodeNpy } from '../../core/data';
import { exportPytorch } from '../../core/export/pytorch';
import { encodeWeights, expectedWeights, importWeights } from '../../core/export/weights';
import { layers, type LayerType } from '../../core/layers';
import type { Network, Project } from '../../core/project';
import { findTemplate, templateInfos } from '../../core/templates';
import { chainNetwork } from '../../core/templates/chain';
import { createBackend } from '../../core/backends';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../../core/train/program';
import { layerCases } from '../layers/cases';
import { engineForward, expectClose, layerNetwork, randomInput, randomWeights, rng } from './support';

const PYTHON = '/usr/bin/python3';
const TORCHRUN = '/usr/bin/torchrun';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.log(`tests/export/pytorch.test.ts: skipped, ${PYTHON} cannot import torch and numpy (CI installs python3-torch).`);

const BATCH = 3;
const LOSSES: readonly LayerType[] = ['MSELoss', 'MAELoss', 'HuberLoss', 'CrossEntropyLoss', 'BCEWithLogitsLoss'];
const root = mkdtempSync(join(tmpdir(), 'brrr-torch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const projectOf = (network: Network, base: Project): Project => ({ ...base, networks: [network], training: { ...base.training, networks: { model: network.id } } });
const base = findTemplate('mnist-mlp')!.build('Digits');

interface Case {
  label: string;
  network: Network;
  seed: number;
}

const cases: Case[] = [
  ...layers
    .filter((l) => !LOSSES.includes(l.type))
    .flatMap((l) => layerCases[l.type].map((c, i) => ({ label: `${l.type}${c.name ? ` (${c.name})` : i ? ` #${i + 1}` : ''}`, network: layerNetwork(l.type, c), seed: 20 + i + l.type.length }))),
  ...templateInfos()
    .filter((t) => t.available)
    .flatMap((t) => findTemplate(t.name)!.build(t.name).networks.map((network) => ({ label: `template ${t.name}`, network, seed: 5 }))),
];

/** Writes each case's folder (model.py, weights, inputs), runs them all in one Python process, returns outputs by case. */
function runAllInTorch(): { expected: Promise<Record<string, Float64Array>>[]; got: Record<string, number[]>[] } {
  const expected: Promise<Record<string, Float64Array>>[] = [];
  cases.forEach((c, k) => {
    const dir = join(root, `case${k}`);
    mkdirSync(dir, { recursive: true });
    const weights = randomWeights(c.network, c.seed);
    const exported = exportPytorch(projectOf(c.network, base), 'test');
    writeFileSync(join(dir, 'model.py'), exported.files['model.py']);
    writeFileSync(join(dir, 'weights.safetensors'), encodeWeights(weights, { project: 'test', network: c.network.id, engineVersion: 'test' }));
    const r = rng(c.seed + 1);
    const inputs: Record<string, Float32Array | Int32Array> = {};
    const vocabulary = Math.min(...c.network.nodes.filter((n) => n.type === 'Embedding').map((n) => Number(n.params.vocabulary)), 1000);
    for (const node of inferenceNetwork(c.network).nodes.filter((n) => n.type === 'Input')) {
      const shape = [BATCH, ...(node.params.shape as number[])];
      const i32 = node.params.dtype === 'i32';
      const data = randomInput(shape, i32 ? 'i32' : 'f32', i32 ? { int: vocabulary } : 'normal', r);
      inputs[String(node.params.field)] = data;
      writeFileSync(join(dir, `input_${exported.plan.inputs.findIndex((f) => f.name === node.params.field)}.npy`), encodeNpy(data, shape));
    }
    writeFileSync(join(dir, 'class.txt'), exported.plan.className);
    expected.push(engineForward(c.network, weights, BATCH, inputs));
  });
  const driver = `
import importlib.util, json, os, sys
import numpy as np, torch
torch.manual_seed(0)
results = []
for k in range(${cases.length}):
    d = os.path.join(${JSON.stringify(root)}, f"case{k}")
    spec = importlib.util.spec_from_file_location(f"model{k}", os.path.join(d, "model.py"))
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    model = getattr(m, open(os.path.join(d, "class.txt")).read())()
    m.load_brrr_weights(model, os.path.join(d, "weights.safetensors"))
    model.eval()
    args = []
    for i in range(len(m.INPUTS)):
        a = torch.from_numpy(np.load(os.path.join(d, f"input_{i}.npy")))
        args.append(a.long() if list(m.INPUTS.values())[i]["dtype"] == "int64" else a.float())
    with torch.no_grad():
        out = model(*args)
    out = out if isinstance(out, dict) else {m.OUTPUTS[0]: out}
    results.append({k2: v.double().flatten().tolist() for k2, v in out.items()})
print(json.dumps(results))
`;
  const stdout = execFileSync(PYTHON, ['-c', driver], { encoding: 'utf8', maxBuffer: 64 << 20, cwd: root });
  return { expected, got: JSON.parse(stdout) as Record<string, number[]>[] };
}

describe.skipIf(!hasTorch)('PyTorch module with the exported weights matches the engine (float64, eval) within 1e-4', () => {
  let run: ReturnType<typeof runAllInTorch> | undefined;
  const results = (): ReturnType<typeof runAllInTorch> => (run ??= runAllInTorch());
  test.each(cases.map((c, k) => ({ ...c, k })))('$label', async ({ k }) => {
    const { expected, got } = results();
    const want = await expected[k];
    expect(Object.keys(got[k]).sort()).toEqual(Object.keys(want).sort());
    for (const [name, values] of Object.entries(want)) expectClose(got[k][name], values, 1e-4, name);
  }, 120_000);
});

describe.skipIf(!hasTorch)('train.py', () => {
  const dir = join(root, 'train');
  const project = base;
  const network = project.networks[0];
  const setup = (): void => {
    if (existsSync(join(dir, 'train.py'))) return;
    mkdirSync(join(dir, 'data'), { recursive: true });
    const exported = exportPytorch(project, 'test');
    for (const [name, text] of Object.entries(exported.files)) writeFileSync(join(dir, name), text);
    const r = rng(9);
    const n = 64;
    writeFileSync(join(dir, 'data', 'train_image.npy'), encodeNpy(Float32Array.from({ length: n * 784 }, () => r()), [n, 1, 28, 28]));
    writeFileSync(join(dir, 'data', 'train_label.npy'), encodeNpy(Int32Array.from({ length: n }, () => Math.floor(r() * 10)), [n]));
    writeFileSync(join(dir, 'weights.safetensors'), encodeWeights(randomWeights(network, 1), { project: 'Digits', network: network.id, engineVersion: 'test' }));
  };

  test('runs 3 steps in one process on the CPU and writes weights that import back', () => {
    setup();
    const out = execFileSync(PYTHON, ['train.py', '--max-steps', '3', '--cpu', '--batch-size', '16', '--weights', 'weights.safetensors', '--out', 'single'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(/done: 3 steps/);
    const back = importWeights(network, readFileSync(join(dir, 'single', 'weights.safetensors')), 'weights.safetensors');
    expect(Object.keys(back.weights).sort()).toEqual(expectedWeights(network).map((w) => w.name).sort());
    expect(back.metadata['brrr.step']).toBe('3');
  }, 120_000);

  test.skipIf(!existsSync(TORCHRUN))('runs 3 steps under torchrun --nproc_per_node=2 (gloo on the CPU)', () => {
    setup();
    // --redirects/--tee 1: torchrun 1.13 on Python >= 3.11 cannot parse their default "0" (README says so too)
    const result = spawnSync(TORCHRUN, ['--nproc_per_node=2', '--redirects', '1', '--tee', '1', '--master_port=29517', 'train.py', '--max-steps', '3', '--cpu', '--batch-size', '8', '--out', 'ddp'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/done: 3 steps/);
    expect(readFileSync(join(dir, 'ddp', 'weights.safetensors')).length).toBeGreaterThan(100_000);
  }, 180_000);
});

describe.skipIf(!hasTorch)('train.py of a GAN (adversarial recipe)', () => {
  const dir = join(root, 'gan');
  const project = findTemplate('mnist-gan')!.build('gan');
  const generator = project.networks.find((n) => n.id === 'generator')!;
  const discriminator = project.networks.find((n) => n.id === 'discriminator')!;

  const setup = (): void => {
    if (existsSync(join(dir, 'train.py'))) return;
    mkdirSync(join(dir, 'data'), { recursive: true });
    const exported = exportPytorch(project, 'test');
    expect(exported.dataFields).toEqual(['image']);
    for (const [name, text] of Object.entries(exported.files)) writeFileSync(join(dir, name), text);
    const r = rng(11);
    const n = 48;
    writeFileSync(join(dir, 'data', 'train_image.npy'), encodeNpy(Float32Array.from({ length: n * 784 }, () => r()), [n, 1, 28, 28]));
    writeFileSync(join(dir, 'data', 'test_image.npy'), encodeNpy(Float32Array.from({ length: 16 * 784 }, () => r()), [16, 1, 28, 28]));
  };

  test('runs 3 steps in one process on the CPU: checkpoint, sample grid (.png, .npy) and both weights that import back', () => {
    setup();
    const out = execFileSync(PYTHON, ['train.py', '--max-steps', '3', '--cpu', '--batch-size', '8', '--out', 'single'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(/done: 3 steps/);
    expect(out).toMatch(new RegExp(`epoch 1/${project.training.epochs} {2}d_loss \\d`));
    // the validation view, as the studio's: D's mean p(real) on its training images, on test images it never saw, on generated ones
    const scores = Object.fromEntries([...out.matchAll(/(real_score|fake_score|val_real_score) (\d\.\d{4})/g)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(scores).sort()).toEqual(['fake_score', 'real_score', 'val_real_score']);
    for (const p of Object.values(scores)) expect(p).toBeGreaterThan(0), expect(p).toBeLessThan(1);
    const png = readFileSync(join(dir, 'single', 'samples_epoch1.png'));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    // 4 × 4 grid of 28 × 28 with 1-pixel borders: 117 × 117
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([117, 117]);
    expect(existsSync(join(dir, 'single', 'samples_epoch1.npy'))).toBe(true);
    expect(existsSync(join(dir, 'single', 'checkpoint.pt'))).toBe(true);
    const g = importWeights(generator, readFileSync(join(dir, 'single', 'weights.safetensors')), 'weights.safetensors');
    expect(Object.keys(g.weights).sort()).toEqual(expectedWeights(generator).map((w) => w.name).sort());
    expect(g.metadata['brrr.step']).toBe('3');
    const d = importWeights(discriminator, readFileSync(join(dir, 'single', 'discriminator.safetensors')), 'discriminator.safetensors');
    expect(Object.keys(d.weights).sort()).toEqual(expectedWeights(discriminator).map((w) => w.name).sort());
  }, 120_000);

  test('discriminator_scores is the studio\'s validation view: mean p(real) per set and r_v over logits; VALIDATION_SPLIT holds images out', () => {
    setup();
    // D's logit is the image's mean pixel: training images 2, held-out 0, generated −2 → r_v = (2 − 0) / (2 − (−2)) = 0.5
    const script = [
      'import json, torch, train',
      'class D(torch.nn.Module):',
      '    def forward(self, x, all_values=False):',
      '        return {train.LOGIT_NODE: x.flatten(1).mean(1, keepdim=True)}',
      'class G(torch.nn.Module):',
      '    def forward(self, z):',
      '        return torch.full((len(z), 1, 28, 28), -2.0)',
      's = train.discriminator_scores(D(), G(), torch.full((6, 1, 28, 28), 2.0), torch.zeros(5, 1, 28, 28), torch.zeros(6, 64), 4, torch.device("cpu"))',
      'train.VALIDATION_SPLIT = 0.25',
      'kept, held = train.held_out_split(torch.arange(8.0), ".")',
      's["split"] = [len(kept), len(held), sorted(torch.cat([kept, held]).tolist()) == list(range(8))]',
      'print(json.dumps(s))',
    ].join('\n');
    const s = JSON.parse(execFileSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8' })) as Record<string, number | unknown[]>;
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    expect(s.real_score).toBeCloseTo(sigmoid(2), 6);
    expect(s.fake_score).toBeCloseTo(sigmoid(-2), 6);
    expect(s.val_real_score).toBeCloseTo(0.5, 6);
    expect(s.val_discriminator_overfitting).toBeCloseTo(0.5, 6);
    expect(s.split).toEqual([6, 2, true]);
  }, 60_000);

  test('update_average is the studio\'s debiased EMA (core/train/ema.ts): S_t / (1 − d^t) of every float tensor of the state dict', () => {
    setup();
    // p ← 1.5 p + 1 per step stands in for the optimizer; d = 0.5 makes the bias correction matter
    const script = [
      'import copy, torch, train, model',
      'train.G_EMA = 0.5',
      'g = model.Generator()',
      'a = copy.deepcopy(g)',
      's = {k: torch.zeros_like(v) for k, v in g.state_dict().items() if v.dtype.is_floating_point}',
      'for step in range(3):',
      '    with torch.no_grad():',
      '        for k in s:',
      '            g.state_dict()[k].mul_(1.5).add_(1)',
      '            s[k] = 0.5 * s[k] + 0.5 * g.state_dict()[k]',
      '    train.update_average(a, g, step)',
      'print(max(float((a.state_dict()[k] - s[k] / (1 - 0.5 ** 3)).abs().max()) for k in s), len(s))',
    ].join('\n');
    const [error, tensors] = execFileSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8' }).trim().split(' ').map(Number);
    expect(error).toBeLessThan(1e-5);
    // Dense, 2 ConvTranspose2D (kernel, bias) and 2 BatchNorm (γ, β, running mean and variance)
    expect(tensors).toBe(14);
  }, 60_000);

  test.skipIf(!existsSync(TORCHRUN))('runs 3 steps under torchrun --nproc_per_node=2 (gloo on the CPU)', () => {
    setup();
    const result = spawnSync(TORCHRUN, ['--nproc_per_node=2', '--redirects', '1', '--tee', '1', '--master_port=29518', 'train.py', '--max-steps', '3', '--cpu', '--batch-size', '8', '--out', 'ddp'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/done: 3 steps/);
    expect(existsSync(join(dir, 'ddp', 'samples_epoch1.png'))).toBe(true);
    expect(readFileSync(join(dir, 'ddp', 'discriminator.safetensors')).length).toBeGreaterThan(10_000);
  }, 180_000);
});

test.skipIf(!hasTorch)('train.py\'s discriminator step is the studio\'s with BatchNorm in D: real and generated rows are separate batches (loss, running statistics and SGD-updated weights agree)', async () => {
  const template = findTemplate('mnist-gan')!.build('gan');
  const D = chainNetwork('discriminator', 'Discriminator', [
    ['image', 'Input', { shape: [1, 8, 8], field: 'image' }],
    ['conv', 'Conv2D', { filters: 4, kernel: [3, 3], stride: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1] }],
    ['bn', 'BatchNorm', {}],
    ['act', 'LeakyReLU', { negativeSlope: 0.2 }],
    ['flatten', 'Flatten', {}],
    ['logit', 'Dense', { units: 1 }],
    ['loss', 'BCEWithLogitsLoss', { target: 'real' }],
  ]);
  const G = chainNetwork('generator', 'Generator', [
    ['noise', 'Input', { shape: [4], field: 'noise' }],
    ['project', 'Dense', { units: 64 }],
    ['reshape', 'Reshape', { shape: [1, 8, 8] }],
    ['image', 'Output', { name: 'image' }],
  ]);
  const training = { ...template.training, optimizer: { type: 'sgd' as const, learningRate: 0.1 }, options: { realLabel: 0.9 } };
  const project: Project = { ...template, networks: [G, D], training };
  const dir = join(root, 'gan-dstep');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(exportPytorch(project, 'test').files)) writeFileSync(join(dir, name), text);
  const B = 6;
  const r = rng(5);
  // generated rows from another distribution than real ones: one mixed batch would normalise differently
  const real = Float32Array.from({ length: B * 64 }, () => r());
  const fake = Float32Array.from({ length: B * 64 }, () => 3 * r() - 2);
  writeFileSync(join(dir, 'real.npy'), encodeNpy(real, [B, 1, 8, 8]));
  writeFileSync(join(dir, 'fake.npy'), encodeNpy(fake, [B, 1, 8, 8]));
  const weights = randomWeights(D, 3);
  writeFileSync(join(dir, 'd.safetensors'), encodeWeights(weights, { project: 'test', network: D.id, engineVersion: 'test' }));

  const compiled = compileSupervised(D, training, createBackend('cpu', { mode: 'f64' }), 2 * B, 1, 2);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const plan = compiled.model.train;
  for (const [name, w] of Object.entries(weights)) plan.writeVariable(name, w.data);
  const labels = new Float32Array(2 * B).fill(0.9, 0, B);
  const ours = await plan.run({ image: [...real, ...fake], real: labels, [LR_INPUT]: [0.1], [STEP_INPUT]: [0] });

  const script = [
    'import json, numpy as np, torch, train, discriminator as dm',
    'd = dm.Discriminator()',
    'dm.load_brrr_weights(d, "d.safetensors")',
    'd.train()',
    'real, fake = (torch.from_numpy(np.load(f)) for f in ("real.npy", "fake.npy"))',
    `loss = train.discriminator_step(d, real, fake, torch.full((${B},), 0.9), torch.zeros(${B}))`,
    'with torch.no_grad():',
    '    for p in d.parameters():',
    '        p -= 0.1 * p.grad',
    'dm.save_brrr_weights(d, "stepped.safetensors")',
    'print(float(loss))',
  ].join('\n');
  const torchLoss = Number(execFileSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8' }).trim());
  expect(torchLoss).toBeCloseTo(ours.loss[0], 5);
  const stepped = importWeights(D, readFileSync(join(dir, 'stepped.safetensors')), 'stepped.safetensors').weights;
  for (const name of Object.keys(weights)) expectClose(stepped[name].data, await plan.readVariable(name), 1e-5, name);
}, 60_000);

test('a GAN export with the generator EMA and label smoothing: constants, the average after each G step, sampled and exported; bad options fall back to the defaults, said in train.py', () => {
  const project = findTemplate('mnist-gan')!.build('gan');
  const train = exportPytorch({ ...project, training: { ...project.training, options: { generatorEma: 0.999, realLabel: 0.9 } } }, 'test').files['train.py'];
  expect(train).toMatch(/^G_EMA = 0\.999$/m);
  expect(train).toMatch(/^REAL_LABEL = 0\.9$/m);
  expect(train).toMatch(/real_labels = torch\.full\(\(B,\), float\(REAL_LABEL\), device=device\)/);
  expect(train).toMatch(/g_optimizer\.step\(\)\n\s+if G_EMA > 0:\n\s+update_average\(average, generator, step\)\n\s+step \+= 1/);
  expect(train).toMatch(/samples = average\(fixed_noise/);
  expect(train).toMatch(/save_brrr_weights\(average, /);
  expect(train).toMatch(/state\["generator_average"\] = average\.state_dict\(\)/);
  const bad = exportPytorch({ ...project, training: { ...project.training, options: { generatorEma: 1.5 } } }, 'test').files['train.py'];
  expect(bad).toMatch(/^# training\.options ignored: training\.options\.generatorEma must be a decay in \[0, 1\)/m);
  expect(bad).toMatch(/^G_EMA = 0$/m);
});

test('a GAN export with a discriminator learning rate of its own: D_LR_SCALE = η_D/η, D\'s optimizer at lr · D_LR_SCALE, G\'s at lr', () => {
  const project = findTemplate('mnist-gan')!.build('gan');
  const training = { ...project.training, optimizer: { ...project.training.optimizer, learningRate: 1e-4 }, options: { discriminatorLearningRate: 4e-4 } };
  const train = exportPytorch({ ...project, training }, 'test').files['train.py'];
  expect(train).toMatch(/^D_LR_SCALE = 4 /m);
  expect(train).toMatch(/for group in g_optimizer\.param_groups:\n\s+group\["lr"\] = lr\n\s+for group in d_optimizer\.param_groups:\n\s+group\["lr"\] = lr \* D_LR_SCALE/);
  expect(exportPytorch(project, 'test').files['train.py']).toMatch(/^D_LR_SCALE = 1 /m);
});

test('a GAN export holds both modules, train.py with k discriminator steps, the non-saturating loss and the recipe\'s optimizer', () => {
  const project = findTemplate('mnist-gan')!.build('gan');
  const k3 = { ...project, training: { ...project.training, options: { discriminatorSteps: 3 } } };
  const exported = exportPytorch(k3, 'test');
  expect(Object.keys(exported.files).sort()).toEqual(['README.md', 'discriminator.py', 'model.py', 'train.py']);
  const train = exported.files['train.py'];
  expect(train).toMatch(/^D_STEPS = 3$/m);
  expect(train).toMatch(/^LEARNING_RATE = 0\.0002$/m);
  expect(train).toMatch(/^BATCH_SIZE = 32$/m);
  expect(train).toMatch(/g_optimizer = torch\.optim\.Adam\(g_params, lr=LEARNING_RATE, betas=\(0\.5, 0\.999\)/);
  expect(train).toMatch(/d_optimizer = torch\.optim\.Adam\(d_params,/);
  expect(train).toMatch(/g_loss = discriminator_loss\(d_net\(fake, all_values=True\), ones\)/);
  expect(train).toMatch(/DistributedSampler/);
  expect(exported.files['discriminator.py']).toMatch(/class Discriminator\(nn\.Module\)/);
  expect(exported.files['model.py']).toMatch(/class Generator\(nn\.Module\)/);
  expect(exported.files['README.md']).toMatch(/3 discriminator step\(s\) per generator step/);
  expect(exported.files['README.md']).toMatch(/fields: `image`\)/);
  expect(exported.files['README.md']).toMatch(/torchrun --nproc_per_node=8 train\.py/);
});
