/** @file `brrr train --kfold K` and `--resume` (the built command line): fold results with mean ± std; Ctrl+C writes a checkpoint that --resume continues from. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot } from '../build/ensureBuilt';

const brrr = (args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'brrr.js'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
type Event = { type: string; fold?: number; folds?: number; mean?: Record<string, number>; std?: Record<string, number>; status?: string; step?: number; metrics?: Record<string, number> };
const parse = (stdout: string): Event[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);

describe('brrr train --kfold and --resume', () => {
  let project = '';
  beforeAll(async () => {
    await ensureBuilt();
    project = join(mkdtempSync(join(tmpdir(), 'brrr-cli-runs-')), 'neuron');
    expect(brrr(['new', 'neuron', project]).status).toBe(0);
  }, 120_000);

  it('runs K folds and reports each with the mean and standard deviation', () => {
    const r = brrr(['train', project, '--kfold', '3', '--epochs', '2', '--backend', 'cpu', '--json']);
    expect(r.status).toBe(0);
    const events = parse(r.stdout);
    const folds = events.filter((e) => e.type === 'kfold');
    expect(folds.map((f) => f.fold)).toEqual([1, 2, 3, 0]);
    expect(Object.keys(folds[3].mean!)).toContain('val_accuracy');
    expect(folds[3].std!.val_accuracy).toBeGreaterThanOrEqual(0);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    const text = brrr(['train', project, '--kfold', '2', '--epochs', '1', '--backend', 'cpu']);
    expect(text.stdout).toMatch(/k-fold \(2 folds\), mean ± std: .*val_loss [\d.]+ ± [\d.]+/);
  });

  it('refuses k-fold for a GAN with a message that says why, before loading any data', () => {
    const gan = join(mkdtempSync(join(tmpdir(), 'brrr-cli-gan-')), 'gan');
    expect(brrr(['new', 'mnist-gan', gan]).status).toBe(0);
    const r = brrr(['train', gan, '--kfold', '3', '--backend', 'cpu']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/k-fold cross-validation compares a supervised model's validation metrics across folds; a GAN has none/);
    expect(r.stderr).not.toMatch(/at .*\.(ts|mjs|js):\d+/);
  });

  it('says clearly when there is nothing to resume', () => {
    const r = brrr(['train', project, '--resume']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No run of this project can be resumed/);
  });

  it('stops on SIGINT with a checkpoint, and --resume finishes that run', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'brrr.js'), 'train', project, '--epochs', '30', '--backend', 'cpu', '--json'], { cwd: repoRoot });
    let out = '';
    child.stdout.setEncoding('utf8');
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('"type":"step"') && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    expect(code).toBe(130);
    const stopped = parse(out).at(-1)!;
    expect(stopped).toMatchObject({ type: 'done', status: 'stopped' });
    const r = brrr(['train', project, '--resume', '--json']);
    expect(r.status).toBe(0);
    const events = parse(r.stdout);
    expect(events.find((e) => e.type === 'resumed')).toMatchObject({ step: stopped.step });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed', step: 30 * 10 });
  }, 60_000);
});
