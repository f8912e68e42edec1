#!/usr/bin/env node
/** @file The `brrr` command: runs the built command line (dist/cli/brrr.mjs, see electron/cli/). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/brrr.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('brrr: the studio is not built yet; run npm run build\n');
  process.exit(1);
}
// With --debug, stack traces point into the TypeScript sources rather than the bundle.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
