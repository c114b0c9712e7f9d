import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The dev server injects an inline script (React Fast Refresh), which the page's strict CSP
 * forbids. The policy stays in index.html for the built app (Electron and browser mode);
 * only `vite` in dev mode drops it.
 */
function dropCspInDev(): Plugin {
  return {
    name: 'school-office:drop-csp-in-dev',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, '');
    },
  };
}

/** For `vite` in dev mode: forward API calls to a running `school-office serve`. */
const devApi = process.env.SCHOOL_OFFICE_DEV_API;

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), dropCspInDev()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Never inline assets as data: URLs: the CSP allows fonts from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
  },
  server: devApi ? { proxy: { '/api': { target: devApi, changeOrigin: true } } } : {},
});
