/**
 * @file The engine host for tests: electron/engine/host.ts bundled by esbuild (as `npm run build`
 * does) into node_modules/.cache, so a worker can load it while the suites run TypeScript
 * sources. Built once per process (about a tenth of a second).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../build/ensureBuilt';

let built: Promise<string> | undefined;

export function engineHost(): Promise<string> {
  built ??= (async () => {
    const dir = join(repoRoot, 'node_modules', '.cache', 'brrr-tests', String(process.pid));
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'host.mjs');
    await build({
      entryPoints: [join(repoRoot, 'electron/engine/host.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      banner: { js: "import { createRequire as __brrrCreateRequire } from 'node:module'; const require = __brrrCreateRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    return outfile;
  })();
  return built;
}
