/**
 * @file The one entry point both transports (Electron IPC and web-mode HTTP) call: find the
 * handler, parse the payload, run it, and turn whatever happens into a Reply. Nothing thrown
 * inside a service ever reaches a transport as a stack trace.
 */
import { parseRequest, StudioError, studioRequests, type Reply, type ReplyError, type RequestName, type StudioHandlers } from '../../core/contract';

export interface DispatchOptions {
  /** Where unexpected errors are reported in full (the reply only carries one line). */
  log?: (message: string) => void;
}

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(studioRequests, name);
}

export async function dispatchRequest(handlers: StudioHandlers, name: string, payload: unknown, options: DispatchOptions = {}): Promise<Reply<unknown>> {
  if (!isRequestName(name)) {
    return { ok: false, error: { code: 'E_NOT_FOUND', message: `Unknown request "${oneLine(name).slice(0, 80)}".` } };
  }
  const parsed = parseRequest(name, payload);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  try {
    const handler = handlers[name] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.value) };
  } catch (e) {
    const error = toReplyError(e, name);
    if (error.code === 'E_INTERNAL') options.log?.(`[brrr] ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return { ok: false, error };
  }
}

/** A StudioError keeps its code; a file-system error becomes E_IO naming the path; anything else is E_INTERNAL. */
export function toReplyError(e: unknown, requestName: string): ReplyError {
  if (e instanceof StudioError) {
    return e.diagnostics ? { code: e.code, message: e.message, diagnostics: e.diagnostics } : { code: e.code, message: e.message };
  }
  if (isFsError(e)) return { code: 'E_IO', message: describeFsError(e) };
  const detail = e instanceof Error ? e.message : String(e);
  return { code: 'E_INTERNAL', message: `${requestName} failed unexpectedly: ${oneLine(detail).slice(0, 300) || 'no details'}` };
}

export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  if (!(e instanceof Error)) return false;
  const err = e as NodeJS.ErrnoException;
  return typeof err.code === 'string' && /^E[A-Z0-9]+$/.test(err.code) && (typeof err.syscall === 'string' || typeof err.path === 'string');
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EEXIST: 'it already exists',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOTEMPTY: 'the folder is not empty',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many files are open',
  EBUSY: 'it is busy or locked',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'a disk input/output error happened',
};

export function describeFsError(err: NodeJS.ErrnoException): string {
  const where = err.path ?? (err as { dest?: string }).dest ?? 'a file';
  const reason = FS_REASONS[err.code ?? ''] ?? 'the file operation failed';
  const op = err.syscall ? ` during ${err.syscall}` : '';
  return `${where}: ${reason} (${err.code}${op}).`;
}

function oneLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]?.trim() ?? '';
}
