/**
 * @file The two ways a `brrr` command fails on purpose: a usage error (exit 2: the command line
 * itself is wrong) and a plain error (exit 1: the command line is fine, the work cannot be done).
 * Both carry one line a person can act on; anything else that escapes is an internal error.
 */

/** Extra machine-readable facts an error carries into `--json` output. */
export type ErrorDetails = Record<string, unknown>;

/** The work could not be done: a missing file, a broken project, an engine failure. Exit 1. */
export class CliError extends Error {
  readonly exitCode: number = 1;
  constructor(
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line is wrong: an unknown command or option, a bad or missing value. Exit 2. */
export class UsageError extends CliError {
  override readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Honest refusal for a command whose engine is not wired into this build yet. */
export function notAvailableYet(command: string): CliError {
  return new CliError(`'${command}' is not available in this build yet`, { code: 'E_UNAVAILABLE', command });
}
