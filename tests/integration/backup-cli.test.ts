import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, CLI, type CliResult } from '../support/cli';
import { dumpDataTables } from '../support/data-tables';

/**
 * Backups through the built command line (issue 8, «must show»): `backup run --to A --to B`,
 * `backup verify` of each, `restore` into a new file giving the same data, keys and archive
 * files; a flipped byte named; a failing target alone; a killed run never leaves a file that
 * verifies under a backup's name; no pupil's name in the raw bytes; a newer backup refused.
 */

const YEAR = '2025/2026';
const PASSPHRASE = 'зелёный-конь-батарейка';
let dir: string;
let db: string;

const env = (extra: Record<string, string> = {}) => ({ SCHOOL_OFFICE_PASSWORD: 'secret', SCHOOL_OFFICE_BACKUP_PASSPHRASE: PASSPHRASE, ...extra });
const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], { env: env() });
const json = <T>(result: CliResult): T => {
  expect(result.stdout, result.stderr).not.toBe('');
  return JSON.parse(result.stdout) as T;
};

interface RunResult {
  targets: { path: string; ok: boolean; file: string | null; bytes: number | null; sha256: string | null; error: string | null }[];
  warnings: string[];
}
interface VerifyResult {
  ok: boolean;
  error: string | null;
  counts?: Record<string, number>;
}
const BACKUP_NAME = /^school-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.sobak$/;

function folder(name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}

