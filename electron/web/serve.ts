/**
 * @file `brrr serve`: the studio services (host 'web', no native dialogs) behind the web-mode
 * server. The command line prints `url`; the renderer opened there cannot tell it from the desktop.
 */
import type { EventName, EventOf } from '../../core/contract';
import { createStudioServices } from '../services/services';
import { startWebServer } from './server';

export interface ServeStudioOptions {
  /** 0 or absent: a free port. */
  port?: number;
  workspaceDir: string;
  configDir: string;
  startupProject: string | null;
  version: string;
  /** The built renderer, normally `dist/renderer`. */
  rendererDir: string;
  /** Where non-fatal problems are reported; defaults to stderr. */
  log?: (message: string) => void;
}

export interface ServedStudio {
  /** `http://127.0.0.1:PORT/?token=T`: print it, open it. */
  url: string;
  port: number;
  token: string;
  broadcast<K extends EventName>(event: K, payload: EventOf<K>): void;
  close(): Promise<void>;
}

export async function serveStudio(options: ServeStudioOptions): Promise<ServedStudio> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  let server: Awaited<ReturnType<typeof startWebServer>> | undefined;
  const handlers = createStudioServices({
    host: 'web',
    workspaceDir: options.workspaceDir,
    configDir: options.configDir,
    startupProject: options.startupProject,
    version: options.version,
    log,
    // training runs push their event batches to every connected page
    emit: (event, payload) => server?.broadcast(event, payload),
  });
  server = await startWebServer({ handlers, rendererDir: options.rendererDir, port: options.port ?? 0, log });
  return { url: server.url, port: server.port, token: server.token, broadcast: server.broadcast, close: server.close };
}
