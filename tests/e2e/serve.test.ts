/**
 * @file End to end, web mode: `brrr serve` on a free port, a real Chromium opens the printed link,
 * creates a project from the mnist-mlp template, moves a node, saves from the menu; the file on
 * disk is a valid project with the new position and no temp file is left. Set BRRR_SCREENSHOTS=1
 * to also refresh docs/screenshot.png and docs/start-screen.png.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProjectText, PROJECT_FILE_NAME } from '../../core/project';
import { findTemplate, templateInfos } from '../../core/templates';
import { launchChromium, REPO_ROOT, requireBrowserAndBuild, SCREENSHOTS, startServer, URL_PATTERN, type StartedServer } from './support';

const VIEWPORT = { width: 1280, height: 800 };

describe('brrr serve, driven by Chromium', () => {
  let workspace = '';
  let configDir = '';
  let server: StartedServer | null = null;
  let serverOutput = '';
  let studioUrl = '';
  let browser: Browser | null = null;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    requireBrowserAndBuild();
    workspace = mkdtempSync(path.join(tmpdir(), 'brrr-e2e-workspace-'));
    configDir = mkdtempSync(path.join(tmpdir(), 'brrr-e2e-config-'));
    const started = startServer(workspace, configDir);
    server = started;
    studioUrl = await started.url;
    serverOutput = started.output();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const dir of [workspace, configDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates a project from a template, moves a node, saves from the menu, and the file on disk has the move', async () => {
    expect(studioUrl, serverOutput).toMatch(URL_PATTERN);
    await page.goto(studioUrl);

    // Start screen; the token has left the address bar.
    await page.getByTestId('start-screen').waitFor();
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    // Every template the core offers is on the start screen, enabled exactly when it is available.
    for (const template of templateInfos()) {
      await expect(page.getByTestId(`template-${template.name}`).isDisabled()).resolves.toBe(!template.available);
    }
    await page.getByTestId('template-mnist-mlp').click();
    await page.getByTestId('new-project-name').fill('E2E Project');
    if (SCREENSHOTS) await page.screenshot({ path: path.join(REPO_ROOT, 'docs/start-screen.png') });
    await page.getByTestId('create-project').click();

    // Editor with every layer of the template drawn.
    await page.getByTestId('editor').waitFor();
    const nodes = page.getByTestId('canvas').locator('.react-flow__node');
    const templateNodes = findTemplate('mnist-mlp')!.build('E2E Project').networks[0].nodes.length;
    await expect.poll(() => nodes.count(), { timeout: 10_000 }).toBe(templateNodes);
    await expect(page.getByTestId('dirty-indicator').getAttribute('data-dirty')).resolves.toBe('false');
    await expect(page.getByTestId('status').textContent()).resolves.toContain(`${templateNodes} layers`);
    if (SCREENSHOTS) {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(REPO_ROOT, 'docs/screenshot.png') });
    }

    // Drag the ReLU node down.
    const movedId = findTemplate('mnist-mlp')!.build('E2E Project').networks[0].nodes[1].id;
    const relu = page.locator(`.react-flow__node[data-id="${movedId}"]`);
    const before = await flowPosition(relu);
    const box = await relu.boundingBox();
    if (!box) throw new Error('the relu node has no box on screen');
    const grab = { x: box.x + box.width / 2, y: box.y + 14 };
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    await page.mouse.move(grab.x + 40, grab.y + 140, { steps: 12 });
    await page.mouse.up();
    const after = await flowPosition(relu);
    expect(after.y).toBeGreaterThan(before.y + 50);
    await expect.poll(() => page.getByTestId('dirty-indicator').getAttribute('data-dirty')).toBe('true');

    // Save through the in-app menu (web mode has no native menu).
    await page.getByTestId('menu-file').click();
    await page.getByTestId('menu-save').click();
    await expect.poll(() => page.getByTestId('dirty-indicator').getAttribute('data-dirty')).toBe('false');
    await expect(page.getByTestId('status').textContent()).resolves.toMatch(/Saved at/);

    const folder = path.join(workspace, 'e2e-project');
    const file = path.join(folder, PROJECT_FILE_NAME);
    expect(existsSync(file), `expected ${file}; the workspace holds ${readdirSync(workspace).join(', ')}`).toBe(true);
    const parsed = parseProjectText(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) throw new Error(`the saved project does not parse: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
    expect(parsed.project.name).toBe('E2E Project');
    const saved = parsed.project.networks[0]?.nodes.find((n) => n.id === movedId);
    expect(saved?.position).toEqual(after);
    expect(readdirSync(folder).filter((name) => name.startsWith('.brrr-tmp-') || /\.tmp$|~$/.test(name))).toEqual([]);
  });

  it('keeps working after a reload (the token is gone from the address; the server cookie stands in) and lists the project as recent', async () => {
    await page.reload();
    await page.getByTestId('start-screen').waitFor();
    await expect.poll(() => page.getByTestId('recent-projects').textContent()).toContain('E2E Project');
    await expect.poll(() => page.getByTestId('workspace-projects').textContent()).toContain('E2E Project');
  });

  it('logged no errors in the page console', () => {
    expect(consoleErrors).toEqual([]);
  });
});

/** The node's position in flow coordinates, read from the transform React Flow renders. */
async function flowPosition(node: ReturnType<Page['locator']>): Promise<{ x: number; y: number }> {
  const transform = await node.evaluate((element) => (element as HTMLElement).style.transform);
  const match = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
  if (!match) throw new Error(`unexpected node transform "${transform}"`);
  return { x: Number(match[1]), y: Number(match[2]) };
}
