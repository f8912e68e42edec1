/**
 * @file Makes sure `dist/` is built and newer than its sources before a suite spawns the built
 * command line or packages the app. `npm test` builds first, so normally this only checks; a
 * suite run on its own after an edit rebuilds once (a lock folder keeps two suites from building
 * at the same time).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** What `npm run build` produces. */
export const BUILD_OUTPUTS = ['dist/cli/brrr.mjs', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];
const SOURCES = ['core', 'electron', 'renderer', 'build/bundle.mjs', 'build/vite.config.ts', 'package.json'];
const LOCK = join(repoRoot, 'node_modules', '.brrr-build.lock');

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isFresh(): boolean {
  const outputs = BUILD_OUTPUTS.map((p) => join(repoRoot, p));
  if (!outputs.every((p) => existsSync(p))) return false;
  const oldestOutput = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const newestSource = Math.max(...SOURCES.map((p) => join(repoRoot, p)).filter((p) => existsSync(p)).map(newestMtime));
  return oldestOutput >= newestSource;
}

async function withLock<T>(work: () => T): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${LOCK}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return work();
  } finally {
    rmdirSync(LOCK);
  }
}

export async function ensureBuilt(): Promise<void> {
  if (isFresh()) return;
  await withLock(() => {
    if (isFresh()) return; // built by another suite while this one waited
    const result = spawnSync(process.execPath, ['build/bundle.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm run build failed: ${result.stderr.trim() || result.stdout.trim()}`);
  });
}
