/**
 * @file End to end, web mode: a real `brrr serve` and a real Chromium train `mnist-gan` (256
 * digits, 3 epochs) from the Train button and watch what a GAN run shows: both losses per step, the
 * sample grid of every epoch, and the validation view (the discriminator's scores on its training
 * digits against test digits it never sees, and r_v). Set BRRR_SCREENSHOTS=1 to refresh
 * docs/dashboard-gan.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_FILE_NAME } from '../../core/project';
import { launchChromium, REPO_ROOT, requireBrowserAndBuild, SCREENSHOTS, startServer, type StartedServer } from './support';

const EPOCHS = 3;

describe('training a GAN from the studio, driven by Chromium', () => {
  let workspace = '';
  let configDir = '';
  let server: StartedServer | null = null;
  let browser: Browser | null = null;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBrowserAndBuild();
    workspace = mkdtempSync(path.join(tmpdir(), 'brrr-e2e-gan-'));
    configDir = mkdtempSync(path.join(tmpdir(), 'brrr-e2e-gan-config-'));
    const projectDir = path.join(workspace, 'gan');
    execFileSync(process.execPath, ['bin/brrr.js', 'new', 'mnist-gan', projectDir, '--name', 'Digits GAN'], { cwd: REPO_ROOT });
    const file = path.join(projectDir, PROJECT_FILE_NAME);
    const project = JSON.parse(readFileSync(file, 'utf8')) as { training: { epochs: number }; datasets: { options: Record<string, unknown> }[] };
    for (const dataset of project.datasets) Object.assign(dataset.options, { limit: 256, testLimit: 256 });
    project.training.epochs = EPOCHS;
    writeFileSync(file, JSON.stringify(project, null, 2));
    server = startServer(workspace, configDir, ['--project', projectDir]);
    const url = await server.url;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1100 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const dir of [workspace, configDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const points = async (testId: string): Promise<number> => Number((await page.getByTestId(testId).getAttribute('data-points')) ?? 0);

  it('trains mnist-gan: both losses, a sample grid every epoch, and the discriminator on training against held-out digits', async () => {
    await page.getByTestId('editor').waitFor();
    await page.getByTestId('run-backend').selectOption('cpu');
    await page.getByTestId('run-train').click();
    await page.getByTestId('train-view').waitFor();
    const status = () => page.getByTestId('run-toolbar').getByTestId('run-status').getAttribute('data-status');
    await expect.poll(status, { timeout: 120_000, interval: 1_000 }).toBe('completed');

    // 256 digits at batch 32: 8 steps an epoch, two losses each
    await expect.poll(() => points('chart-gan'), { timeout: 10_000 }).toBe(2 * 8 * EPOCHS);
    // one grid per epoch, any of which can be picked
    const epochs = page.getByTestId('samples-epoch').locator('option');
    await expect.poll(() => epochs.count()).toBe(EPOCHS);
    expect(await page.getByTestId('samples').locator('canvas').count()).toBe(16);
    // the validation view: D's score on real digits, train and held-out each epoch; r_v held-out only
    await expect.poll(() => points('chart-metric-real_score')).toBe(2 * EPOCHS);
    expect(await points('chart-metric-fake_score')).toBe(EPOCHS);
    expect(await page.getByTestId('panel-metrics').textContent()).toContain('D on real images');
    if (SCREENSHOTS) {
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(REPO_ROOT, 'docs/dashboard-gan.png') });
    }
    expect(pageErrors).toEqual([]);
  });
});
