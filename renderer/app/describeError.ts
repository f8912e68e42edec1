/** @file Turning anything thrown into one readable sentence for the user: the message, never a stack. */
import { StudioError } from '../../core/contract/studio';

const MAX_DIAGNOSTICS = 3;

export function describeError(error: unknown, doing?: string): string {
  const prefix = doing ? `${doing}: ` : '';
  if (error instanceof StudioError) {
    const details = (error.diagnostics ?? []).slice(0, MAX_DIAGNOSTICS).map((d) => d.message);
    const more = (error.diagnostics?.length ?? 0) > MAX_DIAGNOSTICS ? ` (and ${(error.diagnostics?.length ?? 0) - MAX_DIAGNOSTICS} more)` : '';
    return `${prefix}${error.message}${details.length ? ` ${details.join(' ')}${more}` : ''}`;
  }
  if (error instanceof Error && error.message) return `${prefix}${firstLine(error.message)}`;
  if (typeof error === 'string' && error) return `${prefix}${firstLine(error)}`;
  return `${prefix}something went wrong.`;
}

const firstLine = (text: string): string => text.split('\n', 1)[0] ?? text;
