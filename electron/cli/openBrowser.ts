/**
 * @file Opens a URL in the default browser (`xdg-open`, `open`, `cmd /c start`). Failing to do so
 * is never fatal: the caller has already printed the URL, so it only warns.
 */
import { spawn } from 'node:child_process';

export function openBrowser(url: string, warn: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', `"${url}"`]]
        : ['xdg-open', [url]];
  const fail = (why: string): void => warn(`brrr: warning: could not open a browser (${why}); open the address above yourself`);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
    child.once('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ENOENT' ? `${command} is not installed` : e.message));
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) fail(`${command} exited with code ${code}`);
    });
    child.unref();
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
}
