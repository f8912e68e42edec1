/**
 * @file Runs the built `brrr` command (`node bin/brrr.js ...`) as a user would, with HOME and the
 * config folder pointed at a scratch folder, and collects its exit code and output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../build/ensureBuilt';

export const BRRR = join(repoRoot, 'bin', 'brrr.js');

export interface BrrrResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BrrrOptions {
  cwd: string;
  /** Extra environment; HOME and XDG_CONFIG_HOME default to folders under `cwd`. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function brrrEnv(options: BrrrOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: join(options.cwd, 'home'),
    XDG_CONFIG_HOME: join(options.cwd, 'home', '.config'),
    NO_COLOR: '1',
    ...options.env,
  };
}

export function spawnBrrr(args: readonly string[], options: BrrrOptions, script = BRRR): ChildProcess {
  return spawn(process.execPath, [script, ...args], { cwd: options.cwd, env: brrrEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runBrrr(args: readonly string[], options: BrrrOptions, script = BRRR): Promise<BrrrResult> {
  return new Promise((resolve, reject) => {
    const child = spawnBrrr(args, options, script);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`brrr ${args.join(' ')} did not finish in ${options.timeoutMs ?? 20_000} ms; output so far: ${stdout}${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves with the first stdout line matching `pattern` (web mode prints its address). */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got: ${seen}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`brrr exited with ${code} before printing ${pattern}; got: ${seen}`));
    });
  });
}

/** Sends `signal` and resolves with the exit code. */
export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve(child.exitCode);
      return;
    }
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
