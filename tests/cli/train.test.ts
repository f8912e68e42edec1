/** @file `brrr train` as a person and a script use it: progress, JSON events, exit codes, clean pipes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const brrr = (args: string[], input?: string) => spawnSync(process.execPath, [join(root, 'bin', 'brrr.js'), ...args], { cwd: root, encoding: 'utf8', input, timeout: 120_000 });

describe('brrr train', () => {
  let project = '';
  beforeAll(() => {
    project = join(mkdtempSync(join(tmpdir(), 'brrr-train-')), 'neuron');
    expect(brrr(['new', 'neuron', project]).status).toBe(0);
  });

  it('trains the neuron template and prints epochs and a summary', () => {
    const r = brrr(['train', project, '--epochs', '3', '--backend', 'cpu']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Training "neuron" on cpu/);
    expect(r.stdout).toMatch(/epoch 3\/3 .* train: loss [\d.]+ {2}accuracy/);
    expect(r.stdout).toMatch(/Done after 30 steps/);
  });

  it('emits one JSON event per line with --json, the last one done with final metrics, and logs them', () => {
    const r = brrr(['train', project, '--epochs', '2', '--json', '--seed', '4']);
    expect(r.status).toBe(0);
    const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; status?: string; metrics?: Record<string, number> });
    expect(events[0].type).toBe('start');
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    expect(done.status).toBe('completed');
    expect(done.metrics?.test_accuracy).toBeGreaterThan(0.9);
    const runs = readdirSync(join(project, 'runs'));
    expect(runs.length).toBeGreaterThan(0);
    const logged = readFileSync(join(project, 'runs', runs.sort().at(-1)!, 'events.jsonl'), 'utf8');
    expect(logged).toMatch(/"type":"done"/);
  });

  it('stops quietly when the reader of its output goes away (no EPIPE stack)', () => {
    const r = spawnSync('sh', ['-c', `node bin/brrr.js train "${project}" --json --epochs 50 | head -1`], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toMatch(/^\{"type":"start"/);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.mjs/);
  });

  it('says which backend runs and why: auto takes the CPU when the only WebGPU adapter is software', () => {
    const auto = brrr(['train', project, '--epochs', '1']);
    expect(auto.status).toBe(0);
    expect(auto.stdout).toMatch(/Training "neuron" on cpu \(float32, WebAssembly SIMD on \d+ threads?; auto: /);
    // Dawn and the drivers print while probing for adapters: that must stay out of the terminal.
    expect(auto.stderr).toBe('');
    const gpu = brrr(['train', project, '--epochs', '1', '--backend', 'webgpu', '--json']);
    expect(gpu.status).toBe(0);
    const start = JSON.parse(gpu.stdout.split('\n')[0]) as { backend: { kind: string; reason: string } };
    expect(start.backend.kind).toBe('webgpu');
    expect(start.backend.reason).toMatch(/--backend webgpu/);
  });

  it('fine-tunes from exported weights (--weights), and names every mismatch when they do not fit', () => {
    expect(brrr(['train', project, '--epochs', '5', '--seed', '2']).status).toBe(0);
    const weights = join(project, 'trained.safetensors');
    expect(brrr(['export', project, '--format', 'safetensors', '--out', weights]).status).toBe(0);
    const firstLoss = (args: string[]) => {
      const r = brrr(['train', project, '--epochs', '1', '--json', ...args]);
      expect(r.status, r.stderr).toBe(0);
      const step = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; loss?: number }).find((e) => e.type === 'step');
      return step!.loss!;
    };
    // Started from trained weights, the very first step is already far better than from scratch.
    expect(firstLoss(['--weights', weights])).toBeLessThan(firstLoss([]) / 2);

    const wider = join(mkdtempSync(join(tmpdir(), 'brrr-wider-')), 'neuron');
    expect(brrr(['new', 'neuron', wider]).status).toBe(0);
    const file = join(wider, 'project.brrr.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { networks: { nodes: { id: string; params: Record<string, unknown> }[] }[] };
    doc.networks[0].nodes.find((n) => n.id === 'x')!.params.shape = [3];
    writeFileSync(file, JSON.stringify(doc));
    const refused = brrr(['train', wider, '--weights', weights]);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/neuron\.kernel: the file has \[2, 1\], the network needs \[3, 1\]/);
  });
});
