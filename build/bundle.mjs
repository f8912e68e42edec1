/**
 * @file `npm run build` (also run by `prepare` during `npm ci`): esbuild bundles the Electron
 * main process, the preload and the `brrr` command line into `dist/`, then vite builds the
 * renderer into `dist/renderer`. Prints one summary line; any failure is one line and exit 1.
 *
 *   electron/main/main.ts       -> dist/electron/main.cjs     cjs, node, `electron` external
 *   electron/preload/preload.ts -> dist/electron/preload.cjs  cjs, `electron` external, all else
 *                                                             inlined (a sandboxed preload cannot require)
 *   electron/cli/main.ts        -> dist/cli/brrr.mjs          esm, node, npm packages external
 *   electron/engine/host.ts     -> dist/engine/host.mjs       esm, node: the engine-host worker of training runs
 *   renderer/ (build/vite.config.ts) -> dist/renderer/
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();

/** Electron 45 ships Node 22 and Chromium 140; the command line runs on Node >= 20.19. */
const ELECTRON_NODE = 'node22';
const CLI_NODE = 'node20.19';

/** ESM output has no `require`; bundled CommonJS code (and `createRequire` users) may still call it. */
const ESM_REQUIRE_BANNER = "import { createRequire as __brrrCreateRequire } from 'node:module'; const require = __brrrCreateRequire(import.meta.url);";

/** CommonJS output has no `import.meta`; services use `import.meta.url` (createRequire, data files). */
const CJS_IMPORT_META = {
  inject: ['build/importMetaUrlShim.mjs'],
  define: { 'import.meta.url': '__brrrImportMetaUrl' },
};

/** @type {Array<{ entry: string; options: import('esbuild').BuildOptions }>} */
const bundles = [
  {
    entry: 'electron/main/main.ts',
    options: { outfile: 'dist/electron/main.cjs', format: 'cjs', platform: 'node', target: ELECTRON_NODE, external: ['electron'], ...CJS_IMPORT_META },
  },
  {
    entry: 'electron/preload/preload.ts',
    options: { outfile: 'dist/electron/preload.cjs', format: 'cjs', platform: 'node', target: ELECTRON_NODE, external: ['electron'] },
  },
  {
    entry: 'electron/cli/main.ts',
    options: { outfile: 'dist/cli/brrr.mjs', format: 'esm', platform: 'node', target: CLI_NODE, packages: 'external', banner: { js: ESM_REQUIRE_BANNER } },
  },
  {
    entry: 'electron/engine/host.ts',
    options: { outfile: 'dist/engine/host.mjs', format: 'esm', platform: 'node', target: CLI_NODE, packages: 'external', banner: { js: ESM_REQUIRE_BANNER } },
  },
];

const VITE_CONFIG = 'build/vite.config.ts';

/** Exits with one line: `build: <what> failed: <why>`. */
function fail(what, why) {
  process.stderr.write(`build: ${what} failed: ${why}\n`);
  process.exit(1);
}

/** `electron/main/main.ts:12:4: Could not resolve "x"` from an esbuild message. */
function describeEsbuildMessage(message) {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column}: ` : '';
  return `${where}${message.text}`;
}

/** The first non-empty line, without terminal colours. */
function firstLine(text) {
  const plain = String(text).replace(/\x1b\[[0-9;]*m/g, '');
  return plain.split('\n').map((line) => line.trim()).find(Boolean) ?? 'no details';
}

/** vite 8 (rolldown) throws `Build failed with N errors` with the details in `errors[]`. */
function describeViteError(e) {
  const errors = Array.isArray(e?.errors) && e.errors.length > 0 ? e.errors : [e];
  const first = errors[0];
  const where = first?.loc?.file
    ? `${relative(root, first.loc.file)}:${first.loc.line}:${(first.loc.column ?? 0) + 1}: `
    : first?.id
      ? `${relative(root, first.id)}: `
      : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `${where}${firstLine(first?.message ?? first)}${more}`;
}

async function bundle({ entry, options }) {
  if (!existsSync(resolve(root, entry))) fail(options.outfile, `its entry ${entry} does not exist`);
  try {
    const result = await esbuild({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      sourcemap: 'linked',
      logLevel: 'silent',
      legalComments: 'none',
      ...options,
    });
    for (const warning of result.warnings) process.stderr.write(`build: warning: ${describeEsbuildMessage(warning)}\n`);
    return options.outfile;
  } catch (e) {
    const errors = Array.isArray(e?.errors) ? e.errors : [];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    fail(options.outfile, errors.length > 0 ? `${describeEsbuildMessage(errors[0])}${more}` : firstLine(e?.message ?? e));
  }
}

async function buildRenderer() {
  if (!existsSync(resolve(root, VITE_CONFIG))) fail('dist/renderer', `${VITE_CONFIG} does not exist`);
  const { build: viteBuild, createLogger } = await import('vite');
  const logger = createLogger('warn', { allowClearScreen: false });
  logger.error = () => undefined; // the thrown error is reported below, on one line
  try {
    await viteBuild({ configFile: resolve(root, VITE_CONFIG), logLevel: 'warn', customLogger: logger, clearScreen: false });
  } catch (e) {
    fail('dist/renderer', describeViteError(e));
  }
}

const built = await Promise.all(bundles.map(bundle));
await buildRenderer();
const outputs = [...built, 'dist/renderer/'];
process.stdout.write(`build: ${outputs.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
