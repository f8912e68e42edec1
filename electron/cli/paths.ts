/**
 * @file Where things are: the installed package (and its version and built renderer), the default
 * workspace for projects and the per-user config folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'brrr-studio';

/** Walks up from this module (dist/cli/brrr.mjs once built) to the folder of our package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readManifest(manifest).name === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package folder above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function readManifest(file: string): { name?: unknown; version?: unknown } {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as { name?: unknown; version?: unknown }) : {};
  } catch {
    return {};
  }
}

export function studioVersion(): string {
  const version = readManifest(join(packageRoot(), 'package.json')).version;
  return typeof version === 'string' ? version : '0.0.0';
}

/** The built web renderer that web mode serves. */
export function rendererDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}

/** `~/Brrr Studio`: where new projects and the sample project live unless told otherwise. */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv): string {
  return join(home(env), 'Brrr Studio');
}

/** `$XDG_CONFIG_HOME/brrr-studio`, else `~/.config/brrr-studio`. */
export function defaultConfigDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  return xdg && isAbsolute(xdg) ? join(xdg, 'brrr-studio') : join(home(env), '.config', 'brrr-studio');
}

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** A user-given path, relative to the command's working folder. */
export function resolveFrom(cwd: string, path: string): string {
  return resolve(cwd, path);
}
