/** @file The web-mode client: token header on every request, Reply envelopes unwrapped, errors raised as StudioError. */
import { describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES, StudioError, type ResponseOf } from '../../core/contract/studio';
import { findTemplate } from '../../core/templates';
import { createWebClient, TOKEN_HEADER } from '../../renderer/studio/webClient';

const appInfo: ResponseOf<'getAppInfo'> = {
  name: 'Brrr Studio',
  version: '0.1.0',
  contractVersion: 1,
  host: 'web',
  platform: 'linux',
  capabilities: { nativeDialogs: false, nativeMenu: false },
  workspaceDir: '/home/me/Brrr',
  startupProject: null,
};

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function clientWith(reply: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => reply(String(input), init ?? {}));
  return { fetch, client: createWebClient({ origin: 'http://127.0.0.1:4820/', token: 'secret-token', fetch }) };
}

async function caught(promise: Promise<unknown>): Promise<StudioError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('createWebClient', () => {
  it('POSTs JSON to /api/<request> with the token header and returns the unwrapped value', async () => {
    const { fetch, client } = clientWith(() => jsonResponse({ ok: true, value: appInfo }));
    await expect(client.getAppInfo({})).resolves.toEqual(appInfo);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('http://127.0.0.1:4820/api/getAppInfo');
    expect(init?.method).toBe('POST');
    const headers = new Headers(init?.headers);
    expect(headers.get(TOKEN_HEADER)).toBe('secret-token');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(String(init?.body))).toEqual({});
  });

  it('sends the request payload and parses the response with the contract schema', async () => {
    const template = findTemplate('mnist-mlp');
    if (!template) throw new Error('mnist-mlp template missing');
    const project = template.build('Digits');
    const { fetch, client } = clientWith(() => jsonResponse({ ok: true, value: { path: '/w/digits', savedAt: '2026-11-24T10:00:00.000Z' } }));
    await expect(client.saveProject({ path: '/w/digits', project })).resolves.toEqual({ path: '/w/digits', savedAt: '2026-11-24T10:00:00.000Z' });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('http://127.0.0.1:4820/api/saveProject');
    expect(JSON.parse(String(init?.body))).toEqual({ path: '/w/digits', project });
  });

  it('turns an error reply into a StudioError with its code, message and diagnostics', async () => {
    const diagnostics = [{ code: 'E_PROJECT_SCHEMA', severity: 'error', message: 'networks: must not be empty', path: 'networks' }];
    const { client } = clientWith(() => jsonResponse({ ok: false, error: { code: 'E_PROJECT_INVALID', message: 'The project at /w/x is not valid.', diagnostics } }, 400));
    const error = await caught(client.openProject({ path: '/w/x' }));
    expect(error.code).toBe('E_PROJECT_INVALID');
    expect(error.message).toBe('The project at /w/x is not valid.');
    expect(error.diagnostics).toEqual(diagnostics);
  });

  it('rejects a value that does not match the contract', async () => {
    const { client } = clientWith(() => jsonResponse({ ok: true, value: { name: 'not app info' } }));
    const error = await caught(client.getAppInfo({}));
    expect(error.code).toBe('E_INTERNAL');
    expect(error.message).toMatch(/unexpected getAppInfo reply/);
  });

  it('names a refused token, an unreachable service and a non-JSON reply in words', async () => {
    const refused = clientWith(() => new Response('Forbidden', { status: 403 }));
    expect((await caught(refused.client.listTemplates({}))).code).toBe('E_FORBIDDEN');

    const down = clientWith(() => Promise.reject(new TypeError('Failed to fetch')));
    const unreachable = await caught(down.client.listTemplates({}));
    expect(unreachable.code).toBe('E_UNAVAILABLE');
    expect(unreachable.message).toMatch(/not reachable/);

    const garbled = clientWith(() => new Response('<html>oops</html>', { status: 500 }));
    const unreadable = await caught(garbled.client.listTemplates({}));
    expect(unreadable.code).toBe('E_INTERNAL');
    expect(unreadable.message).not.toMatch(/at \w+ \(/); // no stack frames
  });

  it('exposes exactly one function per request plus the event subscriptions, and no generic invoke', () => {
    const { client } = clientWith(() => jsonResponse({ ok: true, value: null }));
    expect(Object.keys(client).sort()).toEqual([...REQUEST_NAMES, 'onMenuCommand', 'onRunEvents', 'close'].sort());
  });
});
