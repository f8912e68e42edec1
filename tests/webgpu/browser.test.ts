/**
 * @file The same conformance cases (every primitive, every layer) on WebGPU in headless Chromium
 * (SwiftShader, `--enable-unsafe-webgpu --disable-gpu`), from the same backend code bundled for
 * the page by esbuild; outputs are compared in Node with the float64 CPU like the Dawn tests.
 * No adapter in the page fails the test with the reason; it never skips.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, servePageBundle, type ServedPage } from '../e2e/support';
import { layerConformance, oracle, primConformance, SEED, type ConformanceCase } from './conformance';
import { expectClose } from './support';

let served: ServedPage;
let browser: Browser;

beforeAll(async () => {
  served = await servePageBundle(new URL('./page/entry.ts', import.meta.url).pathname);
  browser = await launchChromium(['--enable-unsafe-webgpu']);
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

test('every primitive and layer on WebGPU in Chromium ~ f64 CPU', async () => {
  const cases: ConformanceCase[] = [...primConformance(), ...layerConformance()];
  const page = await browser.newPage();
  await page.goto(served.origin);
  await page.waitForFunction(() => 'brrrConformance' in globalThis);
  const result = await page.evaluate(
    (cs) => (globalThis as unknown as { brrrConformance(c: unknown): Promise<{ adapter: { architecture: string; fallback: boolean }; outputs: Record<string, number[]>[]; errors: string[] }> }).brrrConformance(cs),
    cases.map((c) => ({ plan: c.plan, inputs: c.inputs, variables: c.variables, seed: SEED })),
  );
  expect(result.adapter.architecture.length).toBeGreaterThan(0);
  const failures: string[] = [];
  for (const [i, c] of cases.entries()) {
    if (result.errors[i] !== '') {
      failures.push(`${c.label}: ${result.errors[i]}`);
      continue;
    }
    const want = await oracle(c);
    for (const name of Object.keys(want)) {
      try {
        expectClose(`${c.label} output '${name}'`, Float64Array.from(result.outputs[i][name] ?? []), want[name], c.tolerance[name]);
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
  }
  expect(failures, `${failures.length} of ${cases.length} cases differ on ${result.adapter.architecture}`).toEqual([]);
  expect(cases.length).toBeGreaterThan(150);
});
