/**
 * @file Web mode's server: the same services as the desktop, over HTTP + WebSocket on 127.0.0.1.
 *
 * Protocol (what the renderer's web client speaks):
 * - Open `http://127.0.0.1:PORT/?token=T`; loading `/` with a valid query token sets the cookie
 *   `brrr_token` (HttpOnly, SameSite=Strict) so the page's scripts and styles load too.
 * - `POST /api/<requestName>` with the request as a JSON body (header `X-Brrr-Token: T`, or the
 *   cookie) answers 200 with the `Reply` envelope `{ok:true,value}` / `{ok:false,error}`.
 * - WebSocket `ws://127.0.0.1:PORT/events?token=T` (or the cookie) receives `{"event","payload"}`.
 * Every request is checked first: Host (403), Origin when present (403), token (401).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { access } from 'node:fs/promises';
import { WebSocketServer, WebSocket } from 'ws';
import { studioEvents, type EventName, type EventOf, type StudioHandlers } from '../../core/contract';
import { dispatchRequest } from '../services/dispatch';
import { checkRequest, generateToken, tokenCookie, type GuardConfig } from './requestGuard';
import { applySecurityHeaders } from './securityHeaders';
import { resolveStaticFile, sendFile } from './staticFiles';

export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
export const EVENTS_PATH = '/events';
export const API_PREFIX = '/api/';

export interface WebServerOptions {
  handlers: StudioHandlers;
  /** The built renderer, normally `dist/renderer`. */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 32 fresh random bytes, base64url. */
  token?: string;
  log?: (message: string) => void;
}

export interface WebServer {
  /** `http://127.0.0.1:PORT/?token=T`: the address to open. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
  broadcast<K extends EventName>(event: K, payload: EventOf<K>): void;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? generateToken();
  if (token.length < 16) throw new Error('The web-mode token must be at least 16 characters long.');
  const log = options.log ?? (() => undefined);
  const rendererDir = path.resolve(options.rendererDir);
  const guard: GuardConfig = { port: 0, token };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((e: unknown) => {
      log(`[brrr serve] ${req.method} ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  sockets.on('connection', (ws) => ws.on('error', () => ws.terminate()));

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    applySecurityHeaders(res, guard.port);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(req, url, guard);
    if (!verdict.ok) {
      sendText(res, verdict.status, verdict.status === 401 ? 'Unauthorized.' : 'Forbidden.');
      return;
    }
    if (url.pathname === '/api' || url.pathname.startsWith(API_PREFIX)) {
      await handleApi(req, res, url.pathname.slice(API_PREFIX.length));
      return;
    }
    if (url.pathname === EVENTS_PATH) {
      sendText(res, 426, 'Connect with a WebSocket.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, 'Method not allowed.');
      return;
    }
    const file = await resolveStaticFile(rendererDir, url.pathname);
    if (!file) {
      const isIndex = url.pathname === '/' || url.pathname === '/index.html';
      if (isIndex && !(await exists(path.join(rendererDir, 'index.html')))) {
        sendText(res, 503, 'The studio UI is not built yet: run `npm run build`, then start `brrr serve` again.');
      } else {
        sendText(res, 404, 'Not found.');
      }
      return;
    }
    // The page was opened from the printed URL: remember the token for its scripts, styles and socket.
    const isHtml = file.endsWith('.html');
    sendFile(res, file, req.method === 'HEAD', verdict.tokenFromQuery && isHtml ? { 'Set-Cookie': tokenCookie(token) } : {});
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendText(res, 405, 'Use POST for /api requests.');
      return;
    }
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (body === null) {
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.destroy());
      sendText(res, 413, `Request body too large (the limit is ${MAX_REQUEST_BYTES / 1024 / 1024} MiB).`);
      return;
    }
    let payload: unknown;
    const text = body.toString('utf8');
    if (text.trim() !== '') {
      try {
        payload = JSON.parse(text);
      } catch {
        sendJson(res, { ok: false, error: { code: 'E_BAD_REQUEST', message: `Bad ${name} request: the body is not valid JSON.` } });
        return;
      }
    }
    sendJson(res, await dispatchRequest(options.handlers, name, payload, { log }));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(req, url, guard);
    if (!verdict.ok) return refuseUpgrade(socket, verdict.status);
    if (url.pathname !== EVENTS_PATH) return refuseUpgrade(socket, 404);
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  guard.port = port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    broadcast(event, payload) {
      const checked = studioEvents[event].safeParse(payload);
      if (!checked.success) {
        log(`[brrr serve] not sending a malformed ${event} event: ${checked.error.issues[0]?.message}`);
        return;
      }
      const message = JSON.stringify({ event, payload: checked.data });
      for (const client of sockets.clients) if (client.readyState === WebSocket.OPEN) client.send(message);
    },
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}

function sendJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404): void {
  const text = `${STATUS_TEXT[status]}.\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

/** The whole body, or null as soon as it passes `limit` bytes (reading stops; the caller answers 413 and closes). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
