/**
 * @file `--help` text, built from the same specs the parser uses, so help and behaviour cannot
 * drift apart: usage, arguments, options and an example for every command.
 */
import { COMMON_OPTIONS } from './args';
import type { CommandSpec, OptionSpec, OptionSpecs } from './command';

/** Where descriptions start, and the width they wrap at. */
const COLUMN = 24;
const WIDTH = 100;

function row(left: string, right: string): string {
  const indent = ' '.repeat(COLUMN + 2);
  const lines = wrap(right, WIDTH - indent.length);
  const head = left.length + 2 > COLUMN ? `  ${left}\n${indent}` : `  ${left.padEnd(COLUMN)}`;
  return head + lines.join(`\n${indent}`);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

function optionLabel(name: string, option: OptionSpec): string {
  const long = option.type === 'string' ? `--${name} ${option.value ?? 'VALUE'}` : `--${name}`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
}

function usageLine(spec: CommandSpec<OptionSpecs>): string {
  const positionals = spec.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name));
  return ['brrr', spec.name, ...positionals, '[options]'].join(' ');
}

export function formatCommandHelp(spec: CommandSpec<OptionSpecs>): string {
  const lines = [`brrr ${spec.name} - ${spec.summary}`, '', 'Usage:', `  ${usageLine(spec)}`];
  if (spec.positionals.length > 0) {
    lines.push('', 'Arguments:', ...spec.positionals.map((p) => row(p.name, p.description)));
  }
  const options: OptionSpecs = { ...spec.options, ...COMMON_OPTIONS };
  lines.push('', 'Options:', ...Object.entries(options).map(([name, option]) => row(optionLabel(name, option), option.description)));
  lines.push('', spec.examples.length > 1 ? 'Examples:' : 'Example:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export interface CommandListing {
  name: string;
  summary: string;
}

/** Help for a command that only groups subcommands (`brrr data`) or for `brrr` itself. */
export function formatListingHelp(title: string, usage: string, commands: readonly CommandListing[], example: string, moreOptions: readonly CommandListing[] = []): string {
  return [
    title,
    '',
    'Usage:',
    `  ${usage}`,
    '',
    'Commands:',
    ...commands.map((c) => row(c.name, c.summary)),
    '',
    'Options:',
    row('-h, --help', 'Show this help (also after any command: brrr train --help).'),
    ...moreOptions.map((o) => row(o.name, o.summary)),
    '',
    'Example:',
    `  ${example}`,
  ].join('\n');
}
