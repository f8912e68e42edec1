/** @file The `--port` value: 0 (any free port) or 1-65535. */
import { nonNegativeInteger, seeHelp } from './args';
import { UsageError } from './errors';

export function portNumber(value: string, command: string): number {
  const port = nonNegativeInteger(value, 'port', command);
  if (port > 65535) throw new UsageError(`--port must be at most 65535, not ${port}${seeHelp(command)}`);
  return port;
}
