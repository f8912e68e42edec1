/**
 * @file The `brrr` command-line contract, checked by running the built command as a user would:
 * help on every command, exit codes (0 done, 1 failed, 2 bad command line), one-line errors with
 * no stack trace, `--json` errors, `new`, project validation, `serve` and `start` in web mode.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_FILE_NAME, parseProjectText } from '../../core/project';
import { templateInfos } from '../../core/templates';
import { ensureBuilt, repoRoot } from '../build/ensureBuilt';
import { runBrrr, spawnBrrr, stop, waitForLine, type BrrrResult } from './runBrrr';

let scratch: string;
const run = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<BrrrResult> => runBrrr(args, env ? { cwd: scratch, env } : { cwd: scratch });

/** Exactly one line on stderr, naming brrr, with no stack frames. */
function expectOneErrorLine(result: BrrrResult): string {
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^brrr: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return lines[0] as string;
}

beforeAll(async () => {
  await ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'brrr-cli-'));
  mkdirSync(join(scratch, 'home'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.concurrent('help', () => {
  const commands: Array<[string[], string[]]> = [
    [['start'], ['--web', '--no-open', '--port', '--workspace', '--config-dir']],
    [['serve'], ['--port', '--open', '--workspace', '--config-dir', '--project']],
    [['new'], ['TEMPLATE', 'DIR', '--name', 'mnist-mlp']],
    [['train'], ['PROJECT', '--epochs', '--backend', '--seed', '--kfold', '--resume', '--json']],
    [['export'], ['PROJECT', '--format', '--out', 'safetensors', 'onnx', 'pytorch']],
    [['predict'], ['PROJECT', '--input', '--json']],
    [['data'], ['inspect']],
    [['data', 'inspect'], ['PATH', '--json']],
    [['bench'], ['--json']],
  ];

  it.each(commands)('brrr %s --help prints usage, options and an example', async (command, mentions) => {
    const result = await run([...command, '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`brrr ${command.join(' ')}`);
    expect(result.stdout).toMatch(/Usage:/);
    expect(result.stdout).toMatch(/Examples?:\n {2}\S/);
    for (const word of mentions) expect(result.stdout).toContain(word);
  });

  it('-h is --help, and help wins over bad arguments', async () => {
    const long = await run(['data', 'inspect', '--help']);
    const short = await run(['data', 'inspect', 'x', '--bogus', '-h']);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(long.stdout);
  });

  it('brrr --help lists every command; help COMMAND and --version work', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['start', 'serve', 'new', 'train', 'export', 'predict', 'data', 'bench']) expect(top.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    const viaHelp = await run(['help', 'train']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toContain('--epochs');
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe.concurrent('bad command lines exit 2 with one line', () => {
  it('names an unknown option and the command', async () => {
    const result = await run(['train', 'x', '--x']);
    expect(result.code).toBe(2);
    expect(expectOneErrorLine(result)).toBe("brrr: unknown option --x for 'train'; see brrr train --help");
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frobnicate'], /unknown option --frobnicate/],
    [['train'], /missing PROJECT for 'train'/],
    [['train', 'p', '--epochs', '0'], /--epochs must be a positive whole number, not '0'/],
    [['train', 'p', '--epochs', '2.5'], /--epochs must be a positive whole number/],
    [['train', 'p', '--epochs'], /option --epochs for 'train' needs a value/],
    [['train', 'p', '--backend', 'tpu'], /--backend must be one of auto, cpu, webgpu, not 'tpu'/],
    [['train', 'p', '--kfold', '1'], /--kfold needs at least 2 folds/],
    [['train', 'p', 'q'], /unexpected argument 'q' for 'train'/],
    [['export', 'p', '--out', 'x.onnx'], /'export' needs --format/],
    [['export', 'p', '--format', 'tflite', '--out', 'x'], /--format must be one of safetensors, onnx, pytorch/],
    [['predict', 'p'], /'predict' needs --input/],
    [['data'], /'data' needs a command \(inspect\)/],
    [['data', 'explode'], /unknown command 'explode' for 'data'/],
    [['bench', '--fast'], /unknown option --fast for 'bench'/],
    [['serve', '--port', '70000'], /--port must be at most 65535/],
    [['new', 'no-such-template', 'dir'], /no template named 'no-such-template'; known templates: .*mnist-mlp/],
  ])('brrr %j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(expectOneErrorLine(result)).toMatch(message);
    expect(result.stdout).toBe('');
  });
});

describe('brrr new', () => {
  it('creates a project folder whose file parses', async () => {
    const result = await run(['new', 'mnist-mlp', 'digits']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(join(scratch, 'digits', PROJECT_FILE_NAME));
    const parsed = parseProjectText(readFileSync(join(scratch, 'digits', PROJECT_FILE_NAME), 'utf8'));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.project.name).toBe('digits');
  });

  it('takes --name and creates missing parent folders', async () => {
    const result = await run(['new', 'neuron', 'nested/deeper/neuron', '--name', 'First neuron']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = parseProjectText(readFileSync(join(scratch, 'nested/deeper/neuron', PROJECT_FILE_NAME), 'utf8'));
    expect(parsed.ok && parsed.project.name).toBe('First neuron');
  });

  it('refuses a folder that is not empty and leaves it alone', async () => {
    const dir = join(scratch, 'occupied');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const result = await run(['new', 'mnist-mlp', 'occupied']);
    expect(result.code).toBe(1);
    expect(expectOneErrorLine(result)).toMatch(/not empty/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(() => readFileSync(join(dir, PROJECT_FILE_NAME))).toThrow();
  });

  it.each(templateInfos().map((t) => [t.name, t.available] as const))('new %s: creates the project when the template is available (%s), else says it is not available yet', async (name, available) => {
    const result = await run(['new', name, `from-${name}`]);
    if (available) {
      expect(result.code, result.stderr).toBe(0);
      const parsed = parseProjectText(readFileSync(join(scratch, `from-${name}`, PROJECT_FILE_NAME), 'utf8'));
      expect(parsed.ok).toBe(true);
    } else {
      expect(result.code).toBe(1);
      expect(expectOneErrorLine(result)).toMatch(new RegExp(`'${name}' is not available yet`));
    }
  });
});

describe('project validation (train, export, predict)', () => {
  function writeProject(name: string, text: string): string {
    const dir = join(scratch, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, PROJECT_FILE_NAME), text);
    return join(dir, PROJECT_FILE_NAME);
  }

  it('names the file and the problem for a file that is not JSON', async () => {
    const file = writeProject('broken-json', '{ "format": "brrr-project", ');
    const result = await run(['train', 'broken-json']);
    expect(result.code).toBe(1);
    const line = expectOneErrorLine(result);
    expect(line).toContain(file);
    expect(line).toMatch(/not valid JSON/);
  });

  it('names the file and the place in it for a schema problem', async () => {
    const file = writeProject('broken-schema', JSON.stringify({ format: 'brrr-project', version: 1, name: 'x', networks: 'none', training: {} }));
    const result = await run(['train', file, '--epochs', '2']);
    expect(result.code).toBe(1);
    const line = expectOneErrorLine(result);
    expect(line).toContain(file);
    expect(line).toMatch(/networks: /);
  });

  it('reports a missing project', async () => {
    const result = await run(['train', 'nowhere']);
    expect(result.code).toBe(1);
    expect(expectOneErrorLine(result)).toContain(join(scratch, 'nowhere'));
  });

  it('hands a valid project to the engine (training itself is covered by train.test.ts)', async () => {
    await run(['new', 'neuron', 'ok']);
    const result = await run(['train', 'ok', '--epochs', '1', '--backend', 'cpu', '--seed', '0', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const last = JSON.parse(result.stdout.trimEnd().split('\n').at(-1) as string) as { type: string };
    expect(last.type).toBe('done');
  });

  it('checks the other engine commands the same way', async () => {
    await run(['new', 'neuron', 'ok2']);
    writeFileSync(join(scratch, 'input.csv'), '1,2\n');
    writeFileSync(join(scratch, 'input3.csv'), '1,2,3\n');
    const cases: Array<[string[], RegExp]> = [
      [['export', 'ok2', '--format', 'onnx', '--out', 'model.onnx', '--run', 'nope'], /Run "nope" is not in /],
      [['export', 'ok2', '--format', 'onnx', '--out', 'no/such/folder/model.onnx'], /the folder .* does not exist/],
      [['predict', 'ok2', '--input', 'input3.csv'], /input3\.csv, line 1: 3 values, the model reads 2 per example/],
      [['predict', 'ok2', '--input', 'missing.csv'], /missing\.csv: no such file or folder/],
      [['data', 'inspect', 'input.csv'], /input\.csv has no data rows/],
      [['data', 'inspect', 'missing'], /no such file or folder/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(expectOneErrorLine(result)).toMatch(message);
    }
  });
});

describe('--json', () => {
  function oneJsonLine(result: BrrrResult): Record<string, unknown> {
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines, result.stdout).toHaveLength(1);
    return JSON.parse(lines[0] as string) as Record<string, unknown>;
  }

  it('prints errors as one JSON line on stdout, with the exit code', async () => {
    writeFileSync(join(scratch, PROJECT_FILE_NAME), '[]');
    const cases: Array<[string[], number, RegExp]> = [
      [['train', 'nowhere', '--json'], 1, /no project at/],
      [['train', PROJECT_FILE_NAME, '--json'], 1, /project file must hold a JSON object/],
      [['train', 'p', '--json', '--epochs', 'x'], 2, /--epochs must be a positive whole number/],
      [['train', 'p', '--json', '--bogus'], 2, /unknown option --bogus for 'train'/],
      [['predict', 'p', '--json'], 2, /'predict' needs --input/],
      [['data', 'inspect', 'missing', '--json'], 1, /no such file or folder/],
      [['bench', '--json', '--rounds', '3'], 2, /unknown option --rounds for 'bench'/],
    ];
    for (const [args, code, message] of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(code);
      const event = oneJsonLine(result);
      expect(event.type).toBe('error');
      expect(event.message).toMatch(message);
      expect(result.stderr).toBe('');
    }
  });

  it('carries the diagnostics of a broken project', async () => {
    const result = await run(['train', PROJECT_FILE_NAME, '--json']);
    const event = oneJsonLine(result);
    expect(event.code).toBe('E_PROJECT_INVALID');
    expect(Array.isArray(event.diagnostics)).toBe(true);
  });
});

describe('bin/brrr.js before a build', () => {
  it('says to build first, in one line, exit 1', async () => {
    const fakeRoot = join(scratch, 'unbuilt');
    mkdirSync(join(fakeRoot, 'bin'), { recursive: true });
    copyFileSync(join(repoRoot, 'bin', 'brrr.js'), join(fakeRoot, 'bin', 'brrr.js'));
    const result = await runBrrr(['--help'], { cwd: scratch }, join(fakeRoot, 'bin', 'brrr.js'));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('brrr: the studio is not built yet; run npm run build\n');
  });
});

describe('start and serve', () => {
  const URL_LINE = /Brrr Studio \(web mode\) at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=\S+)\n/;

  it('brrr serve prints its address, serves the studio and stops cleanly on SIGTERM', async () => {
    const child = spawnBrrr(['serve', '--port', '0', '--workspace', 'ws', '--config-dir', 'cfg'], { cwd: scratch });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const [, url] = await waitForLine(child, URL_LINE);
      const page = await fetch(url as string);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    } finally {
      expect(await stop(child, 'SIGTERM'), stderr).toBe(0);
    }
    expect(stderr).toBe('brrr: stopped (SIGTERM).\n');
  });

  it('brrr start without Electron says so in one line, makes the sample project once and serves it', async () => {
    const env = { ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron-here') };
    const sampleFile = join(scratch, 'ws-start', 'Sample - MNIST MLP', PROJECT_FILE_NAME);
    const first = spawnBrrr(['start', '--no-open', '--workspace', 'ws-start'], { cwd: scratch, env });
    let stderr = '';
    first.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitForLine(first, URL_LINE);
    } finally {
      expect(await stop(first, 'SIGINT'), stderr).toBe(0);
    }
    expect(stderr.split('\n')[0]).toBe("brrr: Electron's binary is not available on this machine; starting web mode in your browser instead.");
    const created = parseProjectText(readFileSync(sampleFile, 'utf8'));
    expect(created.ok && created.project.training.datasetId).toBe('mnist');

    // A second start keeps the user's edits to the sample project.
    const edited = readFileSync(sampleFile, 'utf8').replace('"epochs": 3', '"epochs": 7');
    writeFileSync(sampleFile, edited);
    const second = spawnBrrr(['start', '--no-open', '--workspace', 'ws-start'], { cwd: scratch, env });
    try {
      await waitForLine(second, URL_LINE);
    } finally {
      expect(await stop(second, 'SIGTERM')).toBe(0);
    }
    expect(readFileSync(sampleFile, 'utf8')).toBe(edited);
  });

  /** A stand-in Electron distribution: an `electron` script that records its arguments. */
  function fakeElectron(name: string): { dist: string; argsFile: string } {
    const dist = join(scratch, name);
    mkdirSync(dist, { recursive: true });
    const argsFile = join(dist, 'args.txt');
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`);
    chmodSync(join(dist, 'electron'), 0o755);
    return { dist, argsFile };
  }

  it.runIf(process.platform === 'linux')('brrr start runs an available Electron on the package with the sample project', async () => {
    const { dist, argsFile } = fakeElectron('electron-dist');
    const result = await run(['start', '--workspace', 'ws-desktop'], { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: ':99' });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(argsFile, 'utf8').split('\n').filter(Boolean)).toEqual([repoRoot.replace(/\/$/, ''), '--project', join(scratch, 'ws-desktop', 'Sample - MNIST MLP')]);
  });

  it.runIf(process.platform === 'linux')('brrr start falls back to web mode when there is no display for a window', async () => {
    const { dist, argsFile } = fakeElectron('electron-dist-headless');
    const child = spawnBrrr(['start', '--no-open', '--workspace', 'ws-headless'], { cwd: scratch, env: { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: '', WAYLAND_DISPLAY: '' } });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitForLine(child, URL_LINE);
    } finally {
      expect(await stop(child), stderr).toBe(0);
    }
    expect(stderr.split('\n')[0]).toMatch(/^brrr: there is no display to open a desktop window on; starting web mode/);
    expect(existsSync(argsFile)).toBe(false);
  });
});
