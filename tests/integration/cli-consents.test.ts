import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../main/app';
import { ADMIN, openInitializedApp } from '../support/app';
import { assertBuilt, cli } from '../support/cli';
import { smallSchool } from '../support/school';

/**
 * The consent commands on a small school written through the API (the command line runs on
 * today's clock, so the report is asked for a day of the 2025/2026 year with --date).
 */

let dir: string;
let db: string;
const ids: Record<string, number> = {};
const as = { env: { SCHOOL_OFFICE_PASSWORD: ADMIN.password } };
const run = (...args: string[]) => cli(['--db', db, '--user', ADMIN.login, ...args], as);
const json = <T>(args: string[]): T => {
  const result = run('--json', ...args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
};
const consentCount = () => {
  const raw = new BetterSqlite3(db, { readonly: true });
  const n = (raw.prepare('select count(*) as n from consent').get() as { n: number }).n;
  raw.close();
  return n;
};

beforeAll(async () => {
  assertBuilt();
  const t = await openInitializedApp();
  dir = t.dir;
  db = t.dbPath;
  const school = await smallSchool(t);
  const admit = async (key: string, classId: number, lastName: string, firstName: string, birthDate: string) => {
    ids[key] = (await t.call('movement.admit', { order: { date: '2025-09-01' }, classId, pupil: { lastName, firstName, middleName: null, birthDate, gender: 'м', snils: null } }, t.adminSession)).pupilId;
  };
  await admit('orlov', school.classes['5А'], 'Орлов', 'Иван', '2014-04-04');
  await admit('belov', school.classes['5А'], 'Белов', 'Лев', '2014-06-06');
  await admit('kuzin', school.classes['6А'], 'Кузин', 'Марк', '2011-01-01');
  for (const [key, pupil, lastName, firstName] of [
    ['orlovMother', 'orlov', 'Орлова', 'Анна'],
    ['belovMother', 'belov', 'Белова', 'Ольга'],
    ['kuzinMother', 'kuzin', 'Кузина', 'Вера'],
  ] as const) {
    await t.call('guardians.link', { pupilId: ids[pupil]!, kinship: 'мать', guardian: { lastName, firstName, middleName: null, snils: null } }, t.adminSession);
    ids[key] = (await t.app.db.selectFrom('guardian').select('id').where('last_name', '=', lastName).executeTakeFirstOrThrow()).id;
  }
  await t.app.db
    .insertInto('access_code')
    .values({ holder_kind: 'guardian', pupil_id: ids.belov!, guardian_id: ids.belovMother!, code_secret: 'ACDEFGHJKM', status: 'issued', imported_at: '2025-09-10T00:00:00Z' })
    .execute();
  await t.app.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('consents from the command line', () => {
  it('has no texts at first and refuses to record until they are filled in', async () => {
    const list = json<{ templates: unknown[]; defaults: Array<{ purpose: string }> }>(['consents', 'templates']);
    expect(list.templates).toEqual([]);
    expect(list.defaults).toHaveLength(4);
    const refused = run('consents', 'record', '--pupil', String(ids.orlov), '--purpose', 'pupil_data', '--status', 'given', '--date', '2025-09-05', '--signed-by', String(ids.orlovMother));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Сначала заполните текст согласия (раздел «Согласия» → «Тексты согласий»)');
    expect(consentCount()).toBe(0);

    // The administrator fills in the texts in the app (there is no command for it).
    const app = await createApp({ dbPath: db });
    try {
      const login = await app.dispatch({ method: 'auth.login', params: { login: ADMIN.login, password: ADMIN.password } });
      const sessionId = login.ok ? (login.result as { sessionId: string }).sessionId : null;
      const defaults = await app.dispatch({ method: 'consentTemplates.list', params: {}, sessionId });
      for (const d of (defaults.ok ? (defaults.result as { defaults: Array<Record<string, unknown>> }).defaults : [])) {
        const { categories, ...rest } = d;
        const saved = await app.dispatch({ method: 'consentTemplates.save', params: { ...rest, ...(categories ? { categories } : {}) }, sessionId });
        expect(saved.ok).toBe(true);
      }
    } finally {
      await app.close();
    }
    const text = run('consents', 'templates');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('распространение данных обучающегося');
  });

  it('records decisions with scans, categories and the pupil’s signature; a refusal revokes the code', () => {
    const pdf = join(dir, 'согласие.pdf');
    writeFileSync(pdf, '%PDF-1.4\n%%EOF\n');
    const given = json<{ consentId: number; revokedCodes: number }>([
      'consents', 'record', '--pupil', String(ids.orlov), '--purpose', 'pupil_data', '--status', 'given', '--date', '2025-09-05',
      '--signed-by', String(ids.orlovMother), '--scan', pdf, '--note', 'бланк № 1',
    ]);
    expect(given.revokedCodes).toBe(0);
    const raw = new BetterSqlite3(db, { readonly: true });
    const row = raw.prepare('select scan_name, scan_mime, length(scan) as size, note from consent where id = ?').get(given.consentId);
    raw.close();
    expect(row).toEqual({ scan_name: 'согласие.pdf', scan_mime: 'application/pdf', size: 15, note: 'бланк № 1' });

    json(['consents', 'record', '--pupil', String(ids.orlov), '--purpose', 'distribution', '--status', 'given', '--date', '2025-09-05', '--signed-by', String(ids.orlovMother), '--categories', 'фамилия и имя; класс']);
    json(['consents', 'record', '--pupil', String(ids.kuzin), '--purpose', 'pupil_data', '--status', 'given', '--date', '2025-09-05', '--signed-by', String(ids.kuzinMother), '--pupil-signed', '--template-version', '1']);
    const refused = json<{ revokedCodes: number }>(['consents', 'record', '--pupil', String(ids.belov), '--guardian', String(ids.belovMother), '--purpose', 'electronic_results', '--status', 'refused', '--date', '2025-09-10']);
    expect(refused.revokedCodes).toBe(1);
    const human = run('consents', 'record', '--pupil', String(ids.kuzin), '--guardian', String(ids.kuzinMother), '--purpose', 'guardian_data', '--status', 'given', '--date', '2025-09-05');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.trim()).toMatch(/^Записано: согласие № \d+ \(дано\)\.$/);
  });

  it('refuses bad input with a message and exit code, writing nothing', () => {
    const before = consentCount();
    const base = ['consents', 'record', '--pupil', String(ids.belov), '--purpose', 'pupil_data', '--date', '2025-09-05', '--signed-by', String(ids.belovMother)];
    const badStatus = run(...base, '--status', 'maybe');
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('--status');
    const badPurpose = run('consents', 'record', '--pupil', String(ids.belov), '--purpose', 'photos', '--status', 'given', '--date', '2025-09-05');
    expect(badPurpose.code).toBe(2);
    const txt = join(dir, 'скан.txt');
    writeFileSync(txt, 'hello');
    expect(run(...base, '--status', 'given', '--scan', txt).code).toBe(2);
    const fake = join(dir, 'поддельный.pdf');
    writeFileSync(fake, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const wrongMagic = run(...base, '--status', 'given', '--scan', fake);
    expect(wrongMagic.code).toBe(1);
    expect(wrongMagic.stderr).toContain('Скан: файл не является PDF');
    const young = run(...base, '--status', 'given', '--pupil-signed');
    expect(young.code).toBe(1);
    expect(young.stderr).toContain('Подпись обучающегося');
    const unlinked = run('consents', 'record', '--pupil', String(ids.belov), '--guardian', String(ids.orlovMother), '--purpose', 'guardian_data', '--status', 'given', '--date', '2025-09-05');
    expect(unlinked.code).toBe(1);
    expect(unlinked.stderr).toContain('Представитель');
    expect(consentCount()).toBe(before);
  });

  it('withdraws a consent and reports the destruction deadline', () => {
    const given = json<{ consentId: number }>(['consents', 'record', '--pupil', String(ids.belov), '--guardian', String(ids.belovMother), '--purpose', 'guardian_data', '--status', 'given', '--date', '2025-09-05']);
    const withdrawn = json<{ consentId: number; destroyDue: string | null; revokedCodes: number }>(['consents', 'withdraw', '--consent', String(given.consentId), '--date', '2025-10-01', '--note', 'заявление']);
    expect(withdrawn).toMatchObject({ destroyDue: '2025-10-31', revokedCodes: 0 });
    const again = run('consents', 'withdraw', '--consent', String(given.consentId), '--date', '2025-10-02');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('не действует');
  });

  it('prints the coverage report: every class of the year, or one class', () => {
    const all = json<{ date: string; classes: Array<{ classId: number; class: string; pupils: number; missing: Array<Record<string, unknown>>; refusedElectronic: Array<Record<string, unknown>> }> }>([
      'consents', 'report', '--date', '2025-10-15',
    ]);
    expect(all.date).toBe('2025-10-15');
    expect(all.classes.map((c) => [c.class, c.pupils])).toEqual([
      ['5А', 2],
      ['5Б', 0],
      ['6А', 1],
    ]);
    const c5 = all.classes[0]!;
    // Белов first (alphabetical): no pupil_data; his mother withdrew her data and refused the e-diary.
    expect(c5.missing).toEqual([
      { pupilId: ids.belov, personId: ids.belov, personKind: 'pupil', person: 'Белов Лев', purpose: 'pupil_data', reason: 'согласие не оформлено' },
      { pupilId: ids.belov, personId: ids.belovMother, personKind: 'guardian', person: 'Белова Ольга', purpose: 'guardian_data', reason: 'согласие отозвано' },
      { pupilId: ids.orlov, personId: ids.orlovMother, personKind: 'guardian', person: 'Орлова Анна', purpose: 'guardian_data', reason: 'согласие не оформлено' },
      { pupilId: ids.orlov, personId: ids.orlovMother, personKind: 'guardian', person: 'Орлова Анна', purpose: 'electronic_results', reason: 'нет решения о получении результатов в электронной форме' },
    ]);
    expect(c5.refusedElectronic).toEqual([{ pupilId: ids.belov, guardianId: ids.belovMother, guardian: 'Белова Ольга', pupil: 'Белов Лев', status: 'refused', decidedOn: '2025-09-10' }]);
    expect(all.classes[2]!.missing.map((m) => [m.person, m.purpose])).toEqual([['Кузина Вера', 'electronic_results']]);

    const one = json<{ classes: Array<{ class: string }> }>(['consents', 'report', '--class', '5А', '--date', '2025-10-15']);
    expect(one.classes.map((c) => c.class)).toEqual(['5А']);
    const text = run('consents', 'report', '--class', '5А', '--date', '2025-10-15');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('5А класс: обучающихся 2, недостающих согласий 4, отказов от электронного дневника 1');
    const badClass = run('consents', 'report', '--class', '9Я', '--date', '2025-10-15');
    expect(badClass.code).toBe(1);
  });
});

describe('consents report on a demo school', () => {
  let demoDir: string;
  let demoDb: string;
  beforeAll(() => {
    demoDir = mkdtempSync(join(tmpdir(), 'school-office-cli-consents-'));
    demoDb = join(demoDir, 'school.db');
    expect(cli(['--db', demoDb, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
    expect(cli(['--db', demoDb, '--user', 'admin', 'demo', '--seed', '5', '--pupils', '60'], { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } }).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(demoDir, { recursive: true, force: true }));

  it('covers every class of the year with the documented fields', () => {
    const result = cli(['--db', demoDb, '--user', 'admin', '--json', 'consents', 'report', '--date', '2025-10-15'], { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { classes: Array<{ class: string; pupils: number; missing: Array<Record<string, unknown>>; refusedElectronic: Array<Record<string, unknown>> }> };
    expect(report.classes.length).toBeGreaterThan(5);
    expect(report.classes.reduce((n, c) => n + c.pupils, 0)).toBeGreaterThan(50);
    const refused = report.classes.flatMap((c) => c.refusedElectronic);
    expect(refused.length).toBeGreaterThan(0);
    expect(Object.keys(refused[0]!).sort()).toEqual(['decidedOn', 'guardian', 'guardianId', 'pupil', 'pupilId', 'status']);
    for (const m of report.classes.flatMap((c) => c.missing)) {
      expect(Object.keys(m).sort()).toEqual(['person', 'personId', 'personKind', 'pupilId', 'purpose', 'reason']);
    }
  });
});
