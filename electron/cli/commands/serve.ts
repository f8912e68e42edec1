/** @file `brrr serve`: the studio in a browser (web mode), on 127.0.0.1 with a per-launch token. */
import { defineCommand } from '../command';
import { existingPath } from '../existingPath';
import { defaultConfigDir, defaultWorkspaceDir, resolveFrom } from '../paths';
import { portNumber } from '../portNumber';
import { runWebStudio } from '../webStudio';

const NAME = 'serve';

export const serveCommand = defineCommand(
  {
    name: NAME,
    summary: 'Run the studio in your browser (web mode) on 127.0.0.1.',
    positionals: [],
    options: {
      port: { type: 'string', value: 'P', description: 'Port to listen on, 1-65535, or 0 for any free port (default: 0).' },
      open: { type: 'boolean', description: 'Open the studio in the default browser.' },
      workspace: { type: 'string', value: 'DIR', description: 'Where new projects go (default: ~/Brrr Studio).' },
      'config-dir': { type: 'string', value: 'DIR', description: 'Settings and recent projects (default: $XDG_CONFIG_HOME/brrr-studio or ~/.config/brrr-studio).' },
      project: { type: 'string', value: 'PATH', description: 'A project folder or file to open at start.' },
    },
    examples: ['brrr serve --open', 'brrr serve --port 8080 --project "~/Brrr Studio/Sample - MNIST MLP"'],
    json: false,
  },
  async ({ options }, io) => {
    const port = options.port === undefined ? 0 : portNumber(options.port, NAME);
    const workspaceDir = options.workspace === undefined ? defaultWorkspaceDir(io.env) : resolveFrom(io.cwd, options.workspace);
    const configDir = options['config-dir'] === undefined ? defaultConfigDir(io.env) : resolveFrom(io.cwd, options['config-dir']);
    const startupProject = options.project === undefined ? null : await existingPath(io.cwd, options.project, 'any');
    return runWebStudio({ port, workspaceDir, configDir, startupProject, open: options.open === true }, io);
  },
);
