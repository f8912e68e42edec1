/**
 * @file Serving the built renderer (`dist/renderer`) in web mode: content types, `index.html` for
 * `/`, and no way out of the folder (the resolved real path must stay under the folder's real path).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `root` that a URL path names, or null when it names nothing servable there. */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded;
  const base = path.resolve(root);
  const candidate = path.resolve(base, `.${path.sep}${relative}`);
  if (!isInside(base, candidate)) return null;
  try {
    // Symbolic links must not lead out of the folder either.
    const [realBase, realFile] = await Promise.all([realpath(base), realpath(candidate)]);
    if (!isInside(realBase, realFile)) return null;
    return (await stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}

function isInside(base: string, candidate: string): boolean {
  return candidate.startsWith(base.endsWith(path.sep) ? base : base + path.sep);
}

/** Streams a file resolved by resolveStaticFile; HTML is never cached. */
export function sendFile(res: ServerResponse, file: string, headOnly: boolean, extraHeaders: Record<string, string> = {}): void {
  const type = contentTypeFor(file);
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', type.startsWith('text/html') ? 'no-store' : 'no-cache');
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  if (headOnly) {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
