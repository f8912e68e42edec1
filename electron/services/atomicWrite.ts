/**
 * @file Atomic file writes: every write of user data goes through here, so a crash or a full
 * disk leaves either the old file or the new one, never a torn mix.
 *
 * Protocol: write a temp file in the target's folder (same file system, so rename is atomic),
 * fsync it, rename it over the target (or hard-link it when the target must not exist yet),
 * then fsync the folder so the rename itself is durable.
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import path from 'node:path';

/** The file-system operations an atomic write uses; tests inject failing ones. */
export interface AtomicFs {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  link: typeof fsp.link;
  unlink: typeof fsp.unlink;
}

export interface AtomicWriteOptions {
  /** false: fail with EEXIST instead of replacing an existing target. Default true. */
  overwrite?: boolean;
  /** File mode of a newly created file. Default 0o644 (before umask). */
  mode?: number;
  fs?: AtomicFs;
}

const nodeFs: AtomicFs = { open: fsp.open, rename: fsp.rename, link: fsp.link, unlink: fsp.unlink };

/** Temp files are dot-files named after the target, so a leftover from a crash is easy to spot and ignore. */
export const TEMP_PREFIX = '.brrr-tmp-';

export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `${TEMP_PREFIX}${path.basename(target)}.${randomBytes(6).toString('hex')}`);
}

export async function atomicWrite(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFs;
  const temp = tempPathFor(target);
  let tempExists = false;
  try {
    const handle = await fs.open(temp, 'wx', options.mode ?? 0o644);
    tempExists = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite === false) {
      await linkNoClobber(fs, temp, target);
      await fs.unlink(temp);
    } else {
      await fs.rename(temp, target);
    }
    tempExists = false;
  } catch (e) {
    if (tempExists) await fs.unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncFolder(path.dirname(target), fs);
}

/** link(2) fails with EEXIST when the target exists, which makes "create, never replace" race-free. */
async function linkNoClobber(fs: AtomicFs, temp: string, target: string): Promise<void> {
  try {
    await fs.link(temp, target);
  } catch (e) {
    // Some file systems (FAT, some network shares) have no hard links: check, then rename.
    if (!isErrno(e, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS')) throw e;
    const existing = await fsp.lstat(target).catch(() => null);
    if (existing) throw Object.assign(new Error(`EEXIST: file already exists, link '${temp}' -> '${target}'`), { code: 'EEXIST', syscall: 'link', path: target });
    await fs.rename(temp, target);
  }
}

/** Makes a rename durable. Windows cannot open a folder for fsync; there the rename is already durable enough. */
async function syncFolder(folder: string, fs: AtomicFs): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fs.open(folder, 'r');
    await handle.sync();
  } catch (e) {
    if (!isErrno(e, 'EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF')) throw e;
  } finally {
    await handle?.close();
  }
}

export function isErrno(e: unknown, ...codes: string[]): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && codes.includes((e as NodeJS.ErrnoException).code as string);
}
