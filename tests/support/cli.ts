import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const CLI = join(__dirname, '..', '..', 'dist', 'cli', 'school-office.cjs');

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`Нет собранной командной строки ${CLI}: сначала выполните npm run build.`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `school-office` command as a user would, with only the given environment. */
export function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input: options.input ?? '',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `serve` and resolves with the printed URL and a stop function. */
export function serve(dbPath: string, port = '0'): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, '--db', dbPath, 'serve', '--port', port], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('serve не напечатал адрес за 20 с')), 20_000);
    child.on('exit', (code) => reject(new Error(`serve завершился с кодом ${code}`)));
    lines.once('line', (url) => {
      clearTimeout(timer);
      resolve({
        url,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
