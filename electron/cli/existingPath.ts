/** @file A path argument that must already exist (as a file, a folder, or either). */
import { stat } from 'node:fs/promises';
import { CliError } from './errors';
import { resolveFrom } from './paths';

export async function existingPath(cwd: string, arg: string, kind: 'file' | 'folder' | 'any'): Promise<string> {
  const path = resolveFrom(cwd, arg);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new CliError(`${path}: no such file or folder`, { code: 'E_NOT_FOUND', file: path });
  if (kind === 'file' && !info.isFile()) throw new CliError(`${path}: expected a file, found a folder`, { code: 'E_NOT_FOUND', file: path });
  if (kind === 'folder' && !info.isDirectory()) throw new CliError(`${path}: expected a folder, found a file`, { code: 'E_NOT_FOUND', file: path });
  return path;
}
