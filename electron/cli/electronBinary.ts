/**
 * @file Finds a runnable Electron binary without `require('electron')`: that module downloads the
 * binary when it is missing, which cannot work offline. Mirrors electron/index.js: the executable
 * named by `path.txt`, under `ELECTRON_OVERRIDE_DIST_PATH` or the package's `dist/`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Electron executable to launch, or null when this machine has none. */
export function findElectronBinary(packageRoot: string, env: NodeJS.ProcessEnv): string | null {
  let electronDir: string | null = null;
  try {
    electronDir = dirname(createRequire(join(packageRoot, 'package.json')).resolve('electron/package.json'));
  } catch {
    electronDir = null;
  }
  const pathFile = electronDir ? join(electronDir, 'path.txt') : null;
  const executable = pathFile && existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  let candidate: string | null = null;
  if (override) candidate = join(override, executable || 'electron');
  else if (executable && electronDir) candidate = join(electronDir, 'dist', executable);
  return candidate && isFile(candidate) ? candidate : null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
