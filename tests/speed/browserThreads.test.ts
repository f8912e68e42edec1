/**
 * @file The CPU fast path's threads in the browser (renderer/engine/threads/browserThreadPool.ts):
 * headless Chromium loads a page bundled by esbuild from page/threads.ts. Served cross-origin
 * isolated (COOP same-origin + COEP require-corp), the factory gives 2 Web Workers; W2 training
 * steps (a shared 51-MFLOP GEMM) and a shared 576K-element fused chain, run from the page's main
 * thread (where `Jobs` may only spin), give the one-thread losses and outputs bit for bit, with
 * crossings > 0. Served without the headers, the factory says why it is one thread, and training
 * still works on unshared memory, giving the shared-memory results bit for bit.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, servePageBundle, type ServedPage } from '../e2e/support';
import type { PageResult } from './page/threads';

let served: ServedPage;
let browser: Browser;

const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

beforeAll(async () => {
  // /isolated/… carries the isolation headers, /plain/… does not
  served = await servePageBundle(new URL('./page/threads.ts', import.meta.url).pathname, (url) => (url.startsWith('/isolated/') ? ISOLATION : {}));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

async function runPage(path: string, workers: number): Promise<PageResult> {
  const page = await browser.newPage();
  const logs: string[] = [];
  page.on('pageerror', (e) => logs.push(e.message));
  try {
    await page.goto(served.origin + path);
    await page.waitForFunction(() => 'brrrThreads' in globalThis, undefined, { timeout: 10000 }).catch(() => {
      throw new Error(`the test page did not load: ${logs.join('; ')}`);
    });
    return await page.evaluate((n) => (globalThis as unknown as { brrrThreads(n: number): Promise<PageResult> }).brrrThreads(n), workers);
  } finally {
    await page.close();
  }
}

let isolatedRun: Promise<PageResult> | undefined;
const isolated = (): Promise<PageResult> => (isolatedRun ??= runPage('/isolated/', 2));

test('cross-origin isolated: 2 Web Workers share GEMMs and elementwise kernels, bit-identical to one thread', async () => {
  const r = await isolated();
  expect(r.isolated).toBe(true);
  expect(r.blocks, 'the page main thread may not Atomics.wait: Jobs spins').toBe(false);
  expect(r.reason).toMatch(/^3 threads/);
  const t = r.threaded!;
  expect(t.threads, 'workers alive').toBe(3);
  expect(t.trainCrossings, 'jobs handed to the workers by the training steps').toBeGreaterThan(0);
  expect(t.crossings - t.trainCrossings, 'jobs handed to the workers by the chain').toBeGreaterThan(0);
  expect(t.idle, 'every worker finished its jobs').toBe(true);
  expect(r.errors).toEqual([]);
  expect(t.sharedKernels, 'the chain is prepared as a shared kernel').toBeGreaterThan(0);
  expect(r.single.threads).toBe(1);
  expect(r.single.crossings).toBe(0);
  expect(t.losses).toEqual(r.single.losses);
  expect(t.chainHash).toBe(r.single.chainHash);
  expect(t.chainHash).toBeGreaterThanOrEqual(0);
  // it trains: the loss moves (same batch each step)
  expect(new Set(t.losses).size).toBeGreaterThan(1);
}, 60000);

test('not isolated: the factory reports one thread and why, and training still works', async () => {
  const r = await runPage('/plain/', 2);
  expect(r.isolated).toBe(false);
  expect(r.threaded).toBeUndefined();
  expect(r.reason).toMatch(/^one thread: the page is not cross-origin isolated/);
  expect(r.single.threads).toBe(1);
  expect(r.single.losses.every((b) => Number.isFinite(new Float32Array(new Uint32Array([b]).buffer)[0]))).toBe(true);
  // unshared memory (it detaches its views as it grows) gives the shared-memory results bit for bit
  const i = await isolated();
  expect(r.single.losses).toEqual(i.single.losses);
  expect(r.single.chainHash, 'no chain on unshared memory (page/threads.ts)').toBe(-1);
  expect(new Set(r.single.losses).size).toBeGreaterThan(1);
}, 60000);
