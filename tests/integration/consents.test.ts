import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_MAX_BYTES, type ConsentPurpose } from '../../common/api/consents';
import type { ConsentTemplateDraft } from '../../common/api/consents-contract';
import type { Params } from '../../common/api/contract';
import { comparePeople } from '../../common/domain/russian';
import { consentCoverage } from '../../main/consents/coverage';
import { NO_TEMPLATE_MESSAGE } from '../../main/consents/templates';
import { openInitializedApp, type TestApp } from '../support/app';
import { smallSchool, type SmallSchool } from '../support/school';

const NOW = new Date('2025-10-15T09:00:00Z');
type AdminApp = TestApp & { adminSession: string };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let t: AdminApp;
let school: SmallSchool;
let secretary: string;
let director: string;
/** Pupils by a short key, and their guardians. */
const pupils: Record<string, number> = {};
const guardians: Record<string, number> = {};

const count = async (table: 'consent' | 'audit_log' | 'consent_template' | 'access_code') =>
  Number((await t.app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

async function admit(key: string, classId: number, lastName: string, firstName: string, birthDate: string, gender: 'м' | 'ж') {
  const admitted = await t.call('movement.admit', { order: { date: '2025-09-01' }, classId, pupil: { lastName, firstName, middleName: null, birthDate, gender, snils: null } }, t.adminSession);
  pupils[key] = admitted.pupilId;
}

async function link(key: string, pupilKey: string, kinship: 'мать' | 'отец', lastName: string, firstName: string) {
  await t.call('guardians.link', { pupilId: pupils[pupilKey]!, kinship, guardian: { lastName, firstName, middleName: null, snils: null } }, t.adminSession);
  guardians[key] = (await t.app.db.selectFrom('guardian').select('id').where('last_name', '=', lastName).where('first_name', '=', firstName).executeTakeFirstOrThrow()).id;
}

/** A call that must be refused without writing anything: no consent row, no audit entry, no code change. */
async function refusedUnchanged(params: unknown, field: RegExp, method: 'consents.record' | 'consents.withdraw' = 'consents.record') {
  const before = [await count('consent'), await count('audit_log')];
  const codes = await t.app.db.selectFrom('access_code').select(['id', 'status']).orderBy('id').execute();
  const error = await t.refuse(method, params, secretary);
  expect(error.message).toMatch(field);
  expect([await count('consent'), await count('audit_log')]).toEqual(before);
  expect(await t.app.db.selectFrom('access_code').select(['id', 'status']).orderBy('id').execute()).toEqual(codes);
  return error;
}

const record = (params: Params<'consents.record'>, session = secretary) => t.call('consents.record', params, session);

async function activeCode(holder: 'pupil' | 'guardian', pupilId: number, guardianId: number | null, status: 'new' | 'issued' = 'new'): Promise<number> {
  const row = await t.app.db
    .insertInto('access_code')
    .values({ holder_kind: holder, pupil_id: pupilId, guardian_id: guardianId, code_secret: `TEST${pupilId}${guardianId ?? ''}${Math.random()}`, status, imported_at: NOW.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const codeRow = (id: number) => t.app.db.selectFrom('access_code').select(['status', 'revoke_reason']).where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await openInitializedApp({ now: () => NOW });
  school = await smallSchool(t);
  for (const [login, role] of [
    ['sec', 'secretary'],
    ['dir', 'director'],
  ] as const) {
    await t.call('users.create', { login, fullName: `Пользователь ${login}`, role, password: 'secret-1' }, t.adminSession);
  }
  secretary = (await t.call('auth.login', { login: 'sec', password: 'secret-1' })).sessionId;
  director = (await t.call('auth.login', { login: 'dir', password: 'secret-1' })).sessionId;
  // 5А: three younger pupils; 6А: one turning 14 on 05.10.2025 and one already 14.
  await admit('yakovlev', school.classes['5А'], 'Яковлев', 'Борис', '2014-05-10', 'м');
  await admit('abramova', school.classes['5А'], 'Абрамова', 'Вера', '2014-02-01', 'ж');
  await admit('ershov', school.classes['5А'], 'Ёршов', 'Глеб', '2014-07-07', 'м');
  await admit('turning', school.classes['6А'], 'Соколова', 'Дарья', '2011-10-05', 'ж');
  await admit('older', school.classes['6А'], 'Громов', 'Егор', '2011-03-01', 'м');
  await link('yakMother', 'yakovlev', 'мать', 'Яковлева', 'Ирина');
  await link('yakFather', 'yakovlev', 'отец', 'Яковлев', 'Олег');
  await link('abrMother', 'abramova', 'мать', 'Абрамова', 'Нина');
  await link('sokMother', 'turning', 'мать', 'Соколова', 'Елена');
  await link('groFather', 'older', 'отец', 'Громов', 'Пётр');
});
afterAll(async () => {
  await t.close();
});

describe('consent texts', () => {
  it('starts with no texts, offers defaults, and refuses to record a consent without a text', async () => {
    const list = await t.call('consentTemplates.list', {}, secretary);
    expect(list.templates).toEqual([]);
    expect(list.defaults.map((d) => d.purpose)).toEqual(['pupil_data', 'guardian_data', 'distribution', 'electronic_results']);
    expect(list.defaults.find((d) => d.purpose === 'distribution')!.categories).toContain('фотографии');
    expect(list.defaults.filter((d) => d.purpose !== 'distribution').every((d) => d.categories === null)).toBe(true);
    const error = await refusedUnchanged({ purpose: 'pupil_data', pupilId: pupils.yakovlev, status: 'given', date: '2025-09-05', signedByGuardianId: guardians.yakMother }, /Сначала заполните текст согласия/);
    expect(error.message).toBe(NO_TEMPLATE_MESSAGE);
    expect(error.code).toBe('refused');
  });

  it('lets only the administrator save texts; distribution needs categories, others may not have them', async () => {
    const { defaults } = await t.call('consentTemplates.list', {}, secretary);
    const draft = (purpose: ConsentPurpose): ConsentTemplateDraft => defaults.find((d) => d.purpose === purpose)!;
    const save = (d: ConsentTemplateDraft, session = t.adminSession) =>
      t.call('consentTemplates.save', { purpose: d.purpose, title: d.title, purposeText: d.purposeText, dataList: d.dataList, actionsText: d.actionsText, processorText: d.processorText, termText: d.termText, ...(d.categories ? { categories: d.categories } : {}) }, session);
    const forbidden = await t.refuse('consentTemplates.save', { ...draft('pupil_data'), categories: undefined }, secretary);
    expect(forbidden.code).toBe('forbidden');

    const before = await count('consent_template');
    const noCategories = await t.refuse('consentTemplates.save', { ...draft('distribution'), categories: [] }, t.adminSession);
    expect(noCategories.message).toMatch(/Категории/);
    const withCategories = await t.refuse('consentTemplates.save', { ...draft('guardian_data'), categories: ['фотографии'] }, t.adminSession);
    expect(withCategories.message).toMatch(/Категории/);
    const emptyTitle = await t.refuse('consentTemplates.save', { ...draft('guardian_data'), categories: undefined, title: '  ' }, t.adminSession);
    expect(emptyTitle.message).toMatch(/Заголовок/);
    expect(await count('consent_template')).toBe(before);

    for (const purpose of ['pupil_data', 'guardian_data', 'distribution', 'electronic_results'] as const) {
      const saved = await save(draft(purpose));
      expect(saved).toMatchObject({ purpose, version: 1, current: true });
    }
    const audit = await t.app.db.selectFrom('audit_log').select(['after_json']).where('entity', '=', 'consent_template').execute();
    expect(audit).toHaveLength(4);
  });

  it('keeps every version: a change is a new version, the old one stays as it was', async () => {
    const v1 = (await t.call('consentTemplates.list', {}, secretary)).templates.find((x) => x.purpose === 'pupil_data')!;
    const v2 = await t.call(
      'consentTemplates.save',
      { purpose: 'pupil_data', title: v1.title, purposeText: `${v1.purposeText} Уточнено.`, dataList: v1.dataList, actionsText: v1.actionsText, processorText: null, termText: v1.termText },
      t.adminSession,
    );
    expect(v2.version).toBe(2);
    const list = (await t.call('consentTemplates.list', {}, director)).templates;
    const own = list.filter((x) => x.purpose === 'pupil_data');
    expect(own.map((x) => [x.version, x.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(own[1]).toEqual({ ...v1, current: false });
    // Distribution v2 offers fewer categories; v1 stays available for forms signed on it.
    const d1 = list.find((x) => x.purpose === 'distribution')!;
    const d2 = await t.call(
      'consentTemplates.save',
      { purpose: 'distribution', title: d1.title, purposeText: d1.purposeText, dataList: d1.dataList, actionsText: d1.actionsText, termText: d1.termText, categories: ['фамилия и имя', ' фамилия  и имя ', 'класс'] },
      t.adminSession,
    );
    expect(d2).toMatchObject({ version: 2, categories: ['фамилия и имя', 'класс'] });
  });
});

describe('recording a decision', () => {
  it('refuses every bad input, naming the field, and writes nothing', async () => {
    const base = { purpose: 'pupil_data' as const, pupilId: pupils.yakovlev!, status: 'given' as const, date: '2025-09-05', signedByGuardianId: guardians.yakMother! };
    await refusedUnchanged({ ...base, pupilId: 99999 }, /Обучающийся/);
    await refusedUnchanged({ ...base, date: '2025-10-16' }, /Дата решения.*ещё не наступила/);
    await refusedUnchanged({ ...base, date: '2025-02-30' }, /Дата решения.*нет в календаре/);
    await refusedUnchanged({ ...base, date: '05.09.2025' }, /Дата решения/);
    await refusedUnchanged({ ...base, date: '2014-05-09' }, /Дата решения.*раньше даты рождения/);
    await refusedUnchanged({ ...base, signedByGuardianId: guardians.abrMother }, /Подписал представитель.*не указан среди/);
    await refusedUnchanged({ ...base, signedByGuardianId: 99999 }, /Подписал представитель.*не найден/);
    const { signedByGuardianId: _s, ...unsigned } = base;
    await refusedUnchanged(unsigned, /Подписал представитель/);
    await refusedUnchanged({ ...base, guardianId: guardians.yakMother }, /Представитель/);
    await refusedUnchanged({ ...base, signedByPupil: true }, /Подпись обучающегося.*11/);
    await refusedUnchanged({ ...base, categories: ['класс'] }, /Категории/);
    await refusedUnchanged({ ...base, templateVersion: 9 }, /Версия текста/);
    await refusedUnchanged({ ...base, status: 'withdrawn' }, /Решение/);
    await refusedUnchanged({ ...base, unexpected: 1 }, /лишние поля/);
    await refusedUnchanged({ ...base, note: 'x'.repeat(1001) }, /Примечание/);

    const guardianBase = { purpose: 'electronic_results' as const, pupilId: pupils.yakovlev!, guardianId: guardians.yakMother!, status: 'given' as const, date: '2025-09-05' };
    const { guardianId: _g, ...noGuardian } = guardianBase;
    await refusedUnchanged(noGuardian, /Представитель.*укажите/);
    await refusedUnchanged({ ...guardianBase, guardianId: guardians.abrMother }, /Представитель.*не указан среди/);
    await refusedUnchanged({ ...guardianBase, guardianId: 99999 }, /Представитель.*не найден/);
    await refusedUnchanged({ ...guardianBase, signedByGuardianId: guardians.yakFather }, /Подписал представитель/);
    await refusedUnchanged({ ...guardianBase, signedByPupil: true }, /Подпись обучающегося/);

    const distribution = { purpose: 'distribution' as const, pupilId: pupils.yakovlev!, status: 'given' as const, date: '2025-09-05', signedByGuardianId: guardians.yakMother! };
    await refusedUnchanged(distribution, /Категории.*хотя бы одну/);
    await refusedUnchanged({ ...distribution, categories: ['фотографии'] }, /Категории.*«фотографии» нет/); // not in version 2
    await refusedUnchanged({ ...distribution, status: 'refused', categories: ['класс'] }, /Категории/);
  });

  it('checks scans: type, first bytes and size', async () => {
    const base = { purpose: 'pupil_data' as const, pupilId: pupils.yakovlev!, status: 'given' as const, date: '2025-09-05', signedByGuardianId: guardians.yakMother! };
    const scan = (mime: string, bytes: Buffer) => ({ ...base, scan: { fileName: 'скан.pdf', mime, contentBase64: bytes.toString('base64') } });
    await refusedUnchanged(scan('application/pdf', PNG), /Скан.*не является PDF/);
    await refusedUnchanged(scan('image/png', PDF), /Скан.*не является PNG/);
    await refusedUnchanged(scan('image/jpeg', Buffer.from('MZ executable')), /Скан.*не является JPEG/);
    await refusedUnchanged(scan('text/plain', Buffer.from('hello')), /Скан.*PDF, JPEG или PNG/);
    const big = Buffer.concat([PDF, Buffer.alloc(SCAN_MAX_BYTES + 1 - PDF.length, 0x20)]);
    await refusedUnchanged(scan('application/pdf', big), /Скан.*больше 5/);
    // Just under the limit in base64 terms but over it decoded is impossible; exactly the limit is accepted.
    const exact = Buffer.concat([PDF, Buffer.alloc(SCAN_MAX_BYTES - PDF.length, 0x20)]);
    const stored = await record({ ...base, scan: { fileName: 'согласие.pdf', mime: 'application/pdf', contentBase64: exact.toString('base64') } });
    const back = await t.call('consents.scan', { consentId: stored.consentId }, director);
    expect(back).toMatchObject({ fileName: 'согласие.pdf', mime: 'application/pdf' });
    expect(Buffer.from(back.contentBase64, 'base64').equals(exact)).toBe(true);
    // The audit entry describes the decision, never the file.
    const audit = await t.app.db.selectFrom('audit_log').select(['after_json']).where('entity', '=', 'consent').where('entity_id', '=', String(stored.consentId)).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toEqual({
      purpose: 'pupil_data',
      subjectKind: 'pupil',
      pupilId: pupils.yakovlev,
      guardianId: null,
      status: 'given',
      decidedOn: '2025-09-05',
      templateVersion: 2,
      signedByGuardianId: guardians.yakMother,
      signedByPupil: false,
      categories: null,
    });
    const noScan = await t.refuse('consents.scan', { consentId: (await record({ ...base, date: '2025-09-06' })).consentId }, secretary);
    expect(noScan.code).toBe('not_found');
  });

  it('lets a pupil sign from the day they turn 14', async () => {
    const base = { purpose: 'pupil_data' as const, pupilId: pupils.turning!, status: 'given' as const, signedByGuardianId: guardians.sokMother!, signedByPupil: true };
    await refusedUnchanged({ ...base, date: '2025-10-04' }, /Подпись обучающегося.*13/);
    const signed = await record({ ...base, date: '2025-10-05' });
    const family = await t.call('consents.family', { pupilId: pupils.turning! }, secretary);
    expect(family).toMatchObject({ age: 14, pupilSigns: true });
    const own = family.subjects[0]!;
    expect(own).toMatchObject({ kind: 'pupil', guardianId: null, name: 'Соколова Дарья' });
    expect(own.purposes[0]).toMatchObject({ purpose: 'pupil_data', status: 'given', consentId: signed.consentId, signedByPupil: true, signedBy: 'Соколова Елена', templateVersion: 2, hasScan: false });
    // A template version may be chosen explicitly (a form printed before the change).
    const older = await record({ ...base, date: '2025-10-06', templateVersion: 1 });
    const family2 = await t.call('consents.family', { pupilId: pupils.turning! }, secretary);
    expect(family2.subjects[0]!.purposes[0]).toMatchObject({ consentId: older.consentId, templateVersion: 1 });
    expect(family2.history.map((h) => h.consentId)).toEqual([older.consentId, signed.consentId]);
  });

  it('stores the distribution categories chosen, in the order of the text', async () => {
    const base = { purpose: 'distribution' as const, pupilId: pupils.abramova!, status: 'given' as const, date: '2025-09-10', signedByGuardianId: guardians.abrMother! };
    const v1 = await record({ ...base, templateVersion: 1, categories: ['Фотографии', 'фамилия и имя'] });
    const row = await t.app.db.selectFrom('consent').select(['categories_json', 'pupil_id', 'guardian_id']).where('id', '=', v1.consentId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.categories_json!)).toEqual(['фамилия и имя', 'фотографии']);
    expect(row).toMatchObject({ pupil_id: pupils.abramova, guardian_id: null });
    const refused = await record({ ...base, date: '2025-09-11', status: 'refused' });
    const family = await t.call('consents.family', { pupilId: pupils.abramova! }, secretary);
    expect(family.subjects[0]!.purposes[1]).toMatchObject({ purpose: 'distribution', status: 'refused', consentId: refused.consentId, categories: null });
    expect(family.history[1]).toMatchObject({ consentId: v1.consentId, status: 'given', templateVersion: 1 });
  });
});

describe('access codes follow the decisions', () => {
  it('revokes a guardian’s active codes when they refuse electronic results, and only theirs', async () => {
    const mine = await activeCode('guardian', pupils.yakovlev!, guardians.yakMother!, 'issued');
    const fathers = await activeCode('guardian', pupils.yakovlev!, guardians.yakFather!);
    const pupils_ = await activeCode('pupil', pupils.yakovlev!, null);
    const result = await record({ purpose: 'electronic_results', pupilId: pupils.yakovlev!, guardianId: guardians.yakMother!, status: 'refused', date: '2025-10-01' });
    expect(result.revokedCodes).toBe(1);
    expect(await codeRow(mine)).toEqual({ status: 'revoked', revoke_reason: 'отказ от электронного доступа' });
    expect((await codeRow(fathers)).status).toBe('new');
    expect((await codeRow(pupils_)).status).toBe('new');
    const stored = await t.app.db.selectFrom('consent').select(['subject_kind', 'pupil_id', 'guardian_id', 'signed_by_guardian_id']).where('id', '=', result.consentId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ subject_kind: 'guardian', pupil_id: null, guardian_id: guardians.yakMother, signed_by_guardian_id: guardians.yakMother });
    const log = await t.app.db.selectFrom('audit_log').select(['after_json']).where('entity', '=', 'access_code').where('entity_id', '=', String(mine)).executeTakeFirstOrThrow();
    expect(log.after_json).not.toMatch(/TEST/);
  });

  it('revokes on refusal of the guardian’s or the pupil’s data, not on a given consent', async () => {
    const fathers = (await t.app.db.selectFrom('access_code').select('id').where('guardian_id', '=', guardians.yakFather!).executeTakeFirstOrThrow()).id;
    const given = await record({ purpose: 'guardian_data', pupilId: pupils.yakovlev!, guardianId: guardians.yakFather!, status: 'given', date: '2025-09-05' });
    expect(given.revokedCodes).toBe(0);
    const refused = await record({ purpose: 'guardian_data', pupilId: pupils.yakovlev!, guardianId: guardians.yakFather!, status: 'refused', date: '2025-10-02' });
    expect(refused.revokedCodes).toBe(1);
    expect(await codeRow(fathers)).toEqual({ status: 'revoked', revoke_reason: 'нет согласия на обработку данных' });

    const own = await activeCode('pupil', pupils.ershov!, null, 'issued');
    const refusedPupil = await record({ purpose: 'pupil_data', pupilId: pupils.ershov!, status: 'refused', date: '2025-09-05' });
    expect(refusedPupil.revokedCodes).toBe(1);
    expect(await codeRow(own)).toEqual({ status: 'revoked', revoke_reason: 'нет согласия на обработку данных' });
  });
});

describe('withdrawal', () => {
  it('withdraws a given consent: destruction due in 30 days, codes revoked', async () => {
    const given = await record({ purpose: 'guardian_data', pupilId: pupils.older!, guardianId: guardians.groFather!, status: 'given', date: '2025-09-20' });
    const code = await activeCode('guardian', pupils.older!, guardians.groFather!, 'issued');
    await refusedUnchanged({ consentId: given.consentId, date: '2025-09-19' }, /Дата отзыва.*раньше/, 'consents.withdraw');
    await refusedUnchanged({ consentId: given.consentId, date: '2025-10-16' }, /Дата отзыва.*ещё не наступила/, 'consents.withdraw');
    await refusedUnchanged({ consentId: 99999, date: '2025-10-10' }, /Согласие/, 'consents.withdraw');
    await refusedUnchanged({ consentId: given.consentId, date: '2025-10-10', extra: true }, /лишние поля/, 'consents.withdraw');
    const withdrawn = await t.call('consents.withdraw', { consentId: given.consentId, date: '2025-10-10', note: 'заявление от 10.10.2025' }, secretary);
    expect(withdrawn).toMatchObject({ destroyDue: '2025-11-09', revokedCodes: 1 });
    expect(await codeRow(code)).toEqual({ status: 'revoked', revoke_reason: 'нет согласия на обработку данных' });
    const row = await t.app.db.selectFrom('consent').selectAll().where('id', '=', withdrawn.consentId).executeTakeFirstOrThrow();
    const original = await t.app.db.selectFrom('consent').select('template_id').where('id', '=', given.consentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'withdrawn', subject_kind: 'guardian', guardian_id: guardians.groFather, purpose: 'guardian_data', decided_on: '2025-10-10', destroy_due: '2025-11-09', template_id: original.template_id, note: 'заявление от 10.10.2025' });
    // Already withdrawn: nothing to withdraw; a refusal or a withdrawal row cannot be withdrawn either.
    await refusedUnchanged({ consentId: given.consentId, date: '2025-10-11' }, /не действует/, 'consents.withdraw');
    await refusedUnchanged({ consentId: withdrawn.consentId, date: '2025-10-11' }, /отозвать можно только данное/, 'consents.withdraw');
    const family = await t.call('consents.family', { pupilId: pupils.older! }, secretary);
    expect(family.subjects[1]!.purposes[0]).toMatchObject({ status: 'withdrawn', destroyDue: '2025-11-09', destroyed: false });
  });

  it('sets no destruction date for electronic results, and crosses month ends correctly', async () => {
    const given = await record({ purpose: 'electronic_results', pupilId: pupils.older!, guardianId: guardians.groFather!, status: 'given', date: '2025-09-20' });
    const withdrawn = await t.call('consents.withdraw', { consentId: given.consentId, date: '2025-10-01' }, secretary);
    expect(withdrawn).toMatchObject({ destroyDue: null, revokedCodes: 0 });
    const distribution = await record({ purpose: 'distribution', pupilId: pupils.older!, status: 'given', date: '2025-09-01', signedByGuardianId: guardians.groFather!, categories: ['класс'] });
    const w2 = await t.call('consents.withdraw', { consentId: distribution.consentId, date: '2025-09-30' }, secretary);
    expect(w2.destroyDue).toBe('2025-10-30');
  });

  it('is for writers only', async () => {
    const error = await t.refuse('consents.withdraw', { consentId: 1, date: '2025-10-01' }, director);
    expect(error.code).toBe('forbidden');
    const record2 = await t.refuse('consents.record', { purpose: 'pupil_data', pupilId: pupils.older, status: 'refused', date: '2025-10-01' }, director);
    expect(record2.code).toBe('forbidden');
  });
});

describe('coverage', () => {
  it('lists who lacks which consent, class by class, pupils in alphabetical order', async () => {
    const coverage = await t.call('consents.coverage', {}, director);
    expect(coverage.date).toBe('2025-10-15');
    expect(coverage.classes.map((c) => [c.class, c.pupils])).toEqual([
      ['5А', 3],
      ['5Б', 0],
      ['6А', 2],
    ]);
    const c5 = coverage.classes[0]!;
    // Абрамова: no pupil_data; Ёршов: refused pupil_data; Яковлев: given (with scan).
    const pupilMissing = c5.missing.filter((m) => m.purpose === 'pupil_data');
    expect(pupilMissing.map((m) => [m.person, m.personKind, m.reason])).toEqual([
      ['Абрамова Вера', 'pupil', 'согласие не оформлено'],
      ['Ёршов Глеб', 'pupil', 'отказ от согласия'],
    ]);
    // Order of the list follows the pupils' alphabetical order (Ё after Е, before Я).
    const order = [...new Set(c5.missing.map((m) => m.pupilId))];
    const names = await t.app.db.selectFrom('pupil').select(['id', 'last_name as lastName', 'first_name as firstName', 'middle_name as middleName']).where('id', 'in', order).execute();
    expect(order).toEqual(names.sort(comparePeople).map((n) => n.id));
    // Яковлев's father refused his own data; his mother lacks it and refused the e-diary.
    expect(c5.missing.filter((m) => m.pupilId === pupils.yakovlev).map((m) => [m.personId, m.purpose, m.reason])).toEqual([
      [guardians.yakFather, 'guardian_data', 'отказ от согласия'],
      [guardians.yakFather, 'electronic_results', 'нет решения о получении результатов в электронной форме'],
      [guardians.yakMother, 'guardian_data', 'согласие не оформлено'],
    ]);
    expect(c5.refusedElectronic).toEqual([{ pupilId: pupils.yakovlev, guardianId: guardians.yakMother, guardian: 'Яковлева Ирина', pupil: 'Яковлев Борис', status: 'refused', decidedOn: '2025-10-01' }]);
    // 6А: Соколова signed herself; Громов is 14 and has no consent at all; his father withdrew.
    const c6 = coverage.classes[2]!;
    expect(c6.missing.filter((m) => m.personKind === 'pupil').map((m) => [m.person, m.reason])).toEqual([['Громов Егор', 'согласие не оформлено']]);
    expect(c6.missing.filter((m) => m.personKind === 'guardian' && m.personId === guardians.groFather).map((m) => [m.purpose, m.reason])).toEqual([['guardian_data', 'согласие отозвано']]);
    expect(c6.refusedElectronic.map((r) => [r.guardian, r.status])).toEqual([['Громов Пётр', 'withdrawn']]);
  });

  it('flags a pupil of 14 or more whose consent lacks their own signature; one class on request', async () => {
    await record({ purpose: 'pupil_data', pupilId: pupils.older!, status: 'given', date: '2025-10-01', signedByGuardianId: guardians.groFather! });
    const one = await t.call('consents.coverage', { classId: school.classes['6А'] }, secretary);
    expect(one.classes).toHaveLength(1);
    expect(one.classes[0]!.missing.filter((m) => m.personKind === 'pupil').map((m) => [m.person, m.reason])).toEqual([['Громов Егор', 'нет подписи обучающегося (14 лет и старше)']]);
    // The printing helper calls the function directly, with the same result.
    expect(await consentCoverage(t.app.db, { classId: school.classes['6А'] }, '2025-10-15')).toEqual(one);
    // On an earlier day, later decisions do not count yet.
    const earlier = await t.call('consents.coverage', { classId: school.classes['6А'], date: '2025-09-15' }, secretary);
    expect(earlier.classes[0]!.missing.filter((m) => m.personKind === 'pupil').map((m) => m.person)).toEqual(['Громов Егор', 'Соколова Дарья']);
    expect(earlier.classes[0]!.refusedElectronic).toEqual([]);
    const bad = await t.refuse('consents.coverage', { classId: 99999 }, secretary);
    expect(bad.code).toBe('not_found');
  });
});

describe('coverage of the demo school', () => {
  it('finds the demo families covered, refusals per whole family, structured texts', async () => {
    const demo = await openInitializedApp({ now: () => NOW });
    try {
      await demo.call('demo.generate', { seed: 5, pupils: 60, year: '2025/2026' }, demo.adminSession);
      const templates = (await demo.call('consentTemplates.list', {}, demo.adminSession)).templates;
      expect(templates.map((x) => [x.purpose, x.version, x.current])).toEqual([
        ['pupil_data', 1, true],
        ['guardian_data', 1, true],
        ['distribution', 1, true],
        ['electronic_results', 1, true],
      ]);
      expect(templates.every((x) => x.purposeText && x.dataList && x.actionsText && x.termText)).toBe(true);
      expect(await demo.app.db.selectFrom('consent_template').select('body').where('body', '!=', '').execute()).toEqual([]);
      const offered = templates.find((x) => x.purpose === 'distribution')!.categories!;
      const distribution = await demo.app.db.selectFrom('consent').select('categories_json').where('purpose', '=', 'distribution').where('status', '=', 'given').execute();
      expect(distribution.length).toBeGreaterThan(0);
      for (const d of distribution) expect(offered).toEqual(expect.arrayContaining(JSON.parse(d.categories_json!) as string[]));
      const guardianRows = await demo.app.db.selectFrom('consent').select(['pupil_id']).where('subject_kind', '=', 'guardian').execute();
      expect(guardianRows.every((r) => r.pupil_id === null)).toBe(true);

      const coverage = await demo.call('consents.coverage', {}, demo.adminSession);
      const { classes } = await demo.call('classes.list', { date: '2025-10-15' }, demo.adminSession);
      expect(coverage.classes.map((c) => [c.class, c.pupils])).toEqual(classes.map((c) => [c.label, c.pupils]));
      // Seed 5 has families refusing the e-diary (about 5 % of families refuse).
      expect(coverage.classes.reduce((n, c) => n + c.refusedElectronic.length, 0)).toBeGreaterThan(0);
      // Every demo family signed; only a pupil who turned 14 after signing may lack their own signature.
      for (const c of coverage.classes) {
        for (const m of c.missing) expect(m.reason).toMatch(/нет подписи обучающегося/);
        // A refusing family refuses as a whole: every guardian of the pupil is listed.
        for (const r of c.refusedElectronic) {
          const all = await demo.app.db.selectFrom('pupil_guardian').select('guardian_id').where('pupil_id', '=', r.pupilId).execute();
          expect(c.refusedElectronic.filter((x) => x.pupilId === r.pupilId).map((x) => x.guardianId).sort()).toEqual(all.map((g) => g.guardian_id).sort());
        }
      }
    } finally {
      await demo.close();
    }
  });
});
