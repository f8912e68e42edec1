/**
 * @file What a `brrr` subcommand is: a spec (name, arguments, options, example) that drives both
 * argument parsing and `--help`, plus a `run` that does the work. A command module exports one
 * `Command`; `main.ts` holds the table.
 */
import { parseCommandArgs, seeHelp } from './args';
import { UsageError } from './errors';
import { formatCommandHelp, formatListingHelp } from './help';
import type { CliIo } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in help, for string options: `--epochs N`. */
  value?: string;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** Parsed option values, typed by the spec: boolean options give booleans, the rest strings. */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** As typed after `brrr`: `train`, or `data inspect` for a subcommand. */
  name: string;
  summary: string;
  positionals: readonly PositionalSpec[];
  options: O;
  /** At least one, shown under "Example". */
  examples: readonly [string, ...string[]];
  /** The command has a `--json` option; with it, its errors too are JSON lines on stdout. */
  json: boolean;
}

export interface ParsedArgs<O extends OptionSpecs> {
  positionals: string[];
  options: OptionValues<O>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Whether `--json` switches this command's errors to JSON lines. */
  readonly speaksJson: boolean;
  /** Full help text, printed by `--help`. */
  help(): string;
  /** Runs with the arguments after the command name; handles its own `--help`. Returns the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** True when `-h`/`--help` appears before any `--`. */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '-h' || arg === '--help') return true;
  }
  return false;
}

/** A leaf command: parse and validate with the spec, then hand typed values to `run`. */
export function defineCommand<O extends OptionSpecs>(spec: CommandSpec<O>, run: (args: ParsedArgs<O>, io: CliIo) => Promise<number>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    speaksJson: spec.json,
    help: () => formatCommandHelp(spec),
    run: async (argv, io) => {
      if (asksForHelp(argv)) {
        io.out(formatCommandHelp(spec));
        return 0;
      }
      return run(parseCommandArgs(spec, argv), io);
    },
  };
}

/** A command that only groups subcommands: `brrr data inspect ...`. */
export function defineGroup(group: { name: string; summary: string; subcommands: readonly Command[]; example: string }): Command {
  const short = (c: Command): string => c.name.slice(group.name.length + 1);
  const help = (): string =>
    formatListingHelp(
      `brrr ${group.name} - ${group.summary}`,
      `brrr ${group.name} COMMAND [options]`,
      group.subcommands.map((c) => ({ name: short(c), summary: c.summary })),
      group.example,
    );
  const names = group.subcommands.map(short).join(', ');
  return {
    name: group.name,
    summary: group.summary,
    speaksJson: group.subcommands.some((c) => c.speaksJson),
    help,
    run: async (argv, io) => {
      const [first, ...rest] = argv;
      if (first === undefined || first === '-h' || first === '--help') {
        if (first === undefined) throw new UsageError(`'${group.name}' needs a command (${names})${seeHelp(group.name)}`);
        io.out(help());
        return 0;
      }
      const sub = group.subcommands.find((c) => short(c) === first);
      if (!sub) {
        const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command '${first}'`;
        throw new UsageError(`${what} for '${group.name}' (commands: ${names})${seeHelp(group.name)}`);
      }
      return sub.run(rest, io);
    },
  };
}
