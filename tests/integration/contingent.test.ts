import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PupilInput } from '../../common/api/contingent';
import { openInitializedApp, type TestApp } from '../support/app';
import { smallSchool, validSnils, type SmallSchool } from '../support/school';

let t: TestApp & { adminSession: string };
let s: SmallSchool;
const NOW = new Date('2025-10-15T09:00:00Z');

beforeEach(async () => {
  t = await openInitializedApp({ now: () => NOW });
  s = await smallSchool(t);
});
afterEach(async () => t.close());

const pupil = (over: Partial<PupilInput> = {}): PupilInput => ({
  lastName: 'Иванов',
  firstName: 'Пётр',
  middleName: 'Сергеевич',
  birthDate: '2014-03-10',
  gender: 'м',
  snils: validSnils('112233445'),
  docKind: 'birth_certificate',
  docSeries: 'IV-БА',
  docNumber: '123456',
  phone: '8 (913) 123-45-67',
  ...over,
});

const admit = (p: PupilInput, classId = s.classes['5А'], date = '2025-09-01', number?: string) =>
  t.call('movement.admit', { order: { date, ...(number ? { number } : {}) }, classId, pupil: p, place: 'МБОУ СОШ № 3' }, t.adminSession);

async function counts() {
  const n = async (table: 'pupil' | 'pupil_order' | 'movement_event' | 'class_membership' | 'audit_log') =>
    Number((await t.app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { pupils: await n('pupil'), orders: await n('pupil_order'), events: await n('movement_event'), memberships: await n('class_membership') };
}

const classList = async (classId: number, date: string) =>
  (await t.call('pupils.search', { classId, date, limit: 5000 }, t.adminSession)).rows.map((r) => r.lastName);

describe('admission', () => {
  it('admits a new pupil by a new order: alphabet entry, file number, normalised phone, audit', async () => {
    const done = await admit(pupil());
    expect(done).toMatchObject({ order: '1-у', fileNo: 'И/1' });
    const card = await t.call('pupils.get', { id: done.pupilId }, t.adminSession);
    expect(card).toMatchObject({ class: '5А', enrolled: true, phone: '+79131234567', fileNo: 'И/1' });
    expect(card.events).toMatchObject([{ kind: 'admission', order: '1-у', toClass: '5А', place: 'МБОУ СОШ № 3' }]);
    const second = await admit(pupil({ lastName: 'Ильин', snils: validSnils('223344556') }));
    expect(second).toMatchObject({ order: '2-у', fileNo: 'И/2' });
    await t.call('settings.update', { orderSuffix: '/к' }, t.adminSession);
    expect(await admit(pupil({ lastName: 'Исаев', snils: validSnils('334455667') }))).toMatchObject({ order: '3/к', fileNo: 'И/3' });
    const audit = await t.call('audit.list', { method: 'movement.admit' }, t.adminSession);
    expect(audit.rows[2]?.after).toMatchObject({ lastName: 'Иванов', snils: validSnils('112233445') });
  });

  it('refuses bad input with a clear message and writes nothing', async () => {
    await admit(pupil());
    const before = await counts();
    const badSnils = await t.refuse('movement.admit', { order: { date: '2025-09-02' }, classId: s.classes['5А'], pupil: pupil({ lastName: 'Петров', snils: '112-233-445 00' }) }, t.adminSession);
    expect(badSnils).toMatchObject({ code: 'invalid_params', fields: { 'pupil.snils': 'неверная контрольная сумма СНИЛС' } });
    const future = await t.refuse('movement.admit', { order: { date: '2025-09-02' }, classId: s.classes['5А'], pupil: pupil({ lastName: 'Петров', snils: null, birthDate: '2030-01-01' }) }, t.adminSession);
    expect(future.fields?.['pupil.birthDate']).toMatch(/в будущем/);
    const tooYoung = await t.refuse('movement.admit', { order: { date: '2025-09-02' }, classId: s.classes['5А'], pupil: pupil({ lastName: 'Петров', snils: null, birthDate: '2020-01-01' }) }, t.adminSession);
    expect(tooYoung.message).toMatch(/не подходит для 5 класса/);
    const unknownClass = await t.refuse('movement.admit', { order: { date: '2025-09-02' }, classId: 9999, pupil: pupil({ lastName: 'Петров', snils: null }) }, t.adminSession);
    expect(unknownClass).toMatchObject({ code: 'not_found', message: expect.stringMatching(/Класс № 9999 не найден/) });
    const closedYear = await t.refuse('movement.admit', { order: { date: '2025-01-15' }, classId: s.classes['4А-old'], pupil: pupil({ lastName: 'Петров', snils: null, birthDate: '2015-05-05' }) }, t.adminSession);
    expect(closedYear.message).toMatch(/Учебный год 2024\/2025 закрыт/);
    const duplicate = await t.refuse('movement.admit', { order: { date: '2025-09-02' }, classId: s.classes['5Б'], pupil: pupil({ snils: null, lastName: 'ИВАНОВ', middleName: 'Сергеевич' }) }, t.adminSession);
    expect(duplicate).toMatchObject({ code: 'conflict', message: expect.stringMatching(/уже есть в реестре.*ранее обучавшегося/) });
    const takenNumber = await t.refuse('movement.admit', { order: { date: '2025-09-03', number: '1-у' }, classId: s.classes['5А'], pupil: pupil({ lastName: 'Петров', snils: null }) }, t.adminSession);
    expect(takenNumber.message).toMatch(/уже есть в книге приказов/);
    expect(await counts()).toEqual(before);
  });
});

describe('search and lists', () => {
  it('finds by surname prefix ignoring ё, by СНИЛС and by file number, sorted with Ё after Е', async () => {
    await admit(pupil({ lastName: 'Ёлкин', firstName: 'Иван', snils: validSnils('300000001'), birthDate: '2014-04-01' }));
    await admit(pupil({ lastName: 'Елкин', firstName: 'Иван', snils: validSnils('300000002') }));
    await admit(pupil({ lastName: 'Жуков', firstName: 'Иван', snils: validSnils('300000003') }));
    await admit(pupil({ lastName: 'Семёнов', firstName: 'Олег', snils: validSnils('300000004') }));
    const all = await t.call('pupils.search', {}, t.adminSession);
    expect(all.rows.map((r) => r.lastName)).toEqual(['Елкин', 'Ёлкин', 'Жуков', 'Семёнов']);
    expect((await t.call('pupils.search', { query: 'семе' }, t.adminSession)).rows.map((r) => r.lastName)).toEqual(['Семёнов']);
    expect((await t.call('pupils.search', { query: 'ЕЛКИН ив' }, t.adminSession)).rows).toHaveLength(2);
    expect((await t.call('pupils.search', { query: validSnils('300000003') }, t.adminSession)).rows.map((r) => r.lastName)).toEqual(['Жуков']);
    expect((await t.call('pupils.search', { query: 'ё/1' }, t.adminSession)).rows.map((r) => r.lastName)).toEqual(['Ёлкин']);
    // Under the ё→е rule of matching, the same name and birth date is the same person.
    const twin = await t.refuse('movement.admit', { order: { date: '2025-09-05' }, classId: s.classes['5Б'], pupil: pupil({ lastName: 'Ёлкин', firstName: 'Иван', snils: null }) }, t.adminSession);
    expect(twin.code).toBe('conflict');
    expect((await t.call('pupils.search', { query: 'Е/1' }, t.adminSession)).rows.map((r) => r.lastName)).toEqual(['Елкин']);
  });
});

describe('movement', () => {
  it('moves a pupil to another class on a date: lists before and after show the right class', async () => {
    const { pupilId } = await admit(pupil());
    await t.call('movement.transfer', { pupilId, toClassId: s.classes['5Б'], order: { date: '2025-10-06' } }, t.adminSession);
    expect(await classList(s.classes['5А'], '2025-10-05')).toEqual(['Иванов']);
    expect(await classList(s.classes['5Б'], '2025-10-05')).toEqual([]);
    expect(await classList(s.classes['5А'], '2025-10-06')).toEqual([]);
    expect(await classList(s.classes['5Б'], '2025-10-06')).toEqual(['Иванов']);
    const card = await t.call('pupils.get', { id: pupilId }, t.adminSession);
    expect(card.memberships).toEqual([
      { class: '5А', classId: s.classes['5А'], from: '2025-09-01', to: '2025-10-05' },
      { class: '5Б', classId: s.classes['5Б'], from: '2025-10-06', to: null },
    ]);
    const orders = await t.call('orders.list', {}, t.adminSession);
    expect(orders.orders.map((o) => [o.number, o.kind])).toEqual([
      ['1-у', 'admission'],
      ['2-у', 'class_transfer'],
    ]);
    expect(orders.orders[0]).toMatchObject({ title: 'О зачислении обучающихся', body: expect.stringMatching(/^ПРИКАЗЫВАЮ:\n1\. Зачислить/) });
    const detail = await t.call('orders.get', { id: orders.orders[1]!.id }, t.adminSession);
    expect(detail.events).toMatchObject([{ pupilId, kind: 'class_transfer', fromClass: '5А', toClass: '5Б', fileNo: 'И/1' }]);
  });

  it('records a leaver: membership ends, person and history stay, codes revoked as the rule says', async () => {
    const leaver = await admit(pupil());
    const sibling = await admit(pupil({ lastName: 'Иванова', firstName: 'Анна', gender: 'ж', snils: validSnils('445566778'), birthDate: '2013-02-02' }), s.classes['6А']);
    const withSibling = await t.call('guardians.link', { pupilId: leaver.pupilId, guardian: { lastName: 'Иванова', firstName: 'Мария', middleName: 'Петровна', phone: '+7 913 000-00-01' }, kinship: 'мать' }, t.adminSession);
    const motherId = withSibling.guardians[0]!.id;
    await t.call('guardians.link', { pupilId: sibling.pupilId, guardianId: motherId, kinship: 'мать' }, t.adminSession);
    const onlyChild = await t.call('guardians.link', { pupilId: leaver.pupilId, guardian: { lastName: 'Сидоров', firstName: 'Олег' }, kinship: 'опекун', authorityDoc: 'постановление № 12 от 01.02.2020' }, t.adminSession);
    const guardianId = onlyChild.guardians.find((g) => g.lastName === 'Сидоров')!.id;
    const code = (holder: 'pupil' | 'guardian', pupilId: number, gid: number | null) =>
      t.app.db.insertInto('access_code').values({ holder_kind: holder, pupil_id: pupilId, guardian_id: gid, code_secret: 'X', status: 'issued', imported_at: 'x' }).execute();
    await code('pupil', leaver.pupilId, null);
    await code('guardian', leaver.pupilId, guardianId);
    await code('guardian', leaver.pupilId, motherId);

    const early = await t.refuse('movement.leave', { pupilId: leaver.pupilId, order: { date: '2025-08-20' }, reason: 'смена места жительства' }, t.adminSession);
    expect(early).toMatchObject({ code: 'refused', message: expect.stringMatching(/позже зачисления/) });

    const done = await t.call('movement.leave', { pupilId: leaver.pupilId, order: { date: '2025-10-10' }, reason: 'перевод в другую образовательную организацию', place: 'г. Ачинск, МБОУ СОШ № 5' }, t.adminSession);
    expect(done.revokedCodes).toBe(2); // the pupil's and the guardian's who has no other child here
    const statuses = await t.app.db.selectFrom('access_code').select(['holder_kind', 'guardian_id', 'status']).orderBy('id').execute();
    expect(statuses.map((c) => c.status)).toEqual(['revoked', 'revoked', 'issued']);
    expect(await classList(s.classes['5А'], '2025-10-09')).toEqual(['Иванов']);
    expect(await classList(s.classes['5А'], '2025-10-10')).toEqual([]);
    const card = await t.call('pupils.get', { id: leaver.pupilId }, t.adminSession);
    expect(card).toMatchObject({ enrolled: false, fileNo: 'И/1' });
    expect(card.events.map((e) => e.kind)).toEqual(['admission', 'leave']);
    expect((await t.call('pupils.search', { query: 'Иванов П', includeNotEnrolled: true }, t.adminSession)).rows[0]).toMatchObject({ enrolled: false, class: null });
  });

  it('re-admits a leaver a year later as the same person, keeping the file number', async () => {
    const first = await admit(pupil());
    await admit(pupil({ lastName: 'Исаев', snils: validSnils('556677889') }));
    await t.call('movement.leave', { pupilId: first.pupilId, order: { date: '2025-11-01' }, reason: 'смена места жительства', place: 'г. Омск' }, t.adminSession);
    const found = await t.call('pupils.findExisting', { snils: validSnils('112233445'), lastName: 'x', firstName: 'y', birthDate: '2014-03-10' }, t.adminSession);
    expect(found.matches.map((m) => m.id)).toEqual([first.pupilId]);
    await admit(pupil({ lastName: 'Ильина', gender: 'ж', snils: validSnils('667788990') }));
    const back = await t.call('movement.admit', { order: { date: '2026-09-01' }, classId: s.classes['6А-next'], pupilId: first.pupilId, place: 'г. Омск' }, t.adminSession);
    expect(back).toMatchObject({ pupilId: first.pupilId, fileNo: 'И/1' });
    const card = await t.call('pupils.get', { id: first.pupilId }, t.adminSession);
    expect(card.memberships.map((m) => [m.class, m.from, m.to])).toEqual([
      ['5А', '2025-09-01', '2025-10-31'],
      ['6А', '2026-09-01', null],
    ]);
    const numbers = await t.app.db.selectFrom('pupil').select(['last_name', 'alphabet_letter', 'alphabet_number']).orderBy('id').execute();
    expect(numbers.map((n) => `${n.alphabet_letter}/${n.alphabet_number}`)).toEqual(['И/1', 'И/2', 'И/3']);
    expect(await t.app.db.selectFrom('pupil').select('id').execute()).toHaveLength(3);
    const again = await t.refuse('movement.admit', { order: { date: '2026-09-02' }, classId: s.classes['6А-next'], pupilId: first.pupilId }, t.adminSession);
    expect(again.message).toMatch(/уже обучается в 6А/);
  });

  it('cancels an event entered in error by a counter-event, latest first, never deleting history', async () => {
    const { pupilId } = await admit(pupil());
    const moved = await t.call('movement.transfer', { pupilId, toClassId: s.classes['5Б'], order: { date: '2025-10-06' } }, t.adminSession);
    const left = await t.call('movement.leave', { pupilId, order: { date: '2025-10-20' }, reason: 'иное' }, t.adminSession);
    const notLatest = await t.refuse('movement.cancel', { eventId: moved.eventId, reason: 'ошибка' }, t.adminSession);
    expect(notLatest.message).toMatch(/только последнюю/);
    const cancelled = await t.call('movement.cancel', { eventId: left.eventId, reason: 'выбытие оформлено не тому ученику' }, t.adminSession);
    expect(cancelled).toMatchObject({ id: left.eventId, cancelled: true });
    expect(await classList(s.classes['5Б'], '2025-12-01')).toEqual(['Иванов']);
    await t.call('movement.cancel', { eventId: moved.eventId, reason: 'перевод внесён ошибочно' }, t.adminSession);
    expect(await classList(s.classes['5А'], '2025-12-01')).toEqual(['Иванов']);
    const card = await t.call('pupils.get', { id: pupilId }, t.adminSession);
    expect(card.events.map((e) => [e.kind, e.cancelled])).toEqual([
      ['admission', false],
      ['class_transfer', true],
      ['leave', true],
      ['cancellation', false],
      ['cancellation', false],
    ]);
    expect((await t.refuse('movement.cancel', { eventId: left.eventId, reason: 'ещё раз' }, t.adminSession)).message).toMatch(/уже отменена/);
  });
});

describe('pupil card and guardians', () => {
  it('audits personal data changes with before and after, and refuses a bad phone per field', async () => {
    const { pupilId } = await admit(pupil());
    const bad = await t.refuse('pupils.update', { id: pupilId, data: pupil({ phone: '12345' }) }, t.adminSession);
    expect(bad.fields?.['data.phone']).toMatch(/10 цифр после \+7/);
    await t.call('pupils.update', { id: pupilId, data: pupil({ liveAddress: 'г. Красноярск, ул. Мира, д. 1' }) }, t.adminSession);
    const entry = (await t.call('audit.list', { method: 'pupils.update' }, t.adminSession)).rows[0];
    expect(entry).toMatchObject({ entity: 'pupil', entityId: String(pupilId), before: { liveAddress: null }, after: { liveAddress: 'г. Красноярск, ул. Мира, д. 1' } });
  });

  it('requires the authority document for a non-parent and lets siblings share a guardian', async () => {
    const a = await admit(pupil());
    const noDoc = await t.refuse('movement.admit', { order: { date: '2025-09-01' }, classId: 1, pupil: {} }, t.adminSession);
    expect(noDoc.code).toBe('invalid_params');
    const missing = await t.refuse('guardians.link', { pupilId: a.pupilId, guardian: { lastName: 'Сидоров', firstName: 'Олег' }, kinship: 'опекун' }, t.adminSession);
    expect(missing.fields?.authorityDoc).toMatch(/документ о полномочиях/);
    const card = await t.call('guardians.link', { pupilId: a.pupilId, guardian: { lastName: 'Иванова', firstName: 'Мария' }, kinship: 'мать' }, t.adminSession);
    const b = await admit(pupil({ firstName: 'Анна', gender: 'ж', snils: validSnils('778899001') }));
    const found = await t.call('guardians.search', { query: 'иванова м' }, t.adminSession);
    expect(found.rows[0]).toMatchObject({ id: card.guardians[0]!.id, children: [expect.stringMatching(/^Иванов Пётр/)] });
    const sibling = await t.call('guardians.link', { pupilId: b.pupilId, guardianId: card.guardians[0]!.id, kinship: 'мать' }, t.adminSession);
    expect(sibling.guardians[0]!.id).toBe(card.guardians[0]!.id);
  });
});
