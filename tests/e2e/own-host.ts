import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * For specs that need a register of their own (a restore replaces the whole register, a backup
 * key is set up once per register, a year set-up would disturb the shared schools): the built
 * command line, and a `serve` of their own.
 */

export const CLI = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist', 'cli', 'school-office.cjs');

/** Runs the built CLI; a non-zero exit fails the spec with its output. */
export function cliOrThrow(args: string[], input = '', env: Record<string, string> = {}): void {
  const run = spawnSync(process.execPath, [CLI, ...args], { input, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`school-office ${args.join(' ')} → код ${run.status}\n${run.stdout}\n${run.stderr}`);
}

export interface OwnHost {
  url: string;
  stop(): void;
}

/** Starts `serve` on the register and resolves with the URL it prints. */
export function startOwnHost(dbPath: string): Promise<OwnHost> {
  const child: ChildProcess = spawn(process.execPath, [CLI, '--db', dbPath, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not print its URL in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`serve exited with code ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve({ url: line.trim(), stop: () => child.kill('SIGTERM') });
    });
  });
}
