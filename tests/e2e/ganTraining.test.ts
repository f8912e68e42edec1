/**
 * @file End to end, web mode: a real `brrr serve` and a real Chromium train `mnist-gan` (256
 * digits, 3 epochs) from the Train button and watch what a GAN run shows: both losses per step, the
 * sample grid of every epoch, and the validation view (the discriminator's scores on its training
 * digits against test digits it never sees, and r_v).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTemplateStudio, type TemplateStudio } from './support';

const EPOCHS = 3;

describe('training a GAN from the studio, driven by Chromium', () => {
  let studio: TemplateStudio | null = null;
  let page: Page;

  beforeAll(async () => {
    studio = await openTemplateStudio({ template: 'mnist-gan', name: 'Digits GAN', datasetOptions: { limit: 256, testLimit: 256 }, epochs: EPOCHS, viewport: { width: 1440, height: 1100 } });
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
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
    expect(studio?.pageErrors).toEqual([]);
  });
});
