import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { type Dirent, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { asFromNewerSchema } from '../support/backup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, CLI, type CliResult } from '../support/cli';
import { dumpDataTables } from '../support/data-tables';
import { readHeader } from '../../main/backup/format';
import { writeSetting } from '../support/archive';

/**
 * Backups through the built command line (issue 8, «must show»): `backup run --to A --to B`,
 * `backup verify` of each, `restore` into a new file giving the same data, keys and archive
 * files; a flipped byte named; a failing target alone (missing, full, removed mid-write); a
 * killed run never leaves a file that verifies under a backup's name, and its temp files are
 * removed by the next run; no pupil's name in the raw bytes; a newer backup refused; runs need
 * no passphrase once the key is set up; the archive is copied only where missing; rotation.
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
  targets: { path: string; ok: boolean; file: string | null; bytes: number | null; sha256: string | null; error: string | null; removed: number }[];
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
let firstStderr: string;
const PDF_REL = ['archive', '2025-2026', '2026-001 v1 Классный журнал 5А класса.pdf'];
const OBJECT_REL = [...PDF_REL.slice(0, -1), `${PDF_REL.at(-1)}.sobak`];

/** Every file under a folder, relative, sorted. */
function tree(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

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
  // No key yet: the passphrase in the environment sets it up (the former usage keeps working).
  const result = run('backup', 'run', '--to', folder('A'), '--to', folder('B'), '--json');
  expect(result.code, result.stderr).toBe(0);
  first = json<RunResult>(result);
  firstStderr = result.stderr;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup run, verify, restore', () => {
  it('writes a verified file into both targets, warns that they share a device, and records both in the history', () => {
    expect(first.targets.map((t) => [t.path, t.ok, t.error])).toEqual([
      [join(dir, 'A'), true, null],
      [join(dir, 'B'), true, null],
    ]);
    expect(firstStderr).toContain('Ключ резервных копий создан из парольной фразы SCHOOL_OFFICE_BACKUP_PASSPHRASE');
    for (const target of first.targets) {
      expect(Object.keys(target).sort()).toEqual(['bytes', 'error', 'file', 'ok', 'path', 'removed', 'sha256']);
      // The backup file, and the sealed PDF as its own encrypted object beside it.
      expect(tree(target.path)).toEqual([OBJECT_REL.join('/'), target.file!.split('/').at(-1)].sort());
      expect(readHeader(target.file!).header).toMatchObject({ format: 2, objects: [OBJECT_REL.join('/')] });
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
    for (const line of ['backup set-passphrase [--change | --replace]', 'backup run [--to ПАПКА …]', 'backup verify ФАЙЛ', 'backup list --to ПАПКА', 'restore ФАЙЛ --db НОВАЯ.db']) expect(help).toContain(line);
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
    for (const rel of [PDF_REL, ['keys', 'extra.key'], ['keys', 'archive-signing-key.pem']]) {
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
    const firstChunk = readHeader(source).checkOffset + 44 + 20;
    for (const offset of [bytes.length >> 1, bytes.length - 1, bytes.length - 40_000, firstChunk]) {
      const checked = verify(damaged(`payload-${offset}.sobak`, flip(offset)));
      expect(checked.code, String(offset)).toBe(1);
      expect(checked.result.error, String(offset)).toMatch(/^файл повреждён: часть \d+ не сходится/);
    }
    const header = verify(damaged('header.sobak', flip(20)));
    expect(header.code).toBe(1);
    expect(header.result.error).toBe('файл повреждён: заголовок');
    const cut = verify(damaged('cut.sobak', (b) => b.subarray(0, b.length >> 1)));
    expect(cut.code).toBe(1);
    expect(cut.result.error).toMatch(/^файл повреждён: (часть \d+ не сходится|файл обрывается)/);
    const wrong = verify(source, 'не-та-парольная-фраза');
    expect(wrong.code).toBe(1);
    expect(wrong.result.error).toBe('неверная парольная фраза');
    const text = cli(['backup', 'verify', damaged('text.sobak', flip(bytes.length >> 1))], { env: { SCHOOL_OFFICE_BACKUP_PASSPHRASE: PASSPHRASE } });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/НЕ прошла проверку: файл повреждён: часть \d+ не сходится/);
  });

  it('verify decrypts the archive objects too: a missing or damaged one fails, named', () => {
    const copy = folder('objects-damaged');
    const file = join(copy, first.targets[0]!.file!.split('/').at(-1)!);
    writeFileSync(file, readFileSync(first.targets[0]!.file!));
    const missing = verify(file);
    expect(missing.code).toBe(1);
    expect(missing.result.error).toBe(`файл повреждён: нет файла архива «${OBJECT_REL.join('/')}» рядом с копией`);
    const object = readFileSync(join(first.targets[0]!.path, ...OBJECT_REL));
    object[object.length >> 1] = object[object.length >> 1]! ^ 0x01;
    mkdirSync(join(copy, ...OBJECT_REL.slice(0, -1)), { recursive: true });
    writeFileSync(join(copy, ...OBJECT_REL), object);
    const flipped = verify(file);
    expect(flipped.code).toBe(1);
    expect(flipped.result.error).toMatch(new RegExp(`^файл повреждён: файл архива «${OBJECT_REL.join('/')}»: часть \\d+ не сходится`));
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
    const newer = join(folder('newer'), 'school-2030-01-01-000000.sobak');
    writeFileSync(newer, asFromNewerSchema(readFileSync(first.targets[0]!.file!)));
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

  it('once the key is set up, runs with no passphrase at all (as the OS scheduler does); a wrong one in the environment is refused, exit 2, nothing written', () => {
    const target = folder('no-passphrase');
    const plain = cli(['--db', db, '--user', 'admin', 'backup', 'run', '--to', target, '--json'], { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } });
    expect(plain.code, plain.stderr).toBe(0);
    const file = json<RunResult>(plain).targets[0]!.file!;
    expect(verify(file).code).toBe(0);
    const wrongTarget = folder('wrong-passphrase');
    const wrong = cli(['--db', db, '--user', 'admin', 'backup', 'run', '--to', wrongTarget], { env: env({ SCHOOL_OFFICE_BACKUP_PASSPHRASE: 'не-та-фраза-вовсе' }) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('SCHOOL_OFFICE_BACKUP_PASSPHRASE: неверная парольная фраза');
    expect(readdirSync(wrongTarget)).toEqual([]);
  });

  it('the OS scheduler\'s task: backup run with no account and no passphrase writes the settings\' folders, recorded as a scheduled run; without a key it refuses, writing nothing', () => {
    const a = folder('unattended-a');
    const b = folder('unattended-b');
    writeSetting(db, 'backupTargets', [a, b]);
    try {
      const made = cli(['--db', db, 'backup', 'run', '--json'], { env: {} });
      expect(made.code, made.stderr).toBe(0);
      const result = json<RunResult>(made);
      expect(result.targets.map((t) => [t.path, t.ok])).toEqual([
        [a, true],
        [b, true],
      ]);
      for (const t of result.targets) expect(verify(t.file!).code).toBe(0);
      const raw = new BetterSqlite3(db, { readonly: true });
      try {
        const entries = raw.prepare("select action, user_id from audit_log where method = 'backup.run' order by id desc limit 2").all() as { action: string; user_id: number | null }[];
        expect(entries).toEqual([
          { action: 'Резервное копирование по расписанию', user_id: null },
          { action: 'Резервное копирование по расписанию', user_id: null },
        ]);
      } finally {
        raw.close();
      }
    } finally {
      writeSetting(db, 'backupTargets', []);
    }
    const fresh = join(dir, 'unattended-fresh', 'school.db');
    mkdirSync(dirname(fresh), { recursive: true });
    expect(cli(['--db', fresh, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
    const target = folder('unattended-fresh-target');
    const refused = cli(['--db', fresh, 'backup', 'run', '--to', target], { env: {} });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Парольная фраза резервных копий не задана');
    expect(readdirSync(target)).toEqual([]);
  });

  it('a register without a key: run refuses pointing to set-passphrase; set-passphrase takes it from standard input; --change rewraps it', () => {
    const fresh = join(dir, 'fresh', 'school.db');
    mkdirSync(dirname(fresh), { recursive: true });
    expect(cli(['--db', fresh, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
    const as = (args: string[], options: { input?: string; env?: Record<string, string> }) => cli(['--db', fresh, '--user', 'admin', ...args], options);
    const target = folder('fresh-target');
    const refused = as(['backup', 'run', '--to', target], { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('backup set-passphrase');
    expect(readdirSync(target)).toEqual([]);
    const set = as(['backup', 'set-passphrase'], { input: `secret\n${PASSPHRASE}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('Парольная фраза резервных копий задана');
    const again = as(['backup', 'set-passphrase'], { input: `secret\n${PASSPHRASE}\n` });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('уже задана');
    const changed = as(['backup', 'set-passphrase', '--change'], { env: env({ SCHOOL_OFFICE_NEW_BACKUP_PASSPHRASE: 'вторая-фраза-для-копий' }) });
    expect(changed.code, changed.stderr).toBe(0);
    const made = as(['backup', 'run', '--to', target, '--json'], { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } });
    expect(made.code, made.stderr).toBe(0);
    const file = json<RunResult>(made).targets[0]!.file!;
    expect(verify(file, 'вторая-фраза-для-копий').code).toBe(0);
    expect(verify(file).result.error).toBe('неверная парольная фраза');
    for (const secret of [PASSPHRASE, 'вторая-фраза-для-копий']) {
      expect(`${set.stdout}${set.stderr}${changed.stdout}${changed.stderr}`).not.toContain(secret);
      const raw = new BetterSqlite3(fresh, { readonly: true });
      try {
        expect(JSON.stringify(raw.prepare('select * from audit_log').all())).not.toContain(secret);
      } finally {
        raw.close();
      }
    }
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
  /** Temp files anywhere in a target (its root and archive/). */
  const temps = (target: string) => tree(target).filter((n) => /\.tmp-\d+$/.test(n));

  for (const stage of ['snapshot', 'objects', 'written', 'verified']) {
    it(`killed at «${stage}» leaves no file under a backup's name; list shows none; the next run to it removes the temp files`, async () => {
      const target = folder(`killed-${stage}`);
      const child = await startPaused(target, stage);
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
      expect(readdirSync(target).filter((n) => BACKUP_NAME.test(n))).toEqual([]);
      const listed = json<{ backups: unknown[] }>(cli(['backup', 'list', '--to', target, '--json']));
      expect(listed.backups).toEqual([]);
      // A leftover temp file is the only trace, and only once writing began.
      if (stage === 'snapshot') expect(tree(target)).toEqual([]);
      else if (stage === 'objects') expect(temps(target)).toEqual([expect.stringMatching(/^archive\/2025-2026\/\..*\.pdf\.sobak\.tmp-\d+$/)]);
      else expect(temps(target)).toEqual([expect.stringMatching(/^\.school-.*\.sobak\.tmp-\d+$/)]);
      // The killed run's work folder (its snapshot) beside the register is removed by the next run.
      const work = () => readdirSync(join(dir, 'data')).filter((n) => n.startsWith('.backup-work-'));
      expect(work()).toHaveLength(1);
      expect(run('backup', 'run', '--to', folder(`after-${stage}`)).code).toBe(0);
      expect(work()).toEqual([]);
      // The next run into the same target removes the dead run's temp files and writes a whole backup.
      const again = run('backup', 'run', '--to', target, '--json');
      expect(again.code, again.stderr).toBe(0);
      expect(temps(target)).toEqual([]);
      expect(verify(json<RunResult>(again).targets[0]!.file!).code).toBe(0);
    }, 90_000);
  }

  it('Ctrl+C while writing cancels: exit 130 and no backup file, not even a temp file', async () => {
    const target = folder('interrupted');
    const child = await startPaused(target, 'written');
    const done = exited(child);
    child.kill('SIGINT');
    expect(await done).toBe(130);
    // Whole archive objects may stay (the next run reuses them); nothing else.
    expect(tree(target).filter((n) => !n.startsWith('archive/'))).toEqual([]);
    expect(temps(target)).toEqual([]);
  }, 60_000);
});

describe('the archive is copied only where missing; rotation', () => {
  it('a second run reuses the archive object; a target lacking it (or with a damaged one) gets it again', () => {
    const target = folder('reuse');
    const one = json<RunResult>(run('backup', 'run', '--to', target, '--json'));
    expect(one.targets[0]!.ok).toBe(true);
    const object = join(target, ...OBJECT_REL);
    const before = statSync(object);
    const two = json<RunResult>(run('backup', 'run', '--to', target, '--json'));
    expect(two.targets[0]!.ok).toBe(true);
    // Not rewritten: same inode and modification time.
    expect([statSync(object).ino, statSync(object).mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // Cut short (a cheap size check notices): written again, and verifies.
    writeFileSync(object, readFileSync(object).subarray(0, 1000));
    const three = json<RunResult>(run('backup', 'run', '--to', target, '--json'));
    expect(three.targets[0]!.ok).toBe(true);
    expect(statSync(object).size).toBe(before.size);
    expect(verify(three.targets[0]!.file!).code).toBe(0);
    expect(verify(one.targets[0]!.file!).code).toBe(0);
  });

  it('--keep-latest 1 --keep-monthly 0 keeps only the new backup and removes objects no kept backup lists', () => {
    const target = folder('rotation');
    for (let i = 0; i < 2; i += 1) expect(run('backup', 'run', '--to', target).code).toBe(0);
    const stray = join(target, 'archive', '2019-2020', 'old.pdf.sobak');
    mkdirSync(dirname(stray), { recursive: true });
    writeFileSync(stray, 'an object of a backup that rotation removed');
    // Two days old: younger unlisted objects may belong to a run still going on, and stay.
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(stray, old, old);
    const fresh = join(target, 'archive', '2019-2020', 'fresh.pdf.sobak');
    writeFileSync(fresh, 'just written by another run');
    const rotated = run('backup', 'run', '--to', target, '--keep-latest', '1', '--keep-monthly', '0', '--json');
    expect(rotated.code, rotated.stderr).toBe(0);
    const outcome = json<RunResult>(rotated);
    const newest = outcome.targets[0]!.file!.split('/').at(-1)!;
    expect(readdirSync(target).filter((n) => BACKUP_NAME.test(n))).toEqual([newest]);
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(outcome.targets[0]!.removed).toBe(3);
    expect(verify(outcome.targets[0]!.file!).code).toBe(0);
  });
});

describe('a medium that fails mid-write', () => {
  // The hook fails files written directly in the given folder: the backup file (the target) or an archive object (its archive/ subfolder).
  for (const [code, where, bytes, reason] of [
    ['ENOSPC', '', '50000', 'на носителе не хватает места'],
    ['EIO', 'archive/2025-2026', '5000', 'ошибка ввода-вывода (носитель извлечён?)'],
  ] as const) {
    it(`${code} after ${bytes} bytes of ${where || 'the backup file'}: that target fails with «${reason}», leaving no temp file; the other is written and verifies; exit 1`, () => {
      const good = folder(`fault-good-${code}`);
      const bad = folder(`fault-bad-${code}`);
      const result = cli(['--db', db, '--user', 'admin', 'backup', 'run', '--to', good, '--to', bad, '--json'], { env: env({ SCHOOL_OFFICE_TEST_BACKUP_FAULT: `${join(bad, where)}|${code}|${bytes}` }) });
      expect(result.code, result.stderr).toBe(1);
      const outcome = json<RunResult>(result);
      expect(outcome.targets.map((t) => t.ok)).toEqual([true, false]);
      expect(outcome.targets[1]!.error).toBe(`Папка резервных копий «${bad}»: ${reason}.`);
      expect(tree(bad).filter((n) => /\.tmp-\d+$/.test(n) || BACKUP_NAME.test(n))).toEqual([]);
      expect(verify(outcome.targets[0]!.file!).code).toBe(0);
    });
  }
});

describe('a medium that silently stores a byte wrong', () => {
  // The same bytes go to every target: the first copy is decrypted and test-restored, the others
  // are compared byte for byte with what was written. Either way a bad copy never gets a name.
  for (const [order, label] of [
    ['bad-first', 'the fully checked first target'],
    ['bad-second', 'a target compared with what was written'],
  ] as const) {
    it(`${label}: that copy fails the read-back check, nothing under a backup's name; the good one verifies; exit 1`, () => {
      const good = folder(`flip-good-${order}`);
      const bad = folder(`flip-bad-${order}`);
      const targets = order === 'bad-first' ? [bad, good] : [good, bad];
      const result = cli(['--db', db, '--user', 'admin', 'backup', 'run', ...targets.flatMap((t) => ['--to', t]), '--json'], { env: env({ SCHOOL_OFFICE_TEST_BACKUP_FAULT: `${bad}|FLIP|70000` }) });
      expect(result.code, result.stderr).toBe(1);
      const outcome = json<RunResult>(result);
      const byPath = new Map(outcome.targets.map((t) => [t.path, t]));
      expect(byPath.get(bad)!.ok).toBe(false);
      expect(byPath.get(bad)!.error).toContain('записанный файл не прошёл проверку');
      expect(readdirSync(bad).filter((n) => BACKUP_NAME.test(n) || /\.tmp-\d+$/.test(n))).toEqual([]);
      expect(byPath.get(good)!.ok).toBe(true);
      expect(verify(byPath.get(good)!.file!).code).toBe(0);
    });
  }
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
