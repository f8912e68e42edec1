/**
 * @file End to end, web mode: `brrr serve` plus headless Chromium build a small CNN for MNIST by
 * dragging layers from the palette and connecting ports with the mouse; the shape error on the
 * Dense (a 4-D tensor) appears, its one-click fix inserts Flatten and clears it; undo and redo
 * walk across several edits; the saved file matches the canvas, also after a reload and reopen;
 * unsaved work is autosaved to a recovery file and offered back after the page is left.
 * BRRR_SCREENSHOTS=1 refreshes docs/editor.png and docs/editor-inspector.png.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProjectText, PROJECT_FILE_NAME, type Network } from '../../core/project';
import { launchChromium, REPO_ROOT, requireBrowserAndBuild, SCREENSHOTS, startServer, type StartedServer } from './support';

const VIEWPORT = { width: 1280, height: 800 };

describe('the editor, driven by Chromium against brrr serve', () => {
  let workspace = '';
  let configDir = '';
  let server: StartedServer | null = null;
  let studioUrl = '';
  let browser: Browser | null = null;
  let page: Page;
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    requireBrowserAndBuild();
    workspace = mkdtempSync(path.join(tmpdir(), 'brrr-e2e-editor-ws-'));
    configDir = mkdtempSync(path.join(tmpdir(), 'brrr-e2e-editor-config-'));
    const started = startServer(workspace, configDir);
    server = started;
    studioUrl = await started.url;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(studioUrl).origin });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const dir of [workspace, configDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const canvas = (): Locator => page.getByTestId('canvas');
  const layerNodes = (): Locator => canvas().locator('.react-flow__node-layer');
  const edges = (): Locator => canvas().locator('.react-flow__edge');
  const node = (id: string): Locator => canvas().locator(`.react-flow__node[data-id="${id}"]`);
  const key = async (combo: string): Promise<void> => page.keyboard.press(combo);
  const folder = (): string => path.join(workspace, 'mnist-cnn');

  it('builds a CNN by drag and drop, shows and fixes the Dense shape error, undoes and redoes, saves the canvas exactly', async () => {
    await page.goto(studioUrl);
    await page.getByTestId('template-neuron').click();
    await page.getByTestId('new-project-name').fill('MNIST CNN');
    await page.getByTestId('create-project').click();
    await page.getByTestId('editor').waitFor();
    await expect.poll(() => layerNodes().count()).toBe(3);

    // Start from an empty network: select all, delete.
    await canvas().locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await key('Control+a');
    await key('Delete');
    await expect.poll(() => layerNodes().count()).toBe(0);

    // Drag six layers from the palette, in two rows.
    const drops: [string, string, number, number][] = [
      ['Input', 'input', 110, 150],
      ['Conv2D', 'conv2d', 350, 150],
      ['ReLU', 'relu', 590, 150],
      ['MaxPool2D', 'maxpool2d', 110, 420],
      ['Dense', 'dense', 350, 420],
      ['CrossEntropyLoss', 'crossentropyloss', 590, 420],
    ];
    for (const [type, id, x, y] of drops) {
      await page.getByTestId(`palette-${type}`).dragTo(canvas(), { targetPosition: { x, y } });
      await node(id).waitFor();
      if (type === 'Input') await page.getByTestId('param-shape').fill('1, 28, 28');
      if (type === 'Dense') await page.getByTestId('param-units').fill('10');
    }
    expect(await layerNodes().count()).toBe(6);

    // Connect them with the mouse, port to port.
    const chain = drops.map(([, id]) => id);
    for (let i = 0; i + 1 < chain.length; i++) {
      // A busy machine can swallow a drag's first moves: draw again until the edge is there.
      const before = await edges().count();
      for (let attempt = 0; attempt < 3 && (await edges().count()) === before; attempt++) {
        await connect(page, chain[i] as string, 'out', chain[i + 1] as string, 'in');
        await expect.poll(() => edges().count(), { timeout: 1_500 }).toBe(before + 1).catch(() => undefined);
      }
    }
    await expect.poll(() => edges().count()).toBe(5);

    // A connection that would loop is refused, with the reason.
    await connect(page, 'relu', 'out', 'conv2d', 'in');
    await expect.poll(() => page.getByTestId('notice-error').last().textContent()).toMatch(/already fed|loop/);
    expect(await edges().count()).toBe(5);

    // The Dense reads [B, 32, 13, 13]: a shape error on it, with a fix.
    await expect.poll(() => page.getByTestId('node-issue-dense').textContent()).toMatch(/error/);
    expect(await page.getByTestId('node-issue-conv2d').count()).toBe(0);
    await node('dense').click();
    await page.getByTestId('diagnostic-E_SHAPE_RANK').waitFor();
    if (SCREENSHOTS) await page.screenshot({ path: path.join(REPO_ROOT, 'docs/editor-inspector.png') });
    await page.getByTestId('fix-E_SHAPE_RANK').click();
    await expect.poll(() => page.getByTestId('node-issue-dense').count()).toBe(0);
    await expect.poll(() => layerNodes().count()).toBe(7);
    await expect.poll(() => page.getByTestId('error-count').textContent()).toBe('No problems');
    await expect.poll(() => page.getByTestId('node-stats-dense').textContent()).toContain('[B, 10]');

    // Undo across several edits (the fix, the last connection, the one before), then redo them.
    await canvas().locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await key('Control+z');
    await expect.poll(() => layerNodes().count()).toBe(6);
    await expect.poll(() => page.getByTestId('node-issue-dense').count()).toBe(1);
    await key('Control+z');
    await expect.poll(() => edges().count()).toBe(4);
    await key('Control+z');
    await expect.poll(() => edges().count()).toBe(3);
    await key('Control+Shift+z');
    await key('Control+y');
    await expect.poll(() => edges().count()).toBe(5);
    await key('Control+Shift+z');
    await expect.poll(() => layerNodes().count()).toBe(7);
    await expect.poll(() => edges().count()).toBe(6);
    await expect.poll(() => page.getByTestId('error-count').textContent()).toBe('No problems');

    // Save (Ctrl+S in the page) and compare the file with the canvas.
    await key('Control+s');
    await expect.poll(() => page.getByTestId('dirty-indicator').getAttribute('data-dirty')).toBe('false');
    const saved = readNetwork(folder());
    expect(saved.nodes.map((n) => n.type).sort()).toEqual(['Conv2D', 'CrossEntropyLoss', 'Dense', 'Flatten', 'Input', 'MaxPool2D', 'ReLU']);
    expect(saved.nodes.find((n) => n.id === 'input')?.params.shape).toEqual([1, 28, 28]);
    expect(await canvasGraph(page)).toEqual(fileGraph(saved));
  });

  it('reopens the saved project after a reload with the identical graph', async () => {
    await page.reload();
    await page.getByTestId('start-screen').waitFor();
    await page.getByTestId('recent-projects').getByRole('button', { name: /MNIST CNN/ }).click();
    await page.getByTestId('editor').waitFor();
    await expect.poll(() => layerNodes().count()).toBe(7);
    await expect.poll(() => edges().count()).toBe(6);
    expect(await canvasGraph(page)).toEqual(fileGraph(readNetwork(folder())));
    await expect.poll(() => page.getByTestId('error-count').textContent()).toBe('No problems');
  });

  it('copies and pastes a selection with fresh ids, autosaves unsaved work and offers it back after leaving the page', async () => {
    await node('relu').click();
    await key('Control+c');
    await key('Control+v');
    await expect.poll(() => layerNodes().count()).toBe(8);
    await node('relu_2').waitFor();
    await expect.poll(() => page.getByTestId('dirty-indicator').getAttribute('data-dirty')).toBe('true');
    // The autosave runs a few seconds after the last edit; the project file keeps the saved state.
    await page.waitForTimeout(3_600);
    expect(readNetwork(folder()).nodes).toHaveLength(7);

    await page.reload();
    expect(dialogs).toContain('beforeunload');
    await page.getByTestId('start-screen').waitFor();
    await page.getByTestId('recent-projects').getByRole('button', { name: /MNIST CNN/ }).click();
    await expect.poll(() => page.getByTestId('dialog').textContent()).toMatch(/Recover unsaved changes from/);
    await page.getByTestId('dialog-confirm').click();
    await expect.poll(() => layerNodes().count()).toBe(8);
    await expect.poll(() => page.getByTestId('dirty-indicator').getAttribute('data-dirty')).toBe('true');
  });

  it('logged no errors in the page console', () => {
    expect(consoleErrors).toEqual([]);
  });
});

/** Drags from a node's output handle to another node's input handle. */
async function connect(page: Page, from: string, fromPort: string, to: string, toPort: string): Promise<void> {
  const src = await page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source[data-handleid="${fromPort}"]`).boundingBox();
  const dst = await page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target[data-handleid="${toPort}"]`).boundingBox();
  if (!src || !dst) throw new Error(`no handle on screen for ${from}.${fromPort} → ${to}.${toPort}`);
  await page.mouse.move(src.x + src.width / 2, src.y + src.height / 2);
  await page.mouse.down();
  await page.mouse.move(src.x + src.width / 2 + 12, src.y + src.height / 2, { steps: 3 });
  await page.mouse.move(dst.x + dst.width / 2, dst.y + dst.height / 2, { steps: 12 });
  await page.waitForTimeout(50);
  await page.mouse.up();
}

