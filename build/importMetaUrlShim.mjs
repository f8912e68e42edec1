/**
 * @file Injected by build/bundle.mjs into the CommonJS bundles, which have no `import.meta`:
 * `import.meta.url` is defined as this value, the bundle's own file URL.
 */
import { pathToFileURL } from 'node:url';

export const __brrrImportMetaUrl = pathToFileURL(__filename).href;
