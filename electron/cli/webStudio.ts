/**
 * @file Web mode from the command line: start the studio's HTTP + WebSocket server on 127.0.0.1,
 * print its address (with the launch token), optionally open a browser, and close cleanly on
 * Ctrl+C or SIGTERM. Shared by `brrr serve` and `brrr start`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isErrno } from '../services/atomicWrite';
import { serveStudio, type ServedStudio } from '../web/serve';
import { CliError } from './errors';
import type { CliIo } from './io';
import { openBrowser } from './openBrowser';
import { rendererDir, studioVersion } from './paths';

export interface WebStudioOptions {
  /** 0: any free port. */
  port: number;
  workspaceDir: string;
  configDir: string;
  startupProject: string | null;
  open: boolean;
}

export async function runWebStudio(options: WebStudioOptions, io: CliIo): Promise<number> {
  const renderer = rendererDir();
  if (!existsSync(join(renderer, 'index.html'))) throw new CliError('the studio is not built yet; run npm run build', { code: 'E_NOT_FOUND' });
  // Listen for Ctrl+C before the address is printed: whoever reads it may stop us at once.
  const stopSignal = watchStopSignals();
  let server: ServedStudio;
  try {
    server = await serveStudio({
      port: options.port,
      workspaceDir: options.workspaceDir,
      configDir: options.configDir,
      startupProject: options.startupProject,
      version: studioVersion(),
      rendererDir: renderer,
      log: io.err,
    });
  } catch (e) {
    stopSignal.dispose();
    if (isErrno(e, 'EADDRINUSE')) throw new CliError(`port ${options.port} is already in use; pick another with --port (0 = any free port)`, { code: 'E_IO' });
    if (isErrno(e, 'EACCES')) throw new CliError(`not allowed to listen on port ${options.port}; pick one above 1023 with --port`, { code: 'E_IO' });
    throw e;
  }
  io.out(`Brrr Studio (web mode) at ${server.url}`);
  io.out('Press Ctrl+C to stop.');
  if (options.open) openBrowser(server.url, io.err);
  const signal = await stopSignal.received;
  await server.close();
  io.err(`brrr: stopped (${signal}).`);
  return 0;
}

/** The first SIGINT or SIGTERM; `dispose` stops listening (the default handling returns). */
function watchStopSignals(): { received: Promise<NodeJS.Signals>; dispose(): void } {
  let stop: (signal: NodeJS.Signals) => void = () => undefined;
  const dispose = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  const received = new Promise<NodeJS.Signals>((resolve) => {
    stop = (signal) => {
      dispose();
      resolve(signal);
    };
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { received, dispose };
}
