/**
 * @file The `app://studio/` protocol the renderer loads from: files of `dist/renderer` only, each
 * answered with the studio's Content-Security-Policy. A standard, secure scheme gives the page a
 * real origin, so the IPC sender check and the CSP `'self'` mean exactly "the studio's own files".
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../web/securityHeaders';
import { contentTypeFor, resolveStaticFile } from '../web/staticFiles';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://studio';
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

const HEADERS = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return new Response('Not found.\n', { status: 404, headers: HEADERS });
    const file = await resolveStaticFile(rendererDir, url.pathname);
    if (!file) {
      const status = url.pathname === '/' || url.pathname === '/index.html' ? 503 : 404;
      const text = status === 503 ? 'The studio UI is not built yet: run `npm run build`.\n' : 'Not found.\n';
      return new Response(text, { status, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    return new Response(await readFile(file), { status: 200, headers: { ...HEADERS, 'Content-Type': contentTypeFor(file) } });
  });
}
