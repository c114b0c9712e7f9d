import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PupilInput } from '../../common/api/contingent';
import { openInitializedApp, type TestApp } from '../support/app';
import { assertBuilt, cli } from '../support/cli';
import { smallSchool, validSnils, type SmallSchool } from '../support/school';

/**
 * Destruction of a pupil's personal data after the consent was withdrawn (ст. 21 ч. 5 152-ФЗ):
 * the act, the cleared card, the archive minimum kept, nothing of the old values left anywhere.
 * Withdrawals are written straight into the register, so these tests do not wait for the
 * consent screens.
 */
let t: TestApp & { adminSession: string };
let s: SmallSchool;
const NOW = new Date('2026-01-20T09:00:00Z');

beforeEach(async () => {
  t = await openInitializedApp({ now: () => NOW });
  s = await smallSchool(t);
});
afterEach(async () => t.close());

const OLD = {
  snils: validSnils('187654329'),
  docIssuedBy: 'Отдел ЗАГС Октябрьского района г. Красноярска',
  regAddress: 'г. Красноярск, ул. Сурикова, д. 17, кв. 41',
  liveAddress: 'г. Красноярск, ул. Вавилова, д. 3, кв. 9',
  phone: '+79135550142',
  email: 'semenova.family@example.ru',
};
const NEW = { liveAddress: 'г. Красноярск, пр. Мира, д. 88, кв. 15', phone: '+79135550177' };

const pupilData = (over: Partial<PupilInput> = {}): PupilInput => ({
  lastName: 'Семёнова',
  firstName: 'Алиса',
  middleName: 'Игоревна',
  birthDate: '2014-04-12',
  gender: 'ж',
  snils: OLD.snils,
  docKind: 'birth_certificate',
  docSeries: 'III-БА',
  docNumber: '637281',
  docIssuedBy: OLD.docIssuedBy,
  docIssuedOn: '2014-05-06',
  regAddress: OLD.regAddress,
  liveAddress: OLD.liveAddress,
  phone: OLD.phone,
  email: OLD.email,
  ...over,
});

/** A pupil admitted with every personal field, then corrected, then moved: the log holds all of it. */
async function pupilWithHistory(): Promise<number> {
  const admitted = await t.call('movement.admit', { order: { date: '2025-09-01' }, classId: s.classes['5А'], pupil: pupilData(), place: 'МБОУ СОШ № 3' }, t.adminSession);
  await t.call('pupils.update', { id: admitted.pupilId, data: pupilData({ liveAddress: NEW.liveAddress, phone: NEW.phone }) }, t.adminSession);
  await t.call('movement.transfer', { pupilId: admitted.pupilId, toClassId: s.classes['5Б'], order: { date: '2025-11-10' } }, t.adminSession);
  return admitted.pupilId;
}

