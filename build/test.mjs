// `npm test`: typecheck, lint, build, unit and integration tests (vitest), end-to-end tests
// (Playwright in Debian's Chromium). Every step runs even when an earlier one failed (except
// the end-to-end tests, which need the build), and the run ends with one line
// `N passed, N failed` counted from the runners' JSON reports; the exit code is non-zero on
// any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = process.env.CI_REPORT_DIR ?? mkdtempSync(join(tmpdir(), 'school-office-reports-'));
mkdirSync(reports, { recursive: true });
const env = { ...process.env, CI_REPORT_DIR: reports };
const bin = (name) => join(root, 'node_modules', '.bin', name);

const steps = [
  { name: 'typecheck', cmd: [bin('tsc'), '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'lint', cmd: [bin('eslint'), '--max-warnings', '0', '.'] },
  { name: 'build', cmd: [process.execPath, 'build/build.mjs'] },
  { name: 'vitest', cmd: [bin('vitest'), 'run'], report: 'vitest.json', needs: 'build' },
  { name: 'playwright', cmd: [bin('playwright'), 'test'], report: 'playwright.json', needs: 'build' },
];

const outcome = new Map();
let passed = 0;
let failed = 0;

function countReport(step) {
  const file = join(reports, step.report);
  if (!existsSync(file)) return null;
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (step.name === 'vitest') return { passed: data.numPassedTests ?? 0, failed: (data.numFailedTests ?? 0) + (data.numFailedTestSuites ?? 0) };
  const stats = data.stats ?? {};
  return { passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: (stats.unexpected ?? 0) + (data.errors?.length ?? 0) };
}

for (const step of steps) {
  if (step.needs && outcome.get(step.needs) === false) {
    console.log(`\n== ${step.name}: пропущено, потому что не удалась сборка`);
    outcome.set(step.name, false);
    failed += 1;
    continue;
  }
  console.log(`\n== ${step.name}`);
  const result = spawnSync(step.cmd[0], step.cmd.slice(1), { cwd: root, env, stdio: 'inherit' });
  const ok = result.status === 0;
  outcome.set(step.name, ok);
  const counted = step.report ? countReport(step) : null;
  if (counted) {
    passed += counted.passed;
    failed += counted.failed;
    // A runner that failed without a failing test (a crash, a bad config) still counts as a failure.
    if (!ok && counted.failed === 0) failed += 1;
  } else if (ok) {
    passed += 1;
  } else {
    failed += 1;
  }
}

console.log('\nИтог по шагам: ' + [...outcome].map(([name, ok]) => `${name} ${ok ? 'ok' : 'FAILED'}`).join(', '));
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || [...outcome.values()].some((ok) => !ok) ? 1 : 0;