function verify(file: string, passphrase = PASSPHRASE): { code: number; result: VerifyResult } {
  const out = cli(['backup', 'verify', file, '--json'], { env: { SCHOOL_OFFICE_BACKUP_PASSPHRASE: passphrase } });
  return { code: out.code, result: json<VerifyResult>(out) };
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

let first: RunResult;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'school-office-backup-'));
  db = join(dir, 'data', 'school.db');
  mkdirSync(join(dir, 'data'));
  expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
  const demo = run('demo', '--seed', '8', '--pupils', '60', '--year', YEAR);
  expect(demo.code, demo.stderr).toBe(0);
  // Sealed archive volumes and the signing key as they lie beside the register; a draft is not backed up.
  mkdirSync(join(dir, 'data', 'archive', '2025-2026'), { recursive: true });
  mkdirSync(join(dir, 'data', 'archive', 'drafts'), { recursive: true });
  mkdirSync(join(dir, 'data', 'keys'), { recursive: true });
  writeFileSync(join(dir, 'data', 'archive', '2025-2026', '2026-001 v1 Классный журнал 5А класса.pdf'), Buffer.alloc(3 * 1024 * 1024 + 17, 7));
  writeFileSync(join(dir, 'data', 'archive', 'drafts', 'draft.pdf'), 'draft');
  writeFileSync(join(dir, 'data', 'keys', 'extra.key'), 'key material');
  const result = run('backup', 'run', '--to', folder('A'), '--to', folder('B'), '--json');
  expect(result.code, result.stderr).toBe(0);
  first = json<RunResult>(result);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup run, verify, restore', () => {
  it('writes a verified file into both targets, warns that they share a device, and records both in the history', () => {
    expect(first.targets.map((t) => [t.path, t.ok, t.error])).toEqual([
      [join(dir, 'A'), true, null],
      [join(dir, 'B'), true, null],
    ]);
    for (const target of first.targets) {
      expect(Object.keys(target).sort()).toEqual(['bytes', 'error', 'file', 'ok', 'path', 'sha256']);
      expect(readdirSync(target.path)).toEqual([target.file!.split('/').at(-1)]);
      expect(target.file!.split('/').at(-1)).toMatch(BACKUP_NAME);
      expect(sha(target.file!)).toBe(target.sha256);
      expect(readFileSync(target.file!).length).toBe(target.bytes);
      const checked = verify(target.file!);
      expect(checked.code).toBe(0);
      expect(checked.result.ok).toBe(true);
      expect(checked.result.counts?.pupil).toBe(60);
    }
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toContain('на одном носителе');
    const raw = new BetterSqlite3(db, { readonly: true });
    try {
      expect(raw.prepare("select target, status, bytes, sha256 from backup order by id").all()).toEqual(first.targets.map((t) => ({ target: t.path, status: 'ok', bytes: t.bytes, sha256: t.sha256 })));
    } finally {
      raw.close();
    }
  });

  it('lists the backups of a folder from their headers, without the passphrase, ignoring temp files', () => {
    writeFileSync(join(dir, 'A', `.${first.targets[0]!.file!.split('/').at(-1)}.tmp-999`), 'half');
    const listed = cli(['backup', 'list', '--to', join(dir, 'A'), '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { backups } = json<{ backups: { file: string; schemaVersion: number; bytes: number; createdAt: string }[] }>(listed);
    expect(backups.map((b) => [b.file, b.bytes])).toEqual([[first.targets[0]!.file, first.targets[0]!.bytes]]);
    expect(backups[0]!.schemaVersion).toBeGreaterThan(10);
    rmSync(join(dir, 'A', `.${first.targets[0]!.file!.split('/').at(-1)}.tmp-999`));
    const help = cli(['--help']).stdout;
    for (const line of ['backup run --to ПАПКА', 'backup verify ФАЙЛ', 'backup list --to ПАПКА', 'restore ФАЙЛ --db НОВАЯ.db']) expect(help).toContain(line);
  });

  it('restores into a new file with the same data, the signing key and the sealed archive', () => {
    const target = join(dir, 'restored', 'school.db');
    const restored = cli(['restore', first.targets[1]!.file!, '--db', target, '--json'], { env: env() });
    expect(restored.code, restored.stderr).toBe(0);
    const live = new BetterSqlite3(db, { readonly: true });
    const back = new BetterSqlite3(target, { readonly: true });
    try {
      // The history rows are written after the snapshot: the only difference.
      expect(dumpDataTables(back, ['backup'])).toEqual(dumpDataTables(live, ['backup']));
      expect((back.prepare('select count(*) as n from backup').get() as { n: number }).n).toBe(0);
    } finally {
      live.close();
      back.close();
    }
    for (const rel of [['archive', '2025-2026', '2026-001 v1 Классный журнал 5А класса.pdf'], ['keys', 'extra.key'], ['keys', 'archive-signing-key.pem']]) {
      const original = join(dir, 'data', ...rel);
      if (!existsSync(original)) continue;
      expect(sha(join(dir, 'restored', ...rel)), rel.join('/')).toBe(sha(original));
    }
    expect(existsSync(join(dir, 'restored', 'archive', 'drafts'))).toBe(false);
    // Never over an existing file.
    const again = cli(['restore', first.targets[1]!.file!, '--db', target, '--json'], { env: env() });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('уже существует');
  });

  it('names what is wrong: a flipped byte in the payload, in the header, a cut file, a wrong passphrase', () => {
    const source = first.targets[0]!.file!;
    const bytes = readFileSync(source);
    const damaged = (name: string, change: (b: Buffer) => Buffer): string => {
      const path = join(folder('damaged'), name);
      writeFileSync(path, change(Buffer.from(bytes)));
      return path;
    };
    const flip = (offset: number) => (b: Buffer) => {
      b[offset] = b[offset]! ^ 0x01;
      return b;
    };
    for (const offset of [bytes.length >> 1, bytes.length - 1, bytes.length - 40_000, 400]) {
      const checked = verify(damaged(`payload-${offset}.sobak`, flip(offset)));
      expect(checked.code, String(offset)).toBe(1);
      expect(checked.result.error, String(offset)).toMatch(/^файл повреждён: часть \d+ не сходится/);
    }
    const header = verify(damaged('header.sobak', flip(20)));
    expect(header.code).toBe(1);
    expect(header.result.error).toBe('файл повреждён: заголовок');
    const cut = verify(damaged('cut.sobak', (b) => b.subarray(0, b.length - 1024 * 1024 - 100)));
    expect(cut.code).toBe(1);
    expect(cut.result.error).toMatch(/^файл повреждён: (часть \d+ не сходится|файл обрывается)/);
    const wrong = verify(source, 'не-та-парольная-фраза');
    expect(wrong.code).toBe(1);
    expect(wrong.result.error).toBe('неверная парольная фраза');
    const text = cli(['backup', 'verify', damaged('text.sobak', flip(bytes.length >> 1))], { env: { SCHOOL_OFFICE_BACKUP_PASSPHRASE: PASSPHRASE } });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/НЕ прошла проверку: файл повреждён: часть \d+ не сходится/);
  });

  it('reveals no pupil surname in the raw bytes of a backup (UTF-8 or UTF-16LE)', () => {
    const raw = new BetterSqlite3(db, { readonly: true });
    const surnames = (raw.prepare('select distinct last_name from pupil order by id limit 8').all() as { last_name: string }[]).map((r) => r.last_name);
    raw.close();
    expect(surnames.length).toBe(8);
    // The check can fail: the plain register holds the names.
    expect(readFileSync(db).includes(Buffer.from(surnames[0]!, 'utf8'))).toBe(true);
    for (const target of first.targets) {
      const bytes = readFileSync(target.file!);
      for (const surname of surnames) {
        expect(bytes.includes(Buffer.from(surname, 'utf8')), surname).toBe(false);
        expect(bytes.includes(Buffer.from(surname, 'utf16le')), surname).toBe(false);
      }
    }
  });

  it('refuses to restore a backup made by a newer schema, with the Russian message, writing nothing', () => {
    const bytes = readFileSync(first.targets[0]!.file!);
    const magic = bytes.subarray(0, 8);
    const length = bytes.readUInt32BE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8')) as { schemaVersion: number };
    header.schemaVersion += 50;
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(json.length);
    const hash = createHash('sha256').update(magic).update(len).update(json).digest();
    const newer = join(folder('newer'), 'school-2030-01-01-000000.sobak');
    writeFileSync(newer, Buffer.concat([magic, len, json, hash, bytes.subarray(12 + length + 32)]));
    const target = join(dir, 'from-newer', 'school.db');
    const refused = cli(['restore', newer, '--db', target], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Резервная копия сделана более новой версией программы');
    expect(existsSync(target)).toBe(false);
  });
});

