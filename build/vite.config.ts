/** @file Vite configuration for the renderer: one static bundle that Electron and `brrr serve` both load. */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The page ships a strict Content-Security-Policy meta tag. Vite's dev server injects an inline
 * React Refresh preamble that `script-src 'self'` forbids, so the tag is dropped in dev only;
 * every built bundle keeps it.
 */
function dropCspInDevServer(): Plugin {
  return {
    name: 'brrr:drop-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, ''),
  };
}

export default defineConfig({
  root: `${repoRoot}renderer`,
  base: './',
  plugins: [react(), dropCspInDevServer()],
  publicDir: false,
  build: {
    outDir: `${repoRoot}dist/renderer`,
    emptyOutDir: true,
    target: 'es2023',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
