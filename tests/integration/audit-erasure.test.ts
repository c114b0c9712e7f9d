import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuardianInput, PupilInput } from '../../common/api/contingent';
import { openInitializedApp, type TestApp } from '../support/app';
import { smallSchool, validSnils, type SmallSchool } from '../support/school';

/**
 * Destroyed personal data leaves the event log too, while the hash chain keeps verifying:
 * the payload text is cut, its original digest stays in audit_erasure (chain version 2).
 */
let t: TestApp & { adminSession: string };
let s: SmallSchool;
const NOW = new Date('2026-01-20T09:00:00Z');
const MARKER = '[уничтожено: акт № 1 от 20.01.2026]';

beforeEach(async () => {
  t = await openInitializedApp({ now: () => NOW });
  s = await smallSchool(t);
});
afterEach(async () => t.close());

const SNILS = validSnils('176543218');
const pupil: PupilInput = {
  lastName: 'Лебедев',
  firstName: 'Матвей',
  middleName: 'Андреевич',
  birthDate: '2014-08-30',
  gender: 'м',
  snils: SNILS,
  docKind: 'birth_certificate',
  docSeries: 'II-ВЕ',
  docNumber: '514937',
  docIssuedBy: 'Отдел ЗАГС Кировского района',
  docIssuedOn: '2014-09-10',
  regAddress: 'г. Канск, ул. Эйдемана, д. 4, кв. 2',
  liveAddress: 'г. Канск, ул. Эйдемана, д. 4, кв. 2',
  phone: '+79231234501',
  email: 'lebedev.m@example.ru',
};
const guardian: GuardianInput = {
  lastName: 'Лебедева',
  firstName: 'Нина',
  middleName: 'Павловна',
  birthDate: '1987-11-02',
  snils: validSnils('165432187'),
  docKind: 'passport',
  docSeries: '0412',
  docNumber: '845120',
  docIssuedBy: 'ГУ МВД России по Красноярскому краю',
  docIssuedOn: '2012-12-01',
  regAddress: 'г. Канск, ул. Кайтымская, д. 60, кв. 77',
  liveAddress: 'г. Канск, ул. Кайтымская, д. 60, кв. 77',
  phone: '+79029876543',
  email: 'nina.lebedeva@example.ru',
};
const AUTHORITY = 'Постановление администрации г. Канска № 1187 от 14.03.2022';

async function family(): Promise<{ pupilId: number; guardianId: number }> {
  const { pupilId } = await t.call('movement.admit', { order: { date: '2025-09-01' }, classId: s.classes['5А'], pupil }, t.adminSession);
  await t.call('pupils.update', { id: pupilId, data: { ...pupil, phone: '+79231234502' } }, t.adminSession);
  const card = await t.call('guardians.link', { pupilId, guardian, kinship: 'опекун', authorityDoc: AUTHORITY }, t.adminSession);
  const guardianId = card.guardians[0]!.id;
  await t.call('guardians.update', { id: guardianId, data: { ...guardian, phone: '+79029876544' } }, t.adminSession);
  return { pupilId, guardianId };
}

async function withdrawal(subject: { pupilId: number; guardianId?: number }): Promise<number> {
  const purpose = subject.guardianId ? 'guardian_data' : 'pupil_data';
  const kind = subject.guardianId ? 'guardian' : 'pupil';
  const row = { subject_kind: kind, pupil_id: subject.pupilId, guardian_id: subject.guardianId ?? null, purpose } as const;
  await t.app.db.insertInto('consent').values({ ...row, status: 'given', decided_on: '2025-09-01' }).execute();
  return (await t.app.db.insertInto('consent').values({ ...row, status: 'withdrawn', decided_on: '2026-01-05', destroy_due: '2026-02-04' }).returning('id').executeTakeFirstOrThrow()).id;
}

