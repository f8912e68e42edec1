/**
 * @file Web mode's security, end to end over real sockets: 127.0.0.1 only, the launch token on every
 * HTTP request and WebSocket, Host and Origin checks, security headers, no way out of the renderer
 * folder, and the API answering with Reply envelopes.
 */
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { unwrapReply } from '../../core/contract';
import { createStudioServices } from '../../electron/services/services';
import { serveStudio } from '../../electron/web/serve';
import { startWebServer, type WebServer } from '../../electron/web/server';

interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let root: string;
let server: WebServer;
let port: number;
let token: string;
const SECRET = 'this-must-never-be-served';

function request(options: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const api = (name: string, body: unknown, headers: Record<string, string> = { 'x-brrr-token': token }): Promise<HttpResult> =>
  request({ path: `/api/${name}`, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Opens a WebSocket and reports either the opened socket or the HTTP status that refused it. */
function connect(pathAndQuery: string, options: { headers?: Record<string, string>; origin?: string } = {}): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${pathAndQuery}`, { headers: options.headers, origin: options.origin });
    socket.on('open', () => resolve({ status: 101, socket }));
    socket.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.on('error', (e) => reject(e));
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'brrr-web-'));
  const rendererDir = path.join(root, 'dist', 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Brrr Studio</title><script type="module" src="/assets/app.js"></script>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("studio");');
  await writeFile(path.join(root, 'dist', 'package.json'), SECRET);
  await writeFile(path.join(root, 'package.json'), SECRET);
  await symlink(path.join(root, 'package.json'), path.join(rendererDir, 'escape.json'));
  const handlers = createStudioServices({ host: 'web', workspaceDir: path.join(root, 'ws'), configDir: path.join(root, 'cfg'), startupProject: null, version: '1.2.3' });
  server = await startWebServer({ handlers, rendererDir });
  port = server.port;
  token = server.token;
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('binding and token', () => {
  it('listens on 127.0.0.1 with a fresh 32-byte token in the URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(Buffer.from(token, 'base64url').length).toBe(32);
  });

  it('refuses connections on non-loopback addresses', async (context) => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => i !== undefined && !i.internal && (i.family === 'IPv4' || !i.address.startsWith('fe80:')));
    if (external.length === 0) {
      console.log('[security.test] skipped the non-loopback check: this machine has no non-loopback address (other than IPv6 link-local)');
      context.skip();
      return;
    }
    for (const iface of external) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: iface.address, port, timeout: 2000 });
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('timeout', () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, `connecting to ${iface.address}:${port}`).not.toBe('connected');
    }
  });

  it.each([
    ['no token', '/', {}],
    ['a wrong query token', `/?token=${'A'.repeat(43)}`, {}],
    ['a wrong header token', '/', { 'x-brrr-token': 'wrong' }],
    ['a wrong cookie', '/', { cookie: 'brrr_token=wrong' }],
    ['an empty token', '/?token=', {}],
  ] as const)('answers 401 to a page request with %s', async (_label, p, headers) => {
    const res = await request({ path: p, headers });
    expect(res.status).toBe(401);
    expect(res.body).toBe('Unauthorized.\n');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 401 to API calls and assets without the token', async () => {
    expect((await api('getAppInfo', {}, {})).status).toBe(401);
    expect((await api('getAppInfo', {}, { 'x-brrr-token': `${token}x` })).status).toBe(401);
    expect((await request({ path: '/assets/app.js' })).status).toBe(401);
  });

  it('sets an HttpOnly, SameSite=Strict cookie when the page is opened with its token, which then admits assets', async () => {
    const page = await request({ path: `/?token=${token}` });
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toEqual([`brrr_token=${token}; HttpOnly; SameSite=Strict; Path=/`]);
    const asset = await request({ path: '/assets/app.js', headers: { cookie: `other=1; brrr_token=${token}` } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['set-cookie']).toBeUndefined();
  });
});

describe('Host and Origin', () => {
  // PORT is filled in when the test runs (the table is built before the server starts).
  const withPort = (text: string): string => text.replace('PORT+1', String(port + 1)).replace('PORT', String(port));

  it.each(['evil.example', 'evil.example:PORT', '127.0.0.1:PORT+1', '127.0.0.2:PORT', '[::1]:PORT', '127.0.0.1'])('answers 403 to Host %s', async (template) => {
    const host = withPort(template);
    const res = await request({ path: `/?token=${token}`, headers: { host } });
    expect(res.status).toBe(403);
    expect((await api('getAppInfo', {}, { 'x-brrr-token': token, host })).status).toBe(403);
  });

  it('accepts localhost:PORT as Host', async () => {
    expect((await request({ path: `/?token=${token}`, headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it.each(['https://evil.example', 'http://evil.example:PORT', 'null', 'http://127.0.0.1:PORT+1', 'https://127.0.0.1:PORT'])('answers 403 to Origin %s', async (template) => {
    const origin = withPort(template);
    expect((await api('getAppInfo', {}, { 'x-brrr-token': token, origin })).status).toBe(403);
  });

  it('accepts its own origins', async () => {
    expect((await api('getAppInfo', {}, { 'x-brrr-token': token, origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await api('getAppInfo', {}, { 'x-brrr-token': token, origin: `http://localhost:${port}` })).status).toBe(200);
  });
});

