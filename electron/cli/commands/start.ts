/**
 * @file `brrr start` (what `npm start` runs): the desktop app when this machine has a runnable
 * Electron binary, otherwise web mode in the default browser, on the bundled sample project.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../command';
import { findElectronBinary } from '../electronBinary';
import { CliError } from '../errors';
import type { CliIo } from '../io';
import { defaultConfigDir, defaultWorkspaceDir, packageRoot, resolveFrom } from '../paths';
import { portNumber } from '../portNumber';
import { ensureSampleProject } from '../sampleProject';
import { runWebStudio } from '../webStudio';

const NAME = 'start';

export const startCommand = defineCommand(
  {
    name: NAME,
    summary: 'Start the studio: the desktop app, or web mode in your browser when Electron cannot run here.',
    positionals: [],
    options: {
      web: { type: 'boolean', description: 'Use web mode even when the desktop app could run.' },
      'no-open': { type: 'boolean', description: 'Web mode: print the address but do not open a browser.' },
      port: { type: 'string', value: 'P', description: 'Web mode: port to listen on, 0 for any free port (default: 0).' },
      workspace: { type: 'string', value: 'DIR', description: 'Where projects live; the sample project is made here (default: ~/Brrr Studio).' },
      'config-dir': { type: 'string', value: 'DIR', description: 'Settings and recent projects (default: $XDG_CONFIG_HOME/brrr-studio or ~/.config/brrr-studio).' },
    },
    examples: ['npm start', 'brrr start --web --no-open --port 8080'],
    json: false,
  },
  async ({ options }, io) => {
    const port = options.port === undefined ? 0 : portNumber(options.port, NAME);
    const workspaceDir = options.workspace === undefined ? defaultWorkspaceDir(io.env) : resolveFrom(io.cwd, options.workspace);
    const configDir = options['config-dir'] === undefined ? defaultConfigDir(io.env) : resolveFrom(io.cwd, options['config-dir']);
    const root = packageRoot();
    const electron = options.web ? null : findElectronBinary(root, io.env);
    const desktop = electron !== null && hasDisplay(io.env);
    if (electron && !desktop) io.err('brrr: there is no display to open a desktop window on; starting web mode in your browser instead.');
    if (!electron && !options.web) io.err("brrr: Electron's binary is not available on this machine; starting web mode in your browser instead.");
    const sample = await ensureSampleProject(workspaceDir);
    if (sample.created) io.out(`Created the sample project ${sample.folder}`);
    if (electron && desktop) return runDesktop(electron, root, ['--project', sample.folder], io);
    return runWebStudio({ port, workspaceDir, configDir, startupProject: sample.folder, open: options['no-open'] !== true }, io);
  },
);

/** Linux needs an X11 or Wayland display for a window; macOS and Windows always have one. */
function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  return process.platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Runs Electron on the package (its main is dist/electron/main.cjs) until the app quits. */
function runDesktop(electron: string, root: string, appArgs: readonly string[], io: CliIo): Promise<number> {
  if (!existsSync(join(root, 'dist', 'electron', 'main.cjs'))) {
    throw new CliError('the desktop app is not built yet; run npm run build', { code: 'E_NOT_FOUND' });
  }
  const env = { ...io.env };
  delete env.ELECTRON_RUN_AS_NODE; // set, it would make Electron behave as plain Node
  const child = spawn(electron, [root, ...appArgs], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.once('error', (e) => reject(new CliError(`could not start Electron at ${electron}: ${e.message}`)));
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
