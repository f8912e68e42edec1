/**
 * @file Packaging checks that run offline: electron-builder's own validation of
 * build/electron-builder.yml (and that a broken copy fails it), and a real `--linux --dir` package
 * made with a stand-in Electron distribution, whose app.asar must hold the built app and nothing
 * else (no tests, no TypeScript sources, no core/). Electron itself cannot be downloaded here.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot } from './ensureBuilt';

const CONFIG = join(repoRoot, 'build', 'electron-builder.yml');
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'brrr-builder-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function validate(configPath: string): Promise<void> {
  const config = await getConfig(repoRoot, configPath, null);
  await validateConfiguration(config, new DebugLogger(false));
}

describe('electron-builder configuration', () => {
  it('passes electron-builder validation', async () => {
    await expect(validate(CONFIG)).resolves.toBeUndefined();
    const config = await getConfig(repoRoot, CONFIG, null);
    expect(config.appId).toBe('studio.brrr.app');
    expect(config.productName).toBe('Brrr Studio');
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
  });

  it('rejects a broken copy (misspelt key)', async () => {
    const broken = join(scratch, 'broken.yml');
    writeFileSync(broken, readFileSync(CONFIG, 'utf8').replace('  category: Development', '  categry: Development'));
    await expect(validate(broken)).rejects.toThrow(/Invalid configuration object/);
  });

  it('points at an icon that exists and is a 512x512 PNG', () => {
    const png = readFileSync(join(repoRoot, 'build', 'icons', 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});

describe('packaging with a stand-in Electron', () => {
  it('makes linux-unpacked whose app.asar holds the built app and nothing else', { timeout: 180_000 }, async () => {
    await ensureBuilt();
    // A stand-in distribution: what electron-builder copies and renames, never run.
    const stub = join(scratch, 'electron-stub');
    mkdirSync(join(stub, 'resources'), { recursive: true });
    writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n');
    chmodSync(join(stub, 'electron'), 0o755);
    writeFileSync(join(stub, 'version'), ELECTRON_VERSION);
    const out = join(scratch, 'release');
    const builder = join(repoRoot, 'node_modules', 'electron-builder', 'cli.js');
    const result = spawnSync(
      process.execPath,
      [builder, '--linux', '--dir', '--config', CONFIG, `-c.electronDist=${stub}`, `-c.electronVersion=${ELECTRON_VERSION}`, `-c.directories.output=${out}`],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: '1' }, timeout: 170_000 },
    );
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);

    const unpacked = join(out, 'linux-unpacked');
    expect(existsSync(join(unpacked, 'brrr-studio'))).toBe(true);
    const entries = listPackage(join(unpacked, 'resources', 'app.asar'), { isPack: false }).map((p) => p.replaceAll('\\', '/'));
    for (const required of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/engine/host.mjs', '/dist/renderer/index.html', '/data/corpus/devils-dictionary.txt']) {
      expect(entries).toContain(required);
    }
    const unwanted = entries.filter(
      (p) =>
        /^\/(tests|core|electron|renderer|build|docs|bin|\.ci)(\/|$)/.test(p) ||
        /\/(tests?|__tests__)\//.test(p) ||
        /\.(ts|tsx|mts|cts)$/.test(p) ||
        p.startsWith('/dist/cli/'),
    );
    expect(unwanted).toEqual([]);
    // Only production dependencies: no test runner, bundler or Electron itself.
    for (const devOnly of ['vitest', 'vite', 'esbuild', 'electron', 'electron-builder', 'typescript']) {
      expect(entries).not.toContain(`/node_modules/${devOnly}`);
    }
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    expect(entries).toContain(`/${manifest.main}`);
    // Native addons (image decoding, WebGPU in Node) load from outside the asar.
    for (const native of ['sharp', 'webgpu']) expect(existsSync(join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', native))).toBe(true);
  });
});
