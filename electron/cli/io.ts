/**
 * @file Where a command's output goes. Commands never touch `process.stdout` directly, so tests
 * can run them in-process and the `--json` contract (one JSON object per line) stays in one place.
 */

export interface CliIo {
  /** One line (or block) for the user on stdout; a newline is added. */
  out(text: string): void;
  /** One line for the user on stderr; a newline is added. */
  err(text: string): void;
  /** One JSON event on stdout, on a single line (the `--json` stream). */
  json(event: { type: string } & Record<string, unknown>): void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The real terminal. */
export function processIo(): CliIo {
  // A reader that goes away (`brrr train --json | head`) is not an error: stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    json: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
    env: process.env,
    cwd: process.cwd(),
  };
}
