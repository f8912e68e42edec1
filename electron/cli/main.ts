/**
 * @file The `brrr` command line: picks the subcommand and turns every outcome into an exit code
 * (0 done, 1 failed, 2 bad command line). Each subcommand lives in `commands/`, one file each;
 * the engine is reached only through `engine.ts`.
 */
import { asksForHelp, type Command } from './command';
import { benchCommand } from './commands/bench';
import { dataCommand } from './commands/data';
import { exportCommand } from './commands/export';
import { newCommand } from './commands/new';
import { predictCommand } from './commands/predict';
import { serveCommand } from './commands/serve';
import { startCommand } from './commands/start';
import { trainCommand } from './commands/train';
import { UsageError } from './errors';
import { formatListingHelp } from './help';
import { processIo, type CliIo } from './io';
import { studioVersion } from './paths';
import { reportFailure } from './report';

/** In the order `brrr --help` lists them. */
const COMMANDS: readonly Command[] = [startCommand, serveCommand, newCommand, trainCommand, exportCommand, predictCommand, dataCommand, benchCommand];

function topHelp(): string {
  return formatListingHelp(
    'brrr - Brrr Studio: draw neural networks, train them on this machine (WebGPU or CPU), export them.',
    'brrr COMMAND [arguments] [options]',
    [...COMMANDS.map((c) => ({ name: c.name, summary: c.summary })), { name: 'help COMMAND', summary: 'Show the help of a command.' }],
    'brrr new mnist-mlp my-digits && brrr train my-digits --epochs 1',
    [
      { name: '    --version', summary: 'Print the version.' },
      { name: '    --debug', summary: 'Print the full stack trace when something fails.' },
    ],
  );
}

/** Runs one command line (the arguments after `brrr`) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const beforeDashes = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
  const debug = beforeDashes.includes('--debug');
  const args = argv[0] === '--debug' ? argv.slice(1) : argv;
  const [name, ...rest] = args;
  const command = COMMANDS.find((c) => c.name === name);
  const json = command !== undefined && command.speaksJson && beforeDashes.includes('--json');
  try {
    if (command) return await command.run(rest, io);
    if (name === undefined || name === '-h' || name === '--help') {
      io.out(topHelp());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      io.out(studioVersion());
      return 0;
    }
    if (name === 'help') return showHelpOf(rest, io);
    if (name.startsWith('-')) throw new UsageError(`unknown option ${name}; see brrr --help`);
    throw new UsageError(`unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')}); see brrr --help`);
  } catch (e) {
    return reportFailure(e, { command: command?.name ?? 'brrr', json, debug }, io);
  }
}

/** `brrr help train` = `brrr train --help`; `brrr help data inspect` = `brrr data inspect --help`. */
async function showHelpOf(names: readonly string[], io: CliIo): Promise<number> {
  const [name, ...sub] = names;
  if (name === undefined || asksForHelp(names)) {
    io.out(topHelp());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command '${name}'; see brrr --help`);
  if (sub.length === 0) {
    io.out(command.help());
    return 0;
  }
  return command.run([...sub, '--help'], io);
}