describe('devices and secrets', () => {
  it.skipIf(!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(tmpdir()).dev)('gives no warning when the targets are on different devices', () => {
    const other = mkdtempSync(join('/dev/shm', 'school-office-backup-'));
    try {
      const result = run('backup', 'run', '--to', folder('local'), '--to', other, '--json');
      expect(result.code, result.stderr).toBe(0);
      const outcome = json<RunResult>(result);
      expect(outcome.targets.map((t) => t.ok)).toEqual([true, true]);
      expect(outcome.warnings).toEqual([]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('takes the passphrase from standard input after the user password; without one it refuses, naming the variable', () => {
    const target = folder('stdin');
    const piped = cli(['--db', db, '--user', 'admin', 'backup', 'run', '--to', target, '--json'], { input: `secret\n${PASSPHRASE}\n` });
    expect(piped.code, piped.stderr).toBe(0);
    const file = json<RunResult>(piped).targets[0]!.file!;
    expect(verify(file).code).toBe(0);
    const missing = cli(['--db', db, '--user', 'admin', 'backup', 'run', '--to', target], { input: 'secret\n' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SCHOOL_OFFICE_BACKUP_PASSPHRASE');
    expect(readdirSync(target)).toEqual([file.split('/').at(-1)]);
  });

  it('never stores or prints the passphrase: not in the register (audit log included), not in the output', () => {
    const result = run('backup', 'run', '--to', folder('secret-check'));
    expect(result.code, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain(PASSPHRASE);
    const raw = new BetterSqlite3(db, { readonly: true });
    try {
      const audit = raw.prepare("select * from audit_log where method = 'backup.run'").all();
      expect(audit.length).toBeGreaterThan(0);
      expect(JSON.stringify(audit)).not.toContain(PASSPHRASE);
    } finally {
      raw.close();
    }
    for (const suffix of ['', '-wal']) {
      if (existsSync(`${db}${suffix}`)) expect(readFileSync(`${db}${suffix}`).includes(Buffer.from(PASSPHRASE, 'utf8'))).toBe(false);
    }
  });
});

describe('a failing target', () => {
  it('a missing folder and a file in place of a folder fail alone, named; the good target is written and verified; exit 1', () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the folder should be');
    const good = folder('good');
    const result = run('backup', 'run', '--to', good, '--to', blocked, '--to', join(dir, 'absent'), '--json');
    expect(result.code).toBe(1);
    const outcome = json<RunResult>(result);
    expect(outcome.targets.map((t) => t.ok)).toEqual([true, false, false]);
    expect(outcome.targets[1]!.error).toContain(`«${blocked}»`);
    expect(outcome.targets[1]!.error).toContain('это не папка');
    expect(outcome.targets[2]!.error).toContain(`«${join(dir, 'absent')}»`);
    expect(outcome.targets[2]!.error).toContain('папка не найдена');
    expect(verify(outcome.targets[0]!.file!).code).toBe(0);
    const text = run('backup', 'run', '--to', good, '--to', blocked);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('НЕ ЗАПИСАНО');
  });
});

/** Starts `backup run` with the test pause hook and resolves once it reports `stage`. */
function startPaused(target: string, stage: string): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, [CLI, '--db', db, '--user', 'admin', 'backup', 'run', '--to', target, '--json'], {
    env: { PATH: process.env.PATH ?? '', ...env({ SCHOOL_OFFICE_TEST_PAUSE_IN_BACKUP_MS: '2500' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${stage} pause: ${seen}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes(`TEST-PAUSE ${stage}`)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
  });
}

const exited = (child: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

describe('killing a backup', () => {
  for (const stage of ['snapshot', 'written', 'verified']) {
    it(`killed at «${stage}» leaves no file under a backup's name; list shows none`, async () => {
      const target = folder(`killed-${stage}`);
      const child = await startPaused(target, stage);
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
      expect(readdirSync(target).filter((n) => BACKUP_NAME.test(n))).toEqual([]);
      const listed = json<{ backups: unknown[] }>(cli(['backup', 'list', '--to', target, '--json']));
      expect(listed.backups).toEqual([]);
      // A leftover temp file is the only trace, and only once writing began.
      const leftovers = readdirSync(target);
      if (stage === 'snapshot') expect(leftovers).toEqual([]);
      else expect(leftovers).toEqual([expect.stringMatching(/^\.school-.*\.sobak\.tmp-\d+$/)]);
      // The killed run's work folder (its snapshot) beside the register is removed by the next run.
      const work = () => readdirSync(join(dir, 'data')).filter((n) => n.startsWith('.backup-work-'));
      expect(work()).toHaveLength(1);
      expect(run('backup', 'run', '--to', folder(`after-${stage}`)).code).toBe(0);
      expect(work()).toEqual([]);
    }, 60_000);
  }

  it('Ctrl+C while writing cancels: exit 130 and no file, not even a temp file', async () => {
    const target = folder('interrupted');
    const child = await startPaused(target, 'written');
    const done = exited(child);
    child.kill('SIGINT');
    expect(await done).toBe(130);
    expect(readdirSync(target)).toEqual([]);
  }, 60_000);
});

describe('restore refuses a damaged file before writing anything', () => {
  it('a flipped byte: exit 1, the new database not created', () => {
    const bytes = readFileSync(first.targets[0]!.file!);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    const bad = join(folder('bad'), 'school-2026-01-01-000000.sobak');
    writeFileSync(bad, bytes);
    const target = join(dir, 'from-bad', 'school.db');
    const refused = cli(['restore', bad, '--db', target], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/часть \d+ не сходится/);
    expect(existsSync(target)).toBe(false);
  });
});