describe('WebSocket /events', () => {
  it('refuses a missing or wrong token with 401', async () => {
    expect((await connect('/events')).status).toBe(401);
    expect((await connect('/events?token=wrong')).status).toBe(401);
    expect((await connect('/events', { headers: { cookie: 'brrr_token=wrong' } })).status).toBe(401);
  });

  it('refuses a foreign Origin or Host with 403', async () => {
    expect((await connect(`/events?token=${token}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await connect(`/events?token=${token}`, { headers: { host: `evil.example:${port}` } })).status).toBe(403);
  });

  it('accepts the token (query or cookie) and delivers broadcast events', async () => {
    const byCookie = await connect('/events', { headers: { cookie: `brrr_token=${token}` }, origin: `http://127.0.0.1:${port}` });
    expect(byCookie.status).toBe(101);
    byCookie.socket?.close();

    const { socket } = await connect(`/events?token=${token}`);
    const message = new Promise<string>((resolve) => socket?.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
    server.broadcast('menuCommand', { command: 'save' });
    expect(JSON.parse(await message)).toEqual({ event: 'menuCommand', payload: { command: 'save' } });
    socket?.close();
  });
});

describe('API', () => {
  it('answers a good request with a Reply envelope the renderer can unwrap', async () => {
    const res = await api('getAppInfo', {});
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const info = unwrapReply('getAppInfo', JSON.parse(res.body));
    expect(info).toMatchObject({ host: 'web', version: '1.2.3', capabilities: { nativeDialogs: false, nativeMenu: false } });
  });

  it('creates and opens a project over HTTP', async () => {
    const created = unwrapReply('createProject', JSON.parse((await api('createProject', { template: 'mnist-mlp', name: 'Web Digits' })).body));
    const opened = unwrapReply('openProject', JSON.parse((await api('openProject', { path: created.path })).body));
    expect(opened.project.name).toBe('Web Digits');
  });

  it('refuses GET with 405, bad JSON, bad payloads and unknown messages with error envelopes', async () => {
    const get = await request({ path: '/api/getAppInfo', headers: { 'x-brrr-token': token } });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const badJson = await request({ path: '/api/openProject', method: 'POST', headers: { 'x-brrr-token': token }, body: '{"path":' });
    expect(badJson.status).toBe(200);
    expect(JSON.parse(badJson.body)).toMatchObject({ ok: false, error: { code: 'E_BAD_REQUEST' } });
    expect(JSON.parse((await api('openProject', { path: 5 })).body)).toMatchObject({ ok: false, error: { code: 'E_BAD_REQUEST' } });
    expect(JSON.parse((await api('formatDisk', {})).body)).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    expect(JSON.parse((await api('showOpenDialog', {})).body)).toMatchObject({ ok: false, error: { code: 'E_UNAVAILABLE' } });
  });

  it('answers an empty body as an empty request', async () => {
    const res = await request({ path: '/api/listTemplates', method: 'POST', headers: { 'x-brrr-token': token } });
    expect(JSON.parse(res.body)).toMatchObject({ ok: true });
  });

  it('refuses a body over 64 MiB with 413 before reading it', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/api/saveProject', method: 'POST', headers: { 'x-brrr-token': token, 'content-length': String(64 * 1024 * 1024 + 1) } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"path":"');
    });
    expect(res).toBe(413);
  });
});

describe('static files and headers', () => {
  it('puts the security headers on every response, 401s included', async () => {
    for (const res of [await request({ path: `/?token=${token}` }), await request({ path: '/' }), await api('getAppInfo', {})]) {
      expect(res.headers['content-security-policy']).toBe(
        `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    const page = await request({ path: `/?token=${token}` });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it.each(['/../package.json', '/../../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%2e%2e%2f%2e%2e%2fpackage.json', '/assets/../../package.json', '/escape.json', '/%00index.html', '/assets'])(
    'does not serve %s',
    async (p) => {
      const res = await request({ path: p, headers: { 'x-brrr-token': token } });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(SECRET);
    },
  );

  it('answers 503 naming `npm run build` when the renderer is not built', async () => {
    const handlers = createStudioServices({ host: 'web', workspaceDir: root, configDir: path.join(root, 'cfg2'), startupProject: null, version: '0' });
    const empty = path.join(root, 'empty-renderer');
    await mkdir(empty);
    const unbuilt = await startWebServer({ handlers, rendererDir: empty });
    try {
      const res = await new Promise<HttpResult>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: unbuilt.port, path: `/?token=${unbuilt.token}` }, (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks).toString() }));
          })
          .on('error', reject);
      });
      expect(res.status).toBe(503);
      expect(res.body).toContain('npm run build');
      expect(res.body.trim().split('\n')).toHaveLength(1);
    } finally {
      await unbuilt.close();
    }
  });

  it('serveStudio wires web-host services to a server', async () => {
    const served = await serveStudio({ workspaceDir: path.join(root, 'ws3'), configDir: path.join(root, 'cfg3'), startupProject: '/some/project', version: '3.0.0', rendererDir: path.join(root, 'dist', 'renderer') });
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
      expect(served.token).not.toBe(token);
      const res = await fetch(`http://127.0.0.1:${served.port}/api/getAppInfo`, { method: 'POST', headers: { 'x-brrr-token': served.token }, body: '{}' });
      expect(unwrapReply('getAppInfo', await res.json())).toMatchObject({ host: 'web', startupProject: '/some/project', version: '3.0.0' });
    } finally {
      await served.close();
    }
  });
});
