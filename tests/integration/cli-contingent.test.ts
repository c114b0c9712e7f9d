import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli } from '../support/cli';

let dir: string;
let db: string;
const as = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], as);
/** The register's content (each CLI login adds its own audit entry, so the file itself changes). */
function digest(): string {
  const raw = new BetterSqlite3(db, { readonly: true });
  const hash = createHash('sha256');
  for (const table of ['pupil', 'guardian', 'pupil_guardian', 'pupil_order', 'movement_event', 'class_membership', 'alphabet_counter', 'access_code']) {
    hash.update(JSON.stringify(raw.prepare(`select * from ${table} order by rowid`).all()));
  }
  raw.close();
  return hash.digest('hex');
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-contingent-'));
  db = join(dir, 'school.db');
  expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
  expect(run('demo', '--seed', '2', '--pupils', '150').code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('contingent from the command line', () => {
  it('lists a class on a date with the documented fields', () => {
    const list = run('--json', 'pupils', 'list', '--class', '5А', '--date', '2025-10-01');
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(5);
    expect(Object.keys(rows[0]!).sort()).toEqual(['birthDate', 'class', 'fileNo', 'firstName', 'id', 'lastName', 'middleName']);
    expect(rows.every((r) => r.class === '5А')).toBe(true);
  });

  it('admits, moves and records a leaver, and the report reconciles with the lists', () => {
    const admitted = run('--json', 'admit', '--class', '5А', '--order-date', '2025-11-10', '--last-name', 'Тестов', '--first-name', 'Игорь', '--birth-date', '2014-06-01', '--gender', 'м', '--place', 'г. Канск');
    expect(admitted.code, admitted.stderr).toBe(0);
    const { pupilId, fileNo } = JSON.parse(admitted.stdout) as { pupilId: number; fileNo: string };
    expect(fileNo).toMatch(/^Т\/\d+$/);
    const otherClass = JSON.parse(run('--json', 'pupils', 'list', '--date', '2025-11-10').stdout) as Array<{ class: string }>;
    const target = otherClass.map((r) => r.class).find((c) => c.startsWith('5') && c !== '5А') ?? '6А';
    expect(run('transfer', '--pupil', String(pupilId), '--class', target, '--order-date', '2025-12-01').code).toBe(0);
    const left = run('--json', 'leave', '--pupil', String(pupilId), '--reason', 'смена места жительства', '--place', 'г. Норильск', '--order-date', '2026-02-02');
    expect(left.code, left.stderr).toBe(0);
    const card = JSON.parse(run('--json', 'pupils', 'show', String(pupilId)).stdout) as { events: Array<{ kind: string }>; fileNo: string };
    expect(card.events.map((e) => e.kind)).toEqual(['admission', 'class_transfer', 'leave']);
    expect(card.fileNo).toBe(fileNo);

    const report = JSON.parse(run('--json', 'movement', 'report', '--from', '2025-09-01', '--to', '2026-05-26').stdout) as {
      classes: Array<{ class: string; start: number; arrived: number; left: number; end: number }>;
      events: Array<{ pupilId: number; kind: string }>;
    };
    for (const c of report.classes) {
      expect(c.start + c.arrived - c.left, c.class).toBe(c.end);
      const atEnd = JSON.parse(run('--json', 'pupils', 'list', '--class', c.class, '--date', '2026-05-26').stdout) as unknown[];
      expect(atEnd.length, c.class).toBe(c.end);
    }
    expect(report.events.filter((e) => e.pupilId === pupilId).map((e) => e.kind)).toEqual(['admission', 'class_transfer', 'leave']);
  });

  it('refuses bad input with exit code 1, a clear message, and an unchanged database', () => {
    const before = digest();
    const cases: Array<[string[], RegExp]> = [
      [['admit', '--class', '5А', '--order-date', '2025-11-11', '--last-name', 'Плохов', '--first-name', 'Иван', '--birth-date', '2014-01-01', '--gender', 'м', '--snils', '112-233-445 00'], /неверная контрольная сумма СНИЛС/],
      [['admit', '--class', '5Я', '--order-date', '2025-11-11', '--last-name', 'Плохов', '--first-name', 'Иван', '--birth-date', '2014-01-01', '--gender', 'м'], /Класс «5Я» не найден/],
      [['admit', '--class', '5А', '--order-date', '2025-11-31', '--last-name', 'Плохов', '--first-name', 'Иван', '--birth-date', '2014-01-01', '--gender', 'м'], /существующая в календаре/],
      [['leave', '--pupil', '1', '--reason', 'иное', '--order-date', '2020-01-10'], /позже зачисления|не числится/],
      [['leave', '--pupil', '1', '--reason', 'потому что', '--order-date', '2026-01-10'], /причину выбытия из списка/],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    expect(digest()).toBe(before);
  });

  it('refuses an order dated in a closed year', () => {
    // Closing a year is the year-close issue's work; here the flag is set directly.
    const raw = new BetterSqlite3(db);
    raw.prepare("update school_year set closed = 1 where name = '2025/2026'").run();
    raw.close();
    const before = digest();
    const result = run('admit', '--class', '5А', '--order-date', '2025-12-01', '--last-name', 'Поздний', '--first-name', 'Иван', '--birth-date', '2014-01-01', '--gender', 'м');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Учебный год 2025\/2026 закрыт/);
    expect(digest()).toBe(before);
  });
});
