/**
 * @file The web-mode studio client: the same `StudioApi` as Electron's preload, spoken over
 * `POST /api/<request>` (JSON body, `X-Brrr-Token` header, Reply envelope back) and a WebSocket
 * for events. One function per request; app code never sees a generic invoke.
 */
import { StudioError, unwrapReply, type EventOf, type RequestName, type RequestOf, type ResponseOf, type StudioApi, type Unsubscribe } from '../../core/contract/studio';
import { createEventSocket, type EventSocket, type SocketFactory } from './eventSocket';

export const TOKEN_HEADER = 'X-Brrr-Token';

export interface WebClientOptions {
  /** Where the services listen, e.g. `http://127.0.0.1:4820`. */
  origin: string;
  /** The per-launch token `brrr serve` put in the page's address; `''` to rely on the cookie it set. */
  token: string;
  fetch?: typeof globalThis.fetch;
  openSocket?: SocketFactory;
}

export interface WebClient extends StudioApi {
  /** Closes the event connection (tests and page teardown). */
  close(): void;
}

export function createWebClient(options: WebClientOptions): WebClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const origin = options.origin.replace(/\/+$/, '');
  const socketUrl = `${origin.replace(/^http/, 'ws')}/events${options.token ? `?token=${encodeURIComponent(options.token)}` : ''}`;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.token) headers[TOKEN_HEADER] = options.token;
  let events: EventSocket | null = null;
  const eventSocket = (): EventSocket => (events ??= createEventSocket({ url: socketUrl, openSocket: options.openSocket }));

  async function call<K extends RequestName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
    let response: Response;
    try {
      response = await doFetch(`${origin}/api/${name}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(request ?? {}),
        cache: 'no-store',
      });
    } catch {
      throw new StudioError('E_UNAVAILABLE', 'The studio service is not reachable. Is `brrr serve` still running?');
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw replyWithoutEnvelope(name, response.status);
    }
    return unwrapReply(name, body);
  }

  return {
    getAppInfo: (request) => call('getAppInfo', request),
    listTemplates: (request) => call('listTemplates', request),
    listRecentProjects: (request) => call('listRecentProjects', request),
    listWorkspaceProjects: (request) => call('listWorkspaceProjects', request),
    createProject: (request) => call('createProject', request),
    openProject: (request) => call('openProject', request),
    saveProject: (request) => call('saveProject', request),
    showOpenDialog: (request) => call('showOpenDialog', request),
    showSaveDialog: (request) => call('showSaveDialog', request),
    writeRecovery: (request) => call('writeRecovery', request),
    readRecovery: (request) => call('readRecovery', request),
    discardRecovery: (request) => call('discardRecovery', request),
    startRun: (request) => call('startRun', request),
    pauseRun: (request) => call('pauseRun', request),
    resumeRun: (request) => call('resumeRun', request),
    stopRun: (request) => call('stopRun', request),
    listRuns: (request) => call('listRuns', request),
    readRunEvents: (request) => call('readRunEvents', request),
    describeDataset: (request) => call('describeDataset', request),
    previewDataset: (request) => call('previewDataset', request),
    exportProject: (request) => call('exportProject', request),
    onMenuCommand: (listener) => eventSocket().subscribe('menuCommand', listener),
    onRunEvents: (listener) => eventSocket().subscribe('runEvents', listener),
    close: () => events?.close(),
  } satisfies WebClient;
}

/** A reply that is not JSON: name what most likely happened from the HTTP status. */
function replyWithoutEnvelope(name: RequestName, status: number): StudioError {
  if (status === 401 || status === 403) {
    return new StudioError('E_FORBIDDEN', 'The studio refused this page: its access token is missing or stale. Open the link that `brrr serve` printed again.');
  }
  if (status === 404) return new StudioError('E_UNAVAILABLE', `This studio service does not know the request "${name}". Are the page and the service from the same version?`);
  return new StudioError('E_INTERNAL', `The studio sent an unreadable reply to ${name} (HTTP ${status}).`);
}
