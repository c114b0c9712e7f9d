import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { STATE_ENV, type E2eState } from './env';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'school-office.cjs');

const USERS: E2eState['users'] = {
  admin: { login: 'admin', password: 'admin-secret-1', fullName: 'Иванова Анна Петровна' },
  secretary: { login: 'secretary', password: 'secretary-pw-1', fullName: 'Петрова Мария Ивановна' },
  archivist: { login: 'archivist', password: 'archivist-pw-1', fullName: 'Сидорова Ольга Николаевна' },
  director: { login: 'director', password: 'director-pw-1', fullName: 'Кузнецов Сергей Владимирович' },
  // Only for wrong-password attempts, so no other test's account gets near the lockout.
  victim: { login: 'victim', password: 'victim-pw-1', fullName: 'Смирнова Елена Андреевна' },
};

function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}): void {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) {
    throw new Error(`school-office ${args.join(' ')} → код ${run.status}\n${run.stdout}\n${run.stderr}`);
  }
}

/** Starts `serve` and resolves with the URL from its first stdout line. */
function serve(dbPath: string): Promise<{ url: string; pid: number }> {
  const child = spawn(process.execPath, [CLI, '--db', dbPath, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`serve did not print its URL in 30 s\n${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code}\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // Keep draining stdout so the server never blocks on a full pipe.
      child.stdout.resume();
      const url = line.trim();
      if (!/^http:\/\/127\.0\.0\.1:\d+\/#token=/.test(url)) {
        child.kill();
        reject(new Error(`unexpected first line from serve: ${url}`));
        return;
      }
      resolvePromise({ url, pid: child.pid! });
    });
  });
}

/** A register with the school and the accounts of every role. */
function initRegister(dbPath: string): void {
  const admin = USERS.admin;
  cli(['--db', dbPath, 'init', '--admin', admin.login, '--name', admin.fullName, '--school', 'МБОУ «Средняя общеобразовательная школа № 7»'], {
    input: `${admin.password}\n`,
  });
  for (const role of ['secretary', 'archivist', 'director', 'victim'] as const) {
    const user = USERS[role];
    cli(['--db', dbPath, '--user', admin.login, 'user', 'add', user.login, '--role', role === 'victim' ? 'secretary' : role, '--name', user.fullName], {
      env: { SCHOOL_OFFICE_PASSWORD: admin.password, SCHOOL_OFFICE_NEW_PASSWORD: user.password },
    });
  }
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('Нет сборки: выполните `npm run build` перед `npm run test:e2e` (нужны dist/cli/school-office.cjs и dist/renderer).');
  }
  const dir = mkdtempSync(join(tmpdir(), 'school-office-e2e-'));
  const dbPath = join(dir, 'school.db');
  const contingentDbPath = join(dir, 'contingent.db');
  initRegister(dbPath);
  initRegister(contingentDbPath);
  const main = await serve(dbPath);
  const fresh = await serve(join(dir, 'fresh.db'));
  const contingent = await serve(contingentDbPath);

  const state: E2eState = {
    dir,
    url: main.url,
    freshUrl: fresh.url,
    contingentUrl: contingent.url,
    pids: [main.pid, fresh.pid, contingent.pid],
    users: USERS,
  };
  const stateFile = join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  process.env[STATE_ENV] = stateFile;
}
