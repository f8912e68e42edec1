/**
 * @file End to end, web mode: a real `brrr serve` and a real Chromium train `mnist-cnn` (512
 * samples) from the Train button, watch the loss chart grow while the run goes, pause (the chart
 * holds still), resume, stop, and find the run, stopped, in the history after a reload. Set
 * BRRR_SCREENSHOTS=1 to refresh docs/dashboard.png and docs/dashboard-evaluation.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTemplateStudio, REPO_ROOT, SCREENSHOTS, type TemplateStudio } from './support';

const VIEWPORT = { width: 1440, height: 900 };
const SAMPLES = 512;

describe('training from the studio, driven by Chromium', () => {
  let studio: TemplateStudio | null = null;
  let page: Page;

  beforeAll(async () => {
    // A short run: 512 training samples and more epochs than the test lets it reach.
    studio = await openTemplateStudio({ template: 'mnist-cnn', name: 'Digits CNN', datasetOptions: { limit: SAMPLES }, epochs: 60, viewport: VIEWPORT });
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
  });

  const points = async (): Promise<number> => Number((await page.getByTestId('chart-loss').getAttribute('data-points')) ?? 0);
  /** The point count once it has not moved for 2 s (at most 20 s). */
  const settledPoints = async (): Promise<number> => {
    let last = await points();
    for (let waited = 0; waited < 20_000; waited += 2_000) {
      await page.waitForTimeout(2_000);
      const now = await points();
      if (now === last) return now;
      last = now;
    }
    throw new Error(`the loss chart kept growing 20 s after Pause (${last} points)`);
  };
  const status = (): Promise<string | null> => page.getByTestId('run-toolbar').getByTestId('run-status').getAttribute('data-status');

  it('trains mnist-cnn, draws the loss live, pauses, resumes, stops, and keeps the run in the history', async () => {
    await page.getByTestId('editor').waitFor();
    expect(await page.getByTestId('project-name').textContent()).toBe('Digits CNN');

    // Train for 50 epochs on the CPU (the epochs override; far more than the test lets it reach, so it is still running when stopped), from the toolbar.
    await page.getByTestId('run-backend').selectOption('cpu');
    await page.getByTestId('run-epochs').fill('50');
    await page.getByTestId('run-train').click();
    await page.getByTestId('train-view').waitFor();
    await expect.poll(status, { timeout: 20_000 }).toBe('running');
    await expect(page.getByTestId('run-backend-report').textContent()).resolves.toContain('CPU');

    // The loss chart grows while the run goes.
    await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(1);
    await expect(page.getByTestId('run-where').textContent()).resolves.toMatch(/epoch \d+\/50/);
    const early = await points();
    await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(early);

    // Pause: the chart holds still; resume: it grows again.
    await page.getByTestId('run-pause').click();
    await expect.poll(status).toBe('paused');
    // The worker takes the pause between steps, so a batch under way may still land: wait until still.
    const paused = await settledPoints();
    await page.waitForTimeout(2_000);
    expect(await points()).toBe(paused);
    await page.getByTestId('run-resume').click();
    await expect.poll(status).toBe('running');
    await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(paused);

    if (SCREENSHOTS) {
      // A few epochs in, so the per-epoch curves have a shape; then the evaluation panels below.
      await expect.poll(() => page.getByTestId('run-where').textContent(), { timeout: 60_000 }).toMatch(/epoch [4-9]\//);
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(REPO_ROOT, 'docs/dashboard.png') });
      await page.getByTestId('panel-confusion').scrollIntoViewIfNeeded();
      await page.locator('.train-view__scroll').evaluate((el) => el.scrollBy(0, 160));
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(REPO_ROOT, 'docs/dashboard-evaluation.png') });
    }

    // Stop: the run ends as stopped and can be resumed from its checkpoint.
    await page.getByTestId('run-stop').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('stopped');
    const runId = await page.getByTestId('dashboard').getAttribute('data-run');
    expect(runId).toBeTruthy();

    // The history survives a reload: the run is listed, stopped, with its metrics.
    await page.reload();
    await page.getByTestId('editor').waitFor();
    await page.getByTestId('view-train').click();
    const row = page.getByTestId(`run-row-${runId}`);
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.getByTestId('run-status').getAttribute('data-status')).toBe('stopped');
    await expect.poll(() => row.textContent()).toMatch(/loss \d/);
    // Its dashboard comes back from the log, with the way to continue it.
    await row.locator('.run-row__main').click();
    await expect(page.getByTestId('run-outcome').textContent()).resolves.toContain('The run was stopped');
    await page.getByTestId('run-continue').waitFor();
    expect(await points()).toBeGreaterThan(0);
    expect(studio?.pageErrors).toEqual([]);
  });
});
