/**
 * @file How a failure reaches the user: one line `brrr: ...` on stderr (or one
 * `{"type":"error",...}` line on stdout with `--json`) and an exit code; the stack trace only with
 * `--debug`. Errors from the services keep their one-line message; anything unexpected is
 * called an internal error, never dumped.
 */
import { toReplyError } from '../services/dispatch';
import { CliError } from './errors';
import type { CliIo } from './io';

export interface ReportContext {
  /** What was being run, for the internal-error line: `train`, `data inspect`, or `brrr`. */
  command: string;
  json: boolean;
  debug: boolean;
}

/** Prints the failure and returns the exit code. */
export function reportFailure(e: unknown, context: ReportContext, io: CliIo): number {
  let message: string;
  let exitCode = 1;
  let details: Record<string, unknown> = {};
  if (e instanceof CliError) {
    message = e.message;
    exitCode = e.exitCode;
    details = e.details;
  } else {
    const reply = toReplyError(e, context.command);
    if (reply.code === 'E_INTERNAL') {
      const detail = e instanceof Error ? e.message : String(e);
      message = `internal error in '${context.command}': ${firstLine(detail)}${context.debug ? '' : ' (run again with --debug for the details)'}`;
    } else {
      message = sentenceToClause(reply.message);
    }
    details = reply.diagnostics ? { code: reply.code, diagnostics: reply.diagnostics } : { code: reply.code };
  }
  if (context.json) io.json({ type: 'error', message, exitCode, ...details });
  else io.err(`brrr: ${message}`);
  if (context.debug && e instanceof Error && e.stack) io.err(e.stack);
  return exitCode;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() || 'no details';
}

/** `Cannot open x: y.` → `cannot open x: y`, to read well after `brrr: `. */
function sentenceToClause(text: string): string {
  const line = firstLine(text).replace(/\.$/, '');
  return /^[A-Z][a-z]/.test(line) ? line[0]?.toLowerCase() + line.slice(1) : line;
}