/** A given consent with its scan, then its withdrawal: written as the register helper would. */
async function withdrawnConsent(pupilId: number, withdrawnOn = '2026-01-05', due = '2026-02-04'): Promise<{ given: number; withdrawn: number }> {
  const db = t.app.db;
  const given = await db
    .insertInto('consent')
    .values({ subject_kind: 'pupil', pupil_id: pupilId, purpose: 'pupil_data', status: 'given', decided_on: '2025-09-01', scan: Buffer.from(`%PDF-1.4 скан ${OLD.snils}`), scan_mime: 'application/pdf', scan_name: 'согласие.pdf' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const withdrawn = await db
    .insertInto('consent')
    .values({ subject_kind: 'pupil', pupil_id: pupilId, purpose: 'pupil_data', status: 'withdrawn', decided_on: withdrawnOn, destroy_due: due, note: 'заявление об отзыве' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { given: given.id, withdrawn: withdrawn.id };
}

async function markOf(pupilId: number): Promise<number> {
  const subject = await t.app.db.insertInto('subject').values({ name: 'Математика', short_name: 'Мат', part: 'federal', sort_order: 1 }).returning('id').executeTakeFirstOrThrow();
  const lesson = await t.app.db
    .insertInto('lesson')
    .values({ class_id: s.classes['5А'], subject_id: subject.id, lesson_date: '2025-10-01', topic: 'Дроби' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await t.app.db.insertInto('mark').values({ lesson_id: lesson.id, pupil_id: pupilId, value: '5' }).returning('id').executeTakeFirstOrThrow()).id;
}

/** Every text and blob value of every table, as one searchable string per table. */
function dumpAll(dbPath: string): Map<string, string> {
  const raw = new BetterSqlite3(dbPath, { readonly: true });
  const tables = (raw.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as Array<{ name: string }>).map((r) => r.name);
  const out = new Map<string, string>();
  for (const table of tables) {
    const rows = raw.prepare(`select * from "${table}"`).all() as Array<Record<string, unknown>>;
    out.set(table, rows.map((r) => Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))).join('\u0001')).join('\n'));
  }
  raw.close();
  return out;
}

const OLD_VALUES = [OLD.snils, OLD.docIssuedBy, OLD.regAddress, OLD.liveAddress, OLD.phone, OLD.email, NEW.liveAddress, NEW.phone, '637281', 'III-БА'];

describe('consents.due', () => {
  it('lists withdrawals not yet destroyed, soonest first, with days left and overdue', async () => {
    const pupilId = await pupilWithHistory();
    const other = (await t.call('movement.admit', { order: { date: '2025-09-02' }, classId: s.classes['6А'], pupil: pupilData({ lastName: 'Орлов', firstName: 'Глеб', middleName: 'Олегович', gender: 'м', snils: null, birthDate: '2013-02-02' }) }, t.adminSession)).pupilId;
    const late = await withdrawnConsent(pupilId, '2026-01-05', '2026-02-04');
    const early = await withdrawnConsent(other, '2025-12-01', '2025-12-31');
    const due = await t.call('consents.due', {}, t.adminSession);
    expect(due.today).toBe('2026-01-20');
    expect(due.rows).toEqual([
      { consentId: early.withdrawn, purpose: 'pupil_data', subjectKind: 'pupil', pupilId: other, guardianId: null, subject: 'Орлов Глеб Олегович', withdrawnOn: '2025-12-01', destroyDue: '2025-12-31', daysLeft: -20, overdue: true },
      { consentId: late.withdrawn, purpose: 'pupil_data', subjectKind: 'pupil', pupilId, guardianId: null, subject: 'Семёнова Алиса Игоревна', withdrawnOn: '2026-01-05', destroyDue: '2026-02-04', daysLeft: 15, overdue: false },
    ]);
    // A consent given again after the withdrawal ends it: nothing is due for that person.
    await t.app.db.insertInto('consent').values({ subject_kind: 'pupil', pupil_id: other, purpose: 'pupil_data', status: 'given', decided_on: '2026-01-10' }).execute();
    expect((await t.call('consents.due', {}, t.adminSession)).rows.map((r) => r.consentId)).toEqual([late.withdrawn]);
    const refused = await t.refuse('consents.destroy', { consentId: early.withdrawn, actDate: '2026-01-20' }, t.adminSession);
    expect(refused.message).toMatch(/согласие дано снова \(10\.01\.2026\)/);
  });
});

describe('consents.destroy', () => {
  it('refuses what is not a due withdrawal, a date before the withdrawal or in the future, and changes nothing', async () => {
    const pupilId = await pupilWithHistory();
    const { given, withdrawn } = await withdrawnConsent(pupilId);
    const before = dumpAll(t.dbPath);
    const cases: Array<[unknown, RegExp, string]> = [
      [{ consentId: given, actDate: '2026-01-20' }, /не отзыв согласия/, 'consentId'],
      [{ consentId: 999, actDate: '2026-01-20' }, /Согласие № 999 не найдено/, 'consentId'],
      [{ consentId: withdrawn, actDate: '2026-01-04' }, /раньше отзыва согласия \(05\.01\.2026\)/, 'actDate'],
      [{ consentId: withdrawn, actDate: '2026-01-21' }, /ещё не наступила/, 'actDate'],
      [{ consentId: withdrawn, actDate: '2026-02-30' }, /существующая в календаре/, 'actDate'],
      [{ consentId: withdrawn, actDate: '2026-01-20', commission: [''] }, /член комиссии/, 'commission.0'],
    ];
    for (const [params, message, field] of cases) {
      const error = await t.refuse('consents.destroy', params, t.adminSession);
      expect(error.message, JSON.stringify(params)).toMatch(message);
      expect(Object.keys(error.fields ?? {}), JSON.stringify(params)).toContain(field);
    }
    expect(dumpAll(t.dbPath)).toEqual(before);
    // The director reads the list but never destroys.
    await t.call('users.create', { login: 'dir', fullName: 'Смирнов Павел Андреевич', role: 'director', password: 'director-pass-1' }, t.adminSession);
    const dir = await t.call('auth.login', { login: 'dir', password: 'director-pass-1' });
    expect((await t.call('consents.due', {}, dir.sessionId)).rows).toHaveLength(1);
    expect((await t.refuse('consents.destroy', { consentId: withdrawn, actDate: '2026-01-20' }, dir.sessionId)).code).toBe('forbidden');
  });

  it('destroys the personal fields, keeps the archive minimum, and leaves the old values nowhere in the database', async () => {
    const pupilId = await pupilWithHistory();
    const markId = await markOf(pupilId);
    const { given, withdrawn } = await withdrawnConsent(pupilId);
    await t.app.db
      .insertInto('access_code')
      .values({ holder_kind: 'pupil', pupil_id: pupilId, code_secret: 'ACDEFGHJKM', status: 'issued', imported_at: '2025-09-10T00:00:00.000Z', issued_at: '2025-09-12T00:00:00.000Z' })
      .execute();
    const card = await t.call('pupils.get', { id: pupilId }, t.adminSession);
    expect(card.phone).toBe(NEW.phone);
    // What an import wrote last time is a copy of the same values: it goes too.
    await t.app.db
      .insertInto('import_baseline')
      .values({ entity: 'pupil', entity_id: pupilId, field: 'phone', value: NEW.phone, profile: 'roster', imported_at: '2025-09-10T00:00:00.000Z' })
      .execute();
    const dumpBefore = [...dumpAll(t.dbPath).values()].join('\n');
    for (const value of OLD_VALUES) expect(dumpBefore, value).toContain(value);

    const done = await t.call('consents.destroy', { consentId: withdrawn, actDate: '2026-01-20', commission: ['Иванова А. П., директор', 'Петрова О. И., секретарь'] }, t.adminSession);
    expect(done.number).toBe('2026-1');
    expect(done.destroyed).toEqual(expect.arrayContaining(['СНИЛС', 'номер документа', 'адрес регистрации', 'адрес проживания', 'телефон', 'адрес электронной почты', 'сканы согласий']));
    expect(done.auditEntriesErased).toBeGreaterThanOrEqual(2);
    expect(await t.app.db.selectFrom('import_baseline').selectAll().where('entity_id', '=', pupilId).execute()).toEqual([]);

    const after = await t.call('pupils.get', { id: pupilId }, t.adminSession);
    expect(after).toMatchObject({ snils: null, docKind: null, docSeries: null, docNumber: null, docIssuedBy: null, docIssuedOn: null, regAddress: null, liveAddress: null, phone: null, email: null });
    expect(after.dataDestroyedAt).toBe(NOW.toISOString());
    // The archive minimum: name, birth date, gender, file number, classes and movement.
    expect(after).toMatchObject({ lastName: 'Семёнова', firstName: 'Алиса', middleName: 'Игоревна', birthDate: '2014-04-12', gender: 'ж', fileNo: card.fileNo, class: '5Б' });
    expect(after.events).toEqual(card.events);
    expect(after.memberships).toEqual(card.memberships);
    expect(after.events.map((e) => e.kind)).toEqual(['admission', 'class_transfer']);
    expect((await t.call('orders.list', {}, t.adminSession)).orders.length).toBeGreaterThanOrEqual(2);
    expect(await t.app.db.selectFrom('mark').select('value').where('id', '=', markId).executeTakeFirst()).toEqual({ value: '5' });

    const dump = dumpAll(t.dbPath);
    for (const [table, text] of dump) for (const value of OLD_VALUES) expect(text, `${table}: ${value}`).not.toContain(value);

    const consents = await t.app.db.selectFrom('consent').select(['id', 'scan', 'scan_name', 'destruction_act_id']).orderBy('id').execute();
    expect(consents).toEqual([
      { id: given, scan: null, scan_name: null, destruction_act_id: null },
      { id: withdrawn, scan: null, scan_name: null, destruction_act_id: done.actId },
    ]);
    const code = await t.app.db.selectFrom('access_code').select(['status', 'revoke_reason']).executeTakeFirstOrThrow();
    expect(code).toEqual({ status: 'revoked', revoke_reason: 'уничтожение персональных данных (акт № 1 от 20.01.2026)' });

    const { acts } = await t.call('consents.acts', {}, t.adminSession);
    expect(acts).toHaveLength(1);
    expect(acts[0]).toMatchObject({ id: done.actId, number: '2026-1', actDate: '2026-01-20', subjectKind: 'pupil', subject: 'Семёнова Алиса Игоревна, 12.04.2014 г. р.', keepUntil: '2029-01-20' });
    expect(acts[0]!.reason).toMatch(/отзыв согласия \(обработка данных обучающегося\) от 05\.01\.2026/);
    expect(acts[0]!.method).toMatch(/без возможности восстановления/);
    const stored = await t.app.db.selectFrom('destruction_act').select(['commission_json', 'categories']).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.commission_json!)).toEqual(['Иванова А. П., директор', 'Петрова О. И., секретарь']);
    expect(stored.categories).toMatch(/^СНИЛС; вид документа/);

    // Already destroyed: a second act is refused.
    expect((await t.refuse('consents.destroy', { consentId: withdrawn, actDate: '2026-01-20' }, t.adminSession)).message).toMatch(/уже уничтожены \(акт № 1 от 20\.01\.2026\)/);
    expect((await t.call('consents.due', {}, t.adminSession)).rows).toEqual([]);
    expect(await t.call('audit.verify', {}, t.adminSession)).toMatchObject({ ok: true, firstBroken: null, erased: done.auditEntriesErased });
  });

  it('leaves no destroyed value in the database file or its write-ahead log', async () => {
    const pupilId = await pupilWithHistory();
    const { withdrawn } = await withdrawnConsent(pupilId);
    await t.call('consents.destroy', { consentId: withdrawn, actDate: '2026-01-20' }, t.adminSession);
    // While the app still runs: the write-ahead log is checkpointed and truncated right after the act.
    await new Promise((resolve) => setImmediate(resolve));
    const files = () => [t.dbPath, `${t.dbPath}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    for (const bytes of files()) for (const value of OLD_VALUES) expect(bytes.includes(Buffer.from(value, 'utf8')), value).toBe(false);
    // And once it is closed.
    await t.app.close();
    for (const bytes of files()) for (const value of OLD_VALUES) expect(bytes.includes(Buffer.from(value, 'utf8')), value).toBe(false);
  });

  it('numbers acts continuously within the calendar year of the act date', async () => {
    const ids: number[] = [];
    for (const [i, name] of ['Аксенов', 'Борисов', 'Волков'].entries()) {
      const p = await t.call('movement.admit', { order: { date: '2025-09-01' }, classId: s.classes['5А'], pupil: pupilData({ lastName: name, firstName: 'Иван', middleName: null, gender: 'м', snils: null, phone: null, docKind: null, docSeries: null, docNumber: null, docIssuedBy: null, docIssuedOn: null, birthDate: `2014-0${i + 1}-01` }) }, t.adminSession);
      ids.push((await withdrawnConsent(p.pupilId, '2025-12-01', '2025-12-31')).withdrawn);
    }
    const numbers = [];
    for (const [consentId, actDate] of [[ids[0]!, '2025-12-20'], [ids[1]!, '2026-01-10'], [ids[2]!, '2026-01-15']] as const) {
      numbers.push((await t.call('consents.destroy', { consentId, actDate }, t.adminSession)).number);
    }
    expect(numbers).toEqual(['2025-1', '2026-1', '2026-2']);
    expect((await t.call('consents.acts', {}, t.adminSession)).acts.map((a) => [a.number, a.keepUntil])).toEqual([
      ['2026-2', '2029-01-15'],
      ['2026-1', '2029-01-10'],
      ['2025-1', '2028-12-20'],
    ]);
  });

  it('for a withdrawn distribution consent changes no field and records the removal of published materials', async () => {
    const pupilId = await pupilWithHistory();
    await t.app.db
      .insertInto('consent')
      .values({ subject_kind: 'pupil', pupil_id: pupilId, purpose: 'distribution', status: 'given', decided_on: '2025-09-01', categories_json: JSON.stringify(['фотографии на сайте школы', 'фамилия и имя']) })
      .execute();
    const w = await t.app.db
      .insertInto('consent')
      .values({ subject_kind: 'pupil', pupil_id: pupilId, purpose: 'distribution', status: 'withdrawn', decided_on: '2026-01-05', destroy_due: '2026-02-04' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const card = await t.call('pupils.get', { id: pupilId }, t.adminSession);
    const done = await t.call('consents.destroy', { consentId: w.id, actDate: '2026-01-19' }, t.adminSession);
    expect(done).toMatchObject({ destroyed: ['фотографии на сайте школы', 'фамилия и имя'], auditEntriesErased: 0 });
    expect(await t.call('pupils.get', { id: pupilId }, t.adminSession)).toEqual(card);
    const act = (await t.call('consents.acts', {}, t.adminSession)).acts[0]!;
    expect(act.categories).toBe('материалы, опубликованные с согласия на распространение: фотографии на сайте школы; фамилия и имя');
    expect(act.method).toMatch(/удаление опубликованных материалов/);
  });
});

describe('with the consent register', () => {
  it('destroys after a withdrawal recorded through consents.record and consents.withdraw', async () => {
    const pupilId = await pupilWithHistory();
    await t.call(
      'consentTemplates.save',
      { purpose: 'pupil_data', title: 'Согласие на обработку персональных данных обучающегося', purposeText: 'обучение', dataList: 'ФИО, СНИЛС, адрес', actionsText: 'сбор, хранение', termText: 'до отзыва' },
      t.adminSession,
    );
    const card = await t.call('guardians.link', { pupilId, guardian: { lastName: 'Семёнова', firstName: 'Ольга', middleName: 'Петровна' }, kinship: 'мать' }, t.adminSession);
    const scan = { fileName: 'согласие.pdf', mime: 'application/pdf' as const, contentBase64: Buffer.from(`%PDF-1.4\n${OLD.snils}\n%%EOF`).toString('base64') };
    const given = await t.call('consents.record', { purpose: 'pupil_data', pupilId, status: 'given', date: '2025-09-01', signedByGuardianId: card.guardians[0]!.id, scan }, t.adminSession);
    const withdrawn = await t.call('consents.withdraw', { consentId: given.consentId, date: '2026-01-12' }, t.adminSession);
    expect(withdrawn.destroyDue).toBe('2026-02-11');
    expect((await t.call('consents.due', {}, t.adminSession)).rows).toEqual([expect.objectContaining({ consentId: withdrawn.consentId, withdrawnOn: '2026-01-12', destroyDue: '2026-02-11', daysLeft: 22 })]);
    const done = await t.call('consents.destroy', { consentId: withdrawn.consentId, actDate: '2026-01-20' }, t.adminSession);
    expect(done.destroyed).toContain('сканы согласий');
    expect((await t.refuse('consents.scan', { consentId: given.consentId }, t.adminSession)).code).toBeDefined();
    for (const [table, text] of dumpAll(t.dbPath)) for (const value of OLD_VALUES) expect(text, `${table}: ${value}`).not.toContain(value);
    expect((await t.call('audit.verify', {}, t.adminSession)).ok).toBe(true);
  });
});

describe('destruction from the command line', () => {
  let dir: string;
  let db: string;
  const as = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
  const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], as);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'school-office-cli-destruction-'));
    db = join(dir, 'school.db');
    expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
    // A school year around today, so that the admission below is in an open year.
    const raw = new BetterSqlite3(db);
    const year = Number(raw.prepare("insert into school_year (name, starts_on, ends_on) values ('текущий', ?, ?)").run(day(-200), day(200)).lastInsertRowid);
    raw.prepare("insert into school_class (year_id, parallel, letter, period_scheme) values (?, 5, 'А', 'quarters')").run(year);
    raw.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists what is due, destroys with an act, lists the acts, and the log still verifies', () => {
    const birth = `${Number(day(0).slice(0, 4)) - 11}-03-03`;
    const admitted = run('--json', 'admit', '--class', '5А', '--order-date', day(-20), '--last-name', 'Кузнецова', '--first-name', 'Дарья', '--birth-date', birth, '--gender', 'ж', '--snils', OLD.snils, '--phone', OLD.phone, '--live-address', OLD.liveAddress);
    expect(admitted.code, admitted.stderr).toBe(0);
    const { pupilId } = JSON.parse(admitted.stdout) as { pupilId: number };
    const raw = new BetterSqlite3(db);
    const withdrawnOn = day(-5);
    const destroyDue = day(25);
    const consentId = Number(
      raw.prepare("insert into consent (subject_kind, pupil_id, purpose, status, decided_on, destroy_due) values ('pupil', ?, 'pupil_data', 'withdrawn', ?, ?)").run(pupilId, withdrawnOn, destroyDue).lastInsertRowid,
    );
    raw.close();

    const due = run('--json', 'consents', 'due');
    expect(due.code, due.stderr).toBe(0);
    const dueRows = (JSON.parse(due.stdout) as { rows: Array<Record<string, unknown>> }).rows;
    expect(dueRows).toEqual([expect.objectContaining({ consentId, pupilId, withdrawnOn, destroyDue, daysLeft: 25, overdue: false, subject: 'Кузнецова Дарья' })]);
    const text = run('consents', 'due');
    expect(text.stdout).toMatch(/Кузнецова Дарья/);

    const bad = run('consents', 'destroy', '--consent', String(consentId), '--date', day(-6));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/раньше отзыва согласия/);
    expect(run('consents', 'destroy', '--date', day(0)).code).toBe(2);

    const destroyed = run('--json', 'consents', 'destroy', '--consent', String(consentId), '--date', day(0), '--commission', 'Иванова А. П., директор', '--commission', 'Петрова О. И.');
    expect(destroyed.code, destroyed.stderr).toBe(0);
    const result = JSON.parse(destroyed.stdout) as { actId: number; number: string; destroyed: string[]; auditEntriesErased: number };
    expect(result.number).toBe(`${day(0).slice(0, 4)}-1`);
    expect(result.destroyed).toEqual(['СНИЛС', 'адрес проживания', 'телефон']);
    expect(result.auditEntriesErased).toBeGreaterThanOrEqual(1);

    const acts = JSON.parse(run('--json', 'consents', 'acts').stdout) as { acts: Array<{ id: number; logEntries: number; logSha256: string }> };
    expect(acts.acts).toEqual([expect.objectContaining({ id: result.actId, logEntries: expect.any(Number) })]);
    expect(run('consents', 'acts').stdout).toMatch(/№ 1 от/);
    const verify = run('--json', 'audit', 'verify');
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, firstBroken: null, erased: result.auditEntriesErased });
    const after = new BetterSqlite3(db, { readonly: true });
    const stored = after.prepare('select log_export_json, log_export_sha256 from destruction_act').get() as { log_export_json: string; log_export_sha256: string };
    const logText = JSON.stringify(after.prepare('select * from audit_log').all());
    after.close();
    expect(createHash('sha256').update(stored.log_export_json, 'utf8').digest('hex')).toBe(stored.log_export_sha256);
    for (const value of [OLD.snils, OLD.phone, OLD.liveAddress]) expect(logText).not.toContain(value);
    expect(JSON.parse(run('--json', 'consents', 'due').stdout)).toMatchObject({ rows: [] });
  });
});
