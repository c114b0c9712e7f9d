// Builds everything into dist/: the renderer with Vite, the CLI, the Electron main process,
// the preload and the benchmarks with esbuild (one CommonJS file each; native and Electron
// modules stay external and load from node_modules at run time).
import { build as esbuild } from 'esbuild';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = Date.now();

// `--node-only` rebuilds the CLI, main and preload and keeps the built renderer (quick iterations).
const nodeOnly = process.argv.includes('--node-only');
if (!nodeOnly) {
  rmSync(dist, { recursive: true, force: true });
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

const external = ['better-sqlite3', 'puppeteer-core', 'electron', 'electron-store'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external,
  logLevel: 'warning',
  absWorkingDir: root,
  // React renders the print templates 10–30× faster in its production build (a whole school's
  // journals: minutes of CPU); nothing of ours reads NODE_ENV.
  define: { 'process.env.NODE_ENV': '"production"' },
};

const entries = [
  { in: 'main/cli/school-office.ts', out: 'dist/cli/school-office.cjs', banner: '#!/usr/bin/env node' },
  { in: 'bench/run.ts', out: 'dist/bench/run.cjs' },
  { in: 'main/electron/main.ts', out: 'dist/main/electron/main.cjs' },
  { in: 'preload/index.ts', out: 'dist/preload/index.cjs', sourcemap: false },
];

for (const entry of entries) {
  if (!existsSync(join(root, entry.in))) continue;
  await esbuild({
    ...common,
    entryPoints: [entry.in],
    outfile: entry.out,
    ...(entry.banner ? { banner: { js: entry.banner } } : {}),
    ...(entry.sourcemap === false ? { sourcemap: false } : {}),
  });
}
chmodSync(join(dist, 'cli', 'school-office.cjs'), 0o755);

console.log(`Сборка готова за ${((Date.now() - started) / 1000).toFixed(1)} с: dist/`);
