/** @file `brrr new TEMPLATE DIR`: a new project folder from a template, written atomically. */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { PROJECT_FILE_NAME } from '../../../core/project';
import { templateInfos } from '../../../core/templates';
import { seeHelp } from '../args';
import { defineCommand } from '../command';
import { CliError, UsageError } from '../errors';
import { resolveFrom } from '../paths';
import { createProjectStore } from '../../services/projectStore';

const NAME = 'new';

function templateList(): string {
  return templateInfos()
    .map((t) => (t.available ? t.name : `${t.name} (not available yet)`))
    .join(', ');
}

export const newCommand = defineCommand(
  {
    name: NAME,
    summary: 'Create a project folder from a template.',
    positionals: [
      { name: 'TEMPLATE', description: `One of: ${templateList()}.` },
      { name: 'DIR', description: 'The project folder to create; it must not exist yet or be empty.' },
    ],
    options: {
      name: { type: 'string', value: 'NAME', description: "The project's name (default: the folder's name)." },
    },
    examples: ['brrr new mnist-mlp my-digits', 'brrr new neuron ~/experiments/neuron --name "First neuron"'],
    json: false,
  },
  async ({ positionals: [template = '', dirArg = ''], options }, io) => {
    const info = templateInfos().find((t) => t.name === template);
    if (!info) throw new UsageError(`there is no template named '${template}'; known templates: ${templateList()}${seeHelp(NAME)}`);
    if (!info.available) throw new CliError(`the template '${template}' is not available yet in this version; available now: ${availableList()}`, { code: 'E_UNAVAILABLE' });
    const dir = resolveFrom(io.cwd, dirArg);
    await refuseNonEmpty(dir);
    const name = options.name?.trim() || basename(dir);
    const created = await createProjectStore({ workspaceDir: io.cwd }).create(template, name, dir);
    const shown = relative(io.cwd, created.path) || '.';
    io.out(`Created ${join(created.path, PROJECT_FILE_NAME)} from the template '${template}'.`);
    io.out(`Next: brrr train ${quoteIfNeeded(shown)}   (or open the folder in the studio: npm start)`);
    return 0;
  },
);

function availableList(): string {
  return templateInfos()
    .filter((t) => t.available)
    .map((t) => t.name)
    .join(', ');
}

/** A new project goes into a fresh or empty folder only; nothing already there is touched. */
async function refuseNonEmpty(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new CliError(`cannot create a project at ${dir}: it is a file`, { code: 'E_IO' });
  const entries = await readdir(dir);
  if (entries.length > 0) {
    throw new CliError(`refusing to create a project in ${dir}: the folder is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); pick a new folder`, { code: 'E_IO' });
  }
}

function quoteIfNeeded(path: string): string {
  return /^[\w./~-]+$/.test(path) ? path : `"${path}"`;
}
