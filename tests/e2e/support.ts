/**
 * @file Shared by the browser suites: start `node bin/brrr.js serve` on a free port and read the
 * tokened link it prints; serve a test page bundled by esbuild; launch headless Chromium; check
 * the build and the browser are there; open the studio on a project made from a template.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_FILE_NAME } from '../../core/project';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env.BRRR_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const URL_PATTERN = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/;
export const SCREENSHOTS = process.env.BRRR_SCREENSHOTS === '1';

/** Fail early, with what to do, when Chromium or the build is missing. */
export function requireBrowserAndBuild(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is required for the end-to-end tests and was not found at ${CHROMIUM}. Install it (apt-get install chromium) or point BRRR_CHROMIUM at a Chromium binary.`);
  }
  for (const built of ['dist/cli/brrr.mjs', 'dist/renderer/index.html']) {
    if (!existsSync(path.join(REPO_ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before the end-to-end tests.`);
  }
}

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export interface ServedPage {
  origin: string;
  close(): Promise<void>;
}

/**
 * `entry` (a TypeScript module) bundled by esbuild for the browser and served on 127.0.0.1: any
 * path ending in `/page.js` is the bundle, every other path the HTML page that loads it (relative
 * to that path); `headers(url)` adds response headers to both (e.g. cross-origin isolation).
 */
export async function servePageBundle(entry: string, headers: (url: string) => Record<string, string> = () => ({})): Promise<ServedPage> {
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  const script = bundle.outputFiles[0].text;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.endsWith('/page.js')) res.writeHead(200, { 'content-type': 'text/javascript', ...headers(url) }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html', ...headers(url) }).end('<!doctype html><script type="module" src="page.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface StartedServer {
  process: ChildProcess;
  /** The link `brrr serve` printed (with its token). */
  url: Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

export function startServer(workspace: string, configDir: string, extraArgs: string[] = []): StartedServer {
  const child = spawn(process.execPath, ['bin/brrr.js', 'serve', '--port', '0', '--workspace', workspace, '--config-dir', configDir, ...extraArgs], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BROWSER: 'none' },
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`brrr serve printed no URL within 30 s. Output:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = URL_PATTERN.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`brrr serve exited (code ${code}) before printing its URL. Output:\n${output}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  return { process: child, url, output: () => output, stop };
}

export interface TemplateStudio {
  page: Page;
  /** Uncaught errors of the page so far. */
  pageErrors: string[];
  projectDir: string;
  close(): Promise<void>;
}

/**
 * `brrr new TEMPLATE` in a fresh workspace, its dataset options and epochs changed (a short run),
 * `brrr serve --project` on it, and a Chromium page open on the studio.
 */
export async function openTemplateStudio(o: { template: string; name: string; datasetOptions: Record<string, unknown>; epochs: number; viewport: { width: number; height: number } }): Promise<TemplateStudio> {
  requireBrowserAndBuild();
  const workspace = mkdtempSync(path.join(tmpdir(), `brrr-e2e-${o.template}-`));
  const configDir = mkdtempSync(path.join(tmpdir(), `brrr-e2e-${o.template}-config-`));
  const projectDir = path.join(workspace, 'project');
  execFileSync(process.execPath, ['bin/brrr.js', 'new', o.template, projectDir, '--name', o.name], { cwd: REPO_ROOT });
  const file = path.join(projectDir, PROJECT_FILE_NAME);
  const project = JSON.parse(readFileSync(file, 'utf8')) as { training: { epochs: number }; datasets: { options: Record<string, unknown> }[] };
  for (const dataset of project.datasets) Object.assign(dataset.options, o.datasetOptions);
  project.training.epochs = o.epochs;
  writeFileSync(file, JSON.stringify(project, null, 2));
  const server = startServer(workspace, configDir, ['--project', projectDir]);
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await server.stop();
    for (const dir of [workspace, configDir]) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await server.url;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: o.viewport, deviceScaleFactor: 1 });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    return { page, pageErrors, projectDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}
