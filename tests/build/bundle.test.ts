/**
 * @file build/bundle.mjs on a miniature copy of the repository: the outputs have the formats the
 * app needs (CommonJS main with `electron` external and a working `import.meta.url`, a preload
 * with everything but `electron` inlined, an ESM command line), and a failure is one line, exit 1.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './ensureBuilt';

let mini: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(mini, path)), { recursive: true });
  writeFileSync(join(mini, path), text);
}

function runBundle(): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['build/bundle.mjs'], { cwd: mini, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeEach(() => {
  mini = mkdtempSync(join(tmpdir(), 'brrr-bundle-'));
  for (const file of ['build/bundle.mjs', 'build/importMetaUrlShim.mjs']) {
    mkdirSync(dirname(join(mini, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(mini, file));
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(mini, 'node_modules'), 'dir');
  write('package.json', '{ "name": "mini", "type": "module" }\n');
  write('electron/main/main.ts', "process.stdout.write(new URL('.', import.meta.url).protocol);\n");
  write('electron/preload/preload.ts', "import { contextBridge } from 'electron';\nimport { greeting } from './greeting';\ncontextBridge.exposeInMainWorld('greeting', greeting);\n");
  write('electron/preload/greeting.ts', "export const greeting = (): string => 'hello';\n");
  write('electron/engine/host.ts', "import { parentPort } from 'node:worker_threads';\nparentPort?.postMessage('ready');\n");
  write('electron/cli/main.ts', "import { z } from 'zod';\nexport async function main(): Promise<number> { return z.number().parse(0); }\n");
  write('build/vite.config.ts', "export default { root: new URL('../renderer', import.meta.url).pathname, build: { outDir: '../dist/renderer', emptyOutDir: true } };\n");
  write('renderer/index.html', '<!doctype html><html><body><script type="module" src="./main.ts"></script></body></html>\n');
  write('renderer/main.ts', "document.body.append('ok');\n");
});

afterEach(() => {
  rmSync(mini, { recursive: true, force: true });
});

describe('build/bundle.mjs', () => {
  it('bundles main, preload, the command line and the renderer in the formats they need', async () => {
    const result = runBundle();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^build: dist\/electron\/main\.cjs, dist\/electron\/preload\.cjs, dist\/cli\/brrr\.mjs, dist\/engine\/host\.mjs, dist\/renderer\/ in [\d.]+ s$/);

    // main: CommonJS, and import.meta.url still works there.
    const main = spawnSync(process.execPath, [join(mini, 'dist/electron/main.cjs')], { encoding: 'utf8' });
    expect(main.stdout).toBe('file:');

    // preload: only `electron` is required at run time; local modules are inlined.
    const preload = readFileSync(join(mini, 'dist/electron/preload.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload).toContain("'hello'".replaceAll("'", '"'));
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);

    // command line: ESM with npm packages left external, importable and runnable.
    const cli = readFileSync(join(mini, 'dist/cli/brrr.mjs'), 'utf8');
    expect(cli).toMatch(/from "zod"/);
    const module = (await import(join(mini, 'dist/cli/brrr.mjs'))) as { main: () => Promise<number> };
    expect(await module.main()).toBe(0);

    expect(readFileSync(join(mini, 'dist/renderer/index.html'), 'utf8')).toMatch(/<script type="module"[^>]*src="\/assets\//);
  });

  it('fails with one line when an entry is missing', () => {
    rmSync(join(mini, 'electron/preload'), { recursive: true });
    const result = runBundle();
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('build: dist/electron/preload.cjs failed: its entry electron/preload/preload.ts does not exist\n');
  });

  it('fails with one line naming the file and line of a compile error', () => {
    write('electron/cli/main.ts', 'export async function main( {\n');
    const result = runBundle();
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^build: dist\/cli\/brrr\.mjs failed: electron\/cli\/main\.ts:\d+:\d+: /);
  });

  it('fails with one line when the renderer does not build', () => {
    write('renderer/main.ts', "import './missing-module';\n");
    const result = runBundle();
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^build: dist\/renderer failed: .*missing-module/);
  });
});
