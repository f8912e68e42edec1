/**
 * @file Argument parsing on top of `node:util` `parseArgs`, with every failure turned into one
 * usage line (`unknown option --x for 'train'; see brrr train --help`), plus the value checks
 * commands share (positive integers, one of a set, required options).
 */
import { parseArgs } from 'node:util';
import type { CommandSpec, OptionSpec, OptionSpecs, OptionValues, ParsedArgs } from './command';
import { UsageError } from './errors';

/** Options every command accepts; `main` and `defineCommand` act on them before parsing. */
export const COMMON_OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
  debug: { type: 'boolean', description: 'Print the full stack trace when something fails.' },
};

/** `; see brrr train --help` */
export function seeHelp(command: string): string {
  return `; see brrr ${command} --help`;
}

export function parseCommandArgs<O extends OptionSpecs>(spec: CommandSpec<O>, argv: readonly string[]): ParsedArgs<O> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, option] of Object.entries<OptionSpec>({ ...spec.options, ...COMMON_OPTIONS })) {
    options[name] = option.short ? { type: option.type, short: option.short } : { type: option.type };
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(describeParseFailure(e, spec.name));
  }
  const required = spec.positionals.filter((p) => !p.optional);
  if (parsed.positionals.length > spec.positionals.length) {
    const extra = parsed.positionals[spec.positionals.length];
    throw new UsageError(`unexpected argument '${extra}' for '${spec.name}'${seeHelp(spec.name)}`);
  }
  if (parsed.positionals.length < required.length) {
    const missing = required[parsed.positionals.length];
    throw new UsageError(`missing ${missing?.name ?? 'argument'} for '${spec.name}'${seeHelp(spec.name)}`);
  }
  return { positionals: parsed.positionals, options: parsed.values as OptionValues<O> };
}

/** Turns a `parseArgs` error into our one-line form; the option is quoted in Node's message. */
function describeParseFailure(e: unknown, command: string): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option} for '${command}'${seeHelp(command)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument')
        ? `option ${option} for '${command}' takes no value${seeHelp(command)}`
        : `option ${option} for '${command}' needs a value${seeHelp(command)}`;
    default:
      return `${message.split('\n')[0]} ('${command}')${seeHelp(command)}`;
  }
}

/** `--epochs 3` → 3; anything but a whole number from 1 up is a usage error. */
export function positiveInteger(value: string, option: string, command: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--${option} must be a positive whole number, not '${value}'${seeHelp(command)}`);
  }
  return n;
}

/** Like `positiveInteger`, but 0 is allowed (seeds, ports meaning "any free one"). */
export function nonNegativeInteger(value: string, option: string, command: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(`--${option} must be a whole number from 0 up, not '${value}'${seeHelp(command)}`);
  }
  return n;
}

/** `--backend cpu` → 'cpu' when it is one of `choices`. */
export function oneOf<const C extends readonly string[]>(value: string, choices: C, option: string, command: string): C[number] {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} must be one of ${choices.join(', ')}, not '${value}'${seeHelp(command)}`);
  }
  return value as C[number];
}

/** A string option the command cannot do without. */
export function requireOption(value: string | undefined, option: string, command: string): string {
  if (value === undefined || value === '') throw new UsageError(`'${command}' needs --${option}${seeHelp(command)}`);
  return value;
}
