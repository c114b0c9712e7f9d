import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliJson, overwriteSealed, writeSetting } from '../support/archive';
import { assertBuilt, cli } from '../support/cli';

/**
 * `archive sync-mirror` through the built command line: two volumes sealed while no second-copy
 * folder was set; without the folder the command is refused; with it `archive verify` names the
 * missing copies (exit 1), `archive sync-mirror --json` writes them (read-only, equal to the
 * register) and verify passes; a second run writes nothing; a damaged second copy is reported
 * with exit 1 and left as it is.
 */

const YEAR = '2025/2026';
const as = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
let dir: string;
let db: string;
let mirror: string;

const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], as);
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const setSetting = (key: string, value: unknown) => writeSetting(db, key, value);

interface Sealed {
  volumeId: number;
  archiveNo: string;
  file: string;
  sha256: string;
}
interface Synced {
  copied: number;
  alreadyPresent: number;
  failed: { volumeId: number; archiveNo: string; title: string; problem: string }[];
}

let sealed: Sealed[] = [];
const mirrorCopyOf = (v: Sealed) => join(mirror, v.file.slice(join(dir, 'archive').length + 1));

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-mirror-'));
  db = join(dir, 'school.db');
  mirror = join(dir, 'second-disk');
  mkdirSync(mirror);
  expect(cli(['--db', db, 'init', '--admin', 'admin', '--name', 'Иванова Анна Петровна'], { input: 'secret\n' }).code).toBe(0);
  const demo = run('demo', '--seed', '5', '--pupils', '60', '--year', YEAR);
  expect(demo.code, demo.stderr).toBe(0);
  // Two short ledgers of one class, sealed while no second copy is configured.
  sealed = [
    cliJson<Sealed>(run('archive', 'seal', '--kind', 'movement', '--class', '5А', '--year', YEAR, '--json')),
    cliJson<Sealed>(run('archive', 'seal', '--kind', 'marks', '--class', '5А', '--year', YEAR, '--json')),
  ];
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('archive sync-mirror', () => {
  it('is listed in the help', () => {
    const help = cli(['--help']);
    expect(help.stdout).toContain('archive sync-mirror');
  });

  it('is refused without a second-copy folder, saying where to set it', () => {
    const result = run('archive', 'sync-mirror', '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Папка второй копии архива не указана');
    expect(result.stderr).toContain('«Настройки»');
    // Nothing written into the (plugged-in, still unconfigured) second disk.
    expect(readdirSync(mirror)).toEqual([]);
  });

  it('writes the missing second copies; verify then passes, and a second run writes nothing', () => {
    setSetting('archiveMirrorDir', mirror);
    const before = run('archive', 'verify', '--json');
    expect(before.code).toBe(1);
    const problems = (JSON.parse(before.stdout) as { problems: { volumeId: number; copy: string; problem: string }[] }).problems;
    expect(problems.map((p) => [p.volumeId, p.copy, p.problem])).toEqual(sealed.map((v) => [v.volumeId, `вторая копия (${mirror})`, 'файл не найден']));

    expect(cliJson<Synced>(run('archive', 'sync-mirror', '--json'))).toEqual({ copied: 2, alreadyPresent: 0, failed: [] });
    for (const v of sealed) {
      expect(sha256(mirrorCopyOf(v))).toBe(v.sha256);
      if (process.platform !== 'win32') expect(statSync(mirrorCopyOf(v)).mode & 0o777).toBe(0o444);
    }
    expect(cliJson<{ ok: boolean; checkedCopies: number }>(run('archive', 'verify', '--json'))).toMatchObject({ ok: true, checkedCopies: 4 });

    const again = run('archive', 'sync-mirror');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('Вторые копии: записано 0, уже были на месте и целы 2, не записано 0.');
  });

  it('reports a damaged second copy with exit 1 and leaves it as it is', () => {
    const victim = sealed[1];
    if (!victim) throw new Error('no volume');
    const path = mirrorCopyOf(victim);
    const original = readFileSync(path);
    const changed = Buffer.from(original);
    changed.writeUInt8(changed.readUInt8(100) ^ 0x01, 100);
    overwriteSealed(path, changed);
    try {
      const result = run('archive', 'sync-mirror');
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('Вторые копии: записано 0, уже были на месте и целы 1, не записано 1.');
      expect(result.stdout).toContain(`дело № ${victim.archiveNo}`);
      expect(result.stdout).toContain('вторая копия повреждена: файл изменён: контрольная сумма не совпадает');
      expect(readFileSync(path).equals(changed)).toBe(true);
    } finally {
      overwriteSealed(path, original);
    }
    expect(run('archive', 'verify').code).toBe(0);
  });
});