interface Drawn {
  nodes: { id: string; type: string; x: number; y: number }[];
  edges: string[];
}

/** What the canvas shows: each layer node's id, type and flow position; each edge's id. */
async function canvasGraph(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const nodes = [...document.querySelectorAll<HTMLElement>('.react-flow__node-layer')].map((el) => {
      const m = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(el.style.transform);
      return { id: el.dataset.id ?? '', type: el.querySelector<HTMLElement>('[data-layer-type]')?.dataset.layerType ?? '', x: Number(m?.[1]), y: Number(m?.[2]) };
    });
    const edges = [...document.querySelectorAll<SVGElement>('.react-flow__edge')].map((el) => el.dataset.id ?? '');
    return { nodes: nodes.sort((a, b) => a.id.localeCompare(b.id)), edges: edges.sort() };
  });
}

function fileGraph(network: Network): Drawn {
  return {
    nodes: network.nodes.map((n) => ({ id: n.id, type: n.type, x: n.position.x, y: n.position.y })).sort((a, b) => a.id.localeCompare(b.id)),
    edges: network.edges.map((e) => e.id).sort(),
  };
}

function readNetwork(folder: string): Network {
  const file = path.join(folder, PROJECT_FILE_NAME);
  const parsed = parseProjectText(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(`the saved project does not parse: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  const network = parsed.project.networks[0];
  if (!network) throw new Error('the saved project has no network');
  return network;
}