function tamper(statement: string): void {
  const raw = new BetterSqlite3(t.dbPath);
  // Someone editing the file by hand is not held by the app's foreign keys.
  raw.pragma('foreign_keys = OFF');
  raw.prepare(statement).run();
  raw.close();
}

const logText = async () => JSON.stringify(await t.app.db.selectFrom('audit_log').selectAll().execute());

describe('erasure of destroyed data from the event log', () => {
  it('replaces the destroyed values, keeps the shape and the rest, and the chain still verifies', async () => {
    const { pupilId } = await family();
    const hashesBefore = await t.app.db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id').execute();
    const done = await t.call('consents.destroy', { consentId: await withdrawal({ pupilId }), actDate: '2026-01-20' }, t.adminSession);

    const { rows } = await t.call('audit.list', { entity: 'pupil' }, t.adminSession);
    const admit = rows.find((r) => r.method === 'movement.admit')!;
    const update = rows.find((r) => r.method === 'pupils.update')!;
    expect(admit.after).toEqual({
      lastName: 'Лебедев', firstName: 'Матвей', middleName: 'Андреевич', birthDate: '2014-08-30', gender: 'м',
      snils: MARKER, docKind: MARKER, docSeries: MARKER, docNumber: MARKER, docIssuedBy: MARKER, docIssuedOn: MARKER,
      regAddress: MARKER, liveAddress: MARKER, phone: MARKER, email: MARKER,
    });
    expect(admit.details).toMatchObject({ class: '5А', returning: false });
    expect(update.before).toMatchObject({ lastName: 'Лебедев', phone: MARKER, snils: MARKER });
    expect(update.after).toMatchObject({ phone: MARKER });
    // The guardian's own entries are not the pupil's data: they stay.
    const guardianRows = (await t.call('audit.list', { entity: 'guardian' }, t.adminSession)).rows;
    expect(guardianRows.find((r) => r.method === 'guardians.update')?.after).toMatchObject({ phone: '+79029876544' });

    const text = await logText();
    for (const value of [SNILS, '+79231234501', '+79231234502', pupil.regAddress!, pupil.docIssuedBy!, 'lebedev.m@example.ru', '514937']) expect(text).not.toContain(value);
    // Every hash is what it was: the erasure did not re-chain anything.
    const hashesAfter = await t.app.db.selectFrom('audit_log').select(['id', 'hash']).where('id', '<=', hashesBefore.at(-1)!.id).orderBy('id').execute();
    expect(hashesAfter).toEqual(hashesBefore);

    const erasures = await t.app.db.selectFrom('audit_erasure').selectAll().execute();
    expect(new Set(erasures.map((e) => e.entry_id)).size).toBe(done.auditEntriesErased);
    expect(erasures.every((e) => e.act_id === done.actId && /^[0-9a-f]{64}$/.test(e.original_sha256))).toBe(true);
    const verify = await t.call('audit.verify', {}, t.adminSession);
    expect(verify).toMatchObject({ ok: true, firstBroken: null });
    expect(verify.erased).toBeGreaterThan(0);
    expect(verify.erased).toBe(done.auditEntriesErased);
  });

  it('exports the log of the person with the act: metadata and entry hashes only, its SHA-256 stored', async () => {
    const { pupilId } = await family();
    const done = await t.call('consents.destroy', { consentId: await withdrawal({ pupilId }), actDate: '2026-01-20' }, t.adminSession);
    const file = await t.call('consents.actLog', { actId: done.actId }, t.adminSession);
    const content = Buffer.from(file.contentBase64, 'base64').toString('utf8');
    const act = (await t.call('consents.acts', {}, t.adminSession)).acts[0]!;
    expect(createHash('sha256').update(content, 'utf8').digest('hex')).toBe(act.logSha256);
    expect(file.fileName).toMatch(/2026-1\.json$/);
    const exported = JSON.parse(content) as { subject: unknown; exportedAt: string; entries: Array<Record<string, unknown>> };
    expect(exported.subject).toEqual({ kind: 'pupil', id: pupilId, label: 'Лебедев Матвей Андреевич, 30.08.2014 г. р.' });
    expect(exported.exportedAt).toBe(NOW.toISOString());
    expect(act.logEntries).toBe(exported.entries.length);
    const methods = exported.entries.map((e) => e.method);
    expect(methods).toEqual(expect.arrayContaining(['movement.admit', 'pupils.update', 'guardians.link']));
    expect(methods).not.toContain('guardians.update');
    for (const entry of exported.entries) {
      expect(Object.keys(entry).sort()).toEqual(['action', 'at', 'hash', 'id', 'method', 'user']);
      const row = await t.app.db.selectFrom('audit_log').select('hash').where('id', '=', entry.id as number).executeTakeFirstOrThrow();
      expect(entry.hash).toBe(row.hash);
    }
    expect(content).not.toContain(SNILS);
    expect((await t.refuse('consents.actLog', { actId: 99 }, t.adminSession)).code).toBe('not_found');
  });

  it('detects an erased entry edited afterwards, a removed erasure record, an act that does not exist and a false erasure claim', async () => {
    const { pupilId } = await family();
    await t.call('consents.destroy', { consentId: await withdrawal({ pupilId }), actDate: '2026-01-20' }, t.adminSession);
    const erased = await t.app.db.selectFrom('audit_erasure').selectAll().orderBy('entry_id').execute();
    const first = erased[0]!;
    const row = await t.app.db.selectFrom('audit_log').selectAll().where('id', '=', first.entry_id).executeTakeFirstOrThrow();
    const original = row[first.field]!;

    // Putting the value back, or anything else, into an erased payload.
    tamper(`update audit_log set ${first.field} = '${original.replace(MARKER, '+79990000000').replace(/'/g, "''")}' where id = ${first.entry_id}`);
    const edited = await t.call('audit.verify', {}, t.adminSession);
    expect(edited).toMatchObject({ ok: false, firstBroken: { id: first.entry_id, reason: expect.stringMatching(/изменены после стирания/) } });
    expect(edited.entries).toBe(first.entry_id - 1);
    tamper(`update audit_log set ${first.field} = '${original.replace(/'/g, "''")}' where id = ${first.entry_id}`);
    expect((await t.call('audit.verify', {}, t.adminSession)).ok).toBe(true);

    // Dropping the record of the erasure: the erased text no longer matches the chain.
    tamper(`delete from audit_erasure where entry_id = ${first.entry_id} and field = '${first.field}'`);
    expect(await t.call('audit.verify', {}, t.adminSession)).toMatchObject({ ok: false, firstBroken: { id: first.entry_id, reason: expect.stringMatching(/изменено/) } });
    tamper(`insert into audit_erasure (entry_id, field, original_sha256, act_id) values (${first.entry_id}, '${first.field}', '${first.original_sha256}', ${first.act_id})`);
    expect((await t.call('audit.verify', {}, t.adminSession)).ok).toBe(true);

    // An erasure that names an act which is not in the register.
    tamper(`update audit_erasure set act_id = 999 where entry_id = ${first.entry_id} and field = '${first.field}'`);
    expect(await t.call('audit.verify', {}, t.adminSession)).toMatchObject({ ok: false, firstBroken: { id: first.entry_id, reason: expect.stringMatching(/без акта/) } });
    tamper(`update audit_erasure set act_id = ${first.act_id} where entry_id = ${first.entry_id} and field = '${first.field}'`);

    // Claiming an erasure to cover an edit of an entry that was never erased.
    const plain = await t.app.db.selectFrom('audit_log').select(['id', 'details_json']).where('method', '=', 'auth.setup').executeTakeFirstOrThrow();
    tamper(`update audit_log set details_json = '{"edited":true}' where id = ${plain.id}`);
    tamper(`insert into audit_erasure (entry_id, field, original_sha256, act_id) values (${plain.id}, 'details_json', '${'0'.repeat(64)}', ${first.act_id})`);
    expect(await t.call('audit.verify', {}, t.adminSession)).toMatchObject({ ok: false, firstBroken: { id: plain.id } });
  });

  it('a second act after a new consent erases only the new values, and the chain verifies across both', async () => {
    const { pupilId } = await family();
    await t.call('consents.destroy', { consentId: await withdrawal({ pupilId }), actDate: '2026-01-10' }, t.adminSession);
    await t.app.db.insertInto('consent').values({ subject_kind: 'pupil', pupil_id: pupilId, purpose: 'pupil_data', status: 'given', decided_on: '2026-01-12' }).execute();
    await t.call('pupils.update', { id: pupilId, data: { ...pupil, snils: null, phone: '+79231234599', regAddress: null, liveAddress: null, docKind: null, docSeries: null, docNumber: null, docIssuedBy: null, docIssuedOn: null, email: null } }, t.adminSession);
    const second = await t.app.db
      .insertInto('consent')
      .values({ subject_kind: 'pupil', pupil_id: pupilId, purpose: 'pupil_data', status: 'withdrawn', decided_on: '2026-01-15', destroy_due: '2026-02-14' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const done = await t.call('consents.destroy', { consentId: second.id, actDate: '2026-01-20' }, t.adminSession);
    expect(done).toMatchObject({ number: '2026-2', destroyed: ['телефон'], auditEntriesErased: 1 });
    const update = (await t.call('audit.list', { method: 'pupils.update' }, t.adminSession)).rows[0]!;
    expect(update.before).toMatchObject({ phone: null, snils: null });
    expect(update.after).toMatchObject({ phone: '[уничтожено: акт № 2 от 20.01.2026]', snils: null });
    expect(await logText()).not.toContain('+79231234599');
    const verify = await t.call('audit.verify', {}, t.adminSession);
    expect(verify).toMatchObject({ ok: true, firstBroken: null });
    expect(verify.erased).toBeGreaterThan(done.auditEntriesErased);
  });

  it('for a guardian erases their entries, their document of authority on the pupil card, and keeps the pupil', async () => {
    const { pupilId, guardianId } = await family();
    const done = await t.call('consents.destroy', { consentId: await withdrawal({ pupilId, guardianId }), actDate: '2026-01-20' }, t.adminSession);
    expect(done.destroyed).toEqual(expect.arrayContaining(['СНИЛС', 'дата рождения', 'документ, подтверждающий полномочия представителя']));
    const card = await t.call('pupils.get', { id: pupilId }, t.adminSession);
    expect(card.guardians[0]).toMatchObject({ lastName: 'Лебедева', firstName: 'Нина', kinship: 'опекун', authorityDoc: null, birthDate: null, snils: null, phone: null, docNumber: null });
    expect(card).toMatchObject({ snils: SNILS, phone: '+79231234502' });
    const destroyedAt = await t.app.db.selectFrom('guardian').select('data_destroyed_at').where('id', '=', guardianId).executeTakeFirstOrThrow();
    expect(destroyedAt.data_destroyed_at).toBe(NOW.toISOString());

    const link = (await t.call('audit.list', { method: 'guardians.link' }, t.adminSession)).rows;
    expect(link.find((r) => r.entity === 'pupil')?.after).toEqual({ guardianId, kinship: 'опекун', authorityDoc: MARKER });
    expect(link.find((r) => r.entity === 'guardian')?.after).toMatchObject({ lastName: 'Лебедева', birthDate: MARKER, snils: MARKER, phone: MARKER });
    const text = await logText();
    for (const value of [guardian.snils!, AUTHORITY, '845120', '+79029876543', '+79029876544', '1987-11-02', guardian.regAddress!]) expect(text).not.toContain(value);
    // The pupil's own values stay in the log.
    expect(text).toContain(SNILS);
    expect(await t.call('audit.verify', {}, t.adminSession)).toMatchObject({ ok: true, erased: done.auditEntriesErased });
  });
});
