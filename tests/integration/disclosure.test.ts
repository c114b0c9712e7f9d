import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuardianInput, PupilInput } from '../../common/api/contingent';
import { contract, METHOD_NAMES } from '../../common/api/contract';
import { NOT_REVERTIBLE, STRATEGIES } from '../../main/disclosure/strategies';
import { openInitializedApp, type TestApp } from '../support/app';
import { assertBuilt, cli } from '../support/cli';
import { smallSchool, validSnils, type SmallSchool } from '../support/school';

let t: TestApp & { adminSession: string };
let s: SmallSchool;
/** The app's clock, moved by the test: changes land before and after the moment of disclosure. */
let clock: Date;
const at = (iso: string) => {
  clock = new Date(iso);
};
const SINCE = '2025-10-15T11:00:00.000Z';
const SECRETARY = { login: 'petrova', password: 'petrova-secret', fullName: 'Петрова Ольга Ивановна', role: 'secretary' as const };

beforeEach(async () => {
  at('2025-10-15T09:00:00Z');
  t = await openInitializedApp({ now: () => clock });
  s = await smallSchool(t);
  // The test clock jumps by hours: no screen lock in between.
  await t.call('settings.update', { lockAfterMinutes: 0 }, t.adminSession);
});
afterEach(async () => t.close());

const pupilData = (lastName: string, body: string, over: Partial<PupilInput> = {}): PupilInput => ({
  lastName,
  firstName: 'Иван',
  middleName: 'Сергеевич',
  birthDate: '2014-03-10',
  gender: 'м',
  snils: validSnils(body),
  phone: '+79131234567',
  liveAddress: 'г. Канск, ул. Ленина, 1',
  ...over,
});

function pupilColumns(id: number) {
  const raw = new BetterSqlite3(t.dbPath, { readonly: true });
  try {
    return raw.prepare('select last_name, first_name, phone, live_address, reg_address, snils from pupil where id = ?').get(id);
  } finally {
    raw.close();
  }
}

/** The register without the audit log (which every call extends). */
function digest(): string {
  const raw = new BetterSqlite3(t.dbPath, { readonly: true });
  const hash = createHash('sha256');
  for (const table of ['pupil', 'guardian', 'pupil_guardian', 'pupil_order', 'movement_event', 'class_membership', 'access_code', 'school', 'setting']) {
    hash.update(JSON.stringify(raw.prepare(`select * from ${table} order by rowid`).all()));
  }
  raw.close();
  return hash.digest('hex');
}

const classOf = async (pupilId: number) => (await t.call('pupils.get', { id: pupilId }, t.adminSession)).class;

/**
 * A secretary's account works normally until 11:00, then (credentials stolen) makes changes; the
 * administrator meanwhile edits one of the same pupils and an unrelated one.
 */
async function scenario() {
  const admin = t.adminSession;
  const admit = async (p: PupilInput) =>
    (await t.call('movement.admit', { order: { date: '2025-09-01', number: `${p.lastName}-у` }, classId: s.classes['5А'], pupil: p }, admin)).pupilId;
  const a = pupilData('Антонов', '100000001');
  const b = pupilData('Борисов', '100000002');
  const c = pupilData('Васильев', '100000003');
  const d = pupilData('Григорьев', '100000004');
  const e = pupilData('Дмитриев', '100000005');
  const ids = { a: await admit(a), b: await admit(b), c: await admit(c), d: await admit(d), e: await admit(e) };
  const motherOfA: GuardianInput = { lastName: 'Антонова', firstName: 'Мария', phone: '+79130000001' };
  const cardA = await t.call('guardians.link', { pupilId: ids.a, guardian: motherOfA, kinship: 'мать' }, admin);
  const guardianA = cardA.guardians[0]!.id;
  await t.call('users.create', SECRETARY, admin);
  const secretary = (await t.call('auth.login', { login: SECRETARY.login, password: SECRETARY.password })).sessionId;

  // Before the disclosure: the secretary's own, legitimate work stays.
  at('2025-10-15T10:00:00Z');
  await t.call('pupils.update', { id: ids.c, data: { ...c, phone: '+79135550003' } }, secretary);

  const preChange = { a: pupilColumns(ids.a), b: pupilColumns(ids.b) };

  // After it: someone else uses the account.
  at('2025-10-15T11:30:00Z');
  await t.call('pupils.update', { id: ids.a, data: { ...a, phone: '+79990000000' } }, secretary);
  at('2025-10-15T11:31:00Z');
  await t.call('pupils.update', { id: ids.a, data: { ...a, phone: '+79990000000', liveAddress: 'г. Москва, Красная пл., 1' } }, secretary);
  await t.call('guardians.update', { id: guardianA, data: { ...motherOfA, phone: '+79990000001' } }, secretary);
  at('2025-10-15T11:32:00Z');
  await t.call('movement.transfer', { pupilId: ids.b, toClassId: s.classes['5Б'], order: { date: '2025-10-15', number: 'п-1' } }, secretary);
  await t.call('movement.transfer', { pupilId: ids.e, toClassId: s.classes['5Б'], order: { date: '2025-10-15', number: 'п-2' } }, secretary);
  at('2025-10-15T11:33:00Z');
  const cardC = await t.call('guardians.link', { pupilId: ids.c, guardian: { lastName: 'Чужой', firstName: 'Пётр', phone: '+79990000002' }, kinship: 'отец' }, secretary);
  const strangerId = cardC.guardians.find((g) => g.lastName === 'Чужой')!.id;
  await t.call('guardians.unlink', { pupilId: ids.a, guardianId: guardianA }, secretary);
  at('2025-10-15T11:34:00Z');
  const newcomer = (
    await t.call('movement.admit', { order: { date: '2025-10-15', number: 'з-9' }, classId: s.classes['5Б'], pupil: pupilData('Евгеньев', '100000006') }, secretary)
  ).pupilId;

  // The administrator, later: an unrelated pupil and the pupil the secretary transferred.
  at('2025-10-15T12:00:00Z');
  await t.call('pupils.update', { id: ids.d, data: { ...d, phone: '+79135550004' } }, admin);
  await t.call('pupils.update', { id: ids.b, data: { ...b, phone: '+79135550002' } }, admin);
  at('2025-10-15T12:30:00Z');
  return { ids, guardianA, strangerId, newcomer, secretary, preChange };
}

describe('disclosed accounts', () => {
  it('every write method is either reverted by a strategy or not revertible with a Russian reason', () => {
    const writes = METHOD_NAMES.filter((m) => contract[m].access === 'write' || contract[m].access === 'job');
    const unclassified = writes.filter((m) => !(m in STRATEGIES) && !(m in NOT_REVERTIBLE));
    expect(unclassified).toEqual([]);
    for (const m of writes) expect(m in STRATEGIES && m in NOT_REVERTIBLE, `${m} is in both tables`).toBe(false);
    for (const reason of Object.values(NOT_REVERTIBLE)) expect(reason).toMatch(/^[а-яё«]/);
    // Nothing in the tables that the contract does not know (a renamed method would hide there).
    for (const m of Object.keys(STRATEGIES)) expect(METHOD_NAMES).toContain(m);
  });

  it('locks the account, lists its changes since the moment and marks the dependent one as a conflict', async () => {
    const { ids, secretary } = await scenario();
    const userId = (await t.call('users.list', {}, t.adminSession)).users.find((u) => u.login === SECRETARY.login)!.id;

    const future = await t.refuse('users.disclose', { id: userId, since: '2025-10-16T00:00:00Z' }, t.adminSession);
    expect(future).toMatchObject({ code: 'invalid_params', fields: { since: 'момент в будущем' } });
    const badMoment = await t.refuse('users.disclose', { id: userId, since: '15.10.2025' }, t.adminSession);
    expect(badMoment.code).toBe('invalid_params');
    const own = await t.refuse('users.disclose', { id: 1, since: SINCE }, t.adminSession);
    expect(own.message).toMatch(/собственную учётную запись/);
    const notYet = await t.refuse('users.revertSince', { id: userId, dryRun: true }, t.adminSession);
    expect(notYet.message).toMatch(/не отмечена как раскрытая/);

    const disclosed = await t.call('users.disclose', { id: userId, since: '2025-10-15T14:00:00+03:00', note: 'пароль был записан на листке' }, t.adminSession);
    expect(disclosed.user).toMatchObject({ locked: true, disclosedSince: SINCE });
    // pupils.update ×2, guardians.update, transfer ×2, a new guardian and its link, unlink, admission.
    expect(disclosed.changes).toBe(9);
    expect((await t.refuse('pupils.get', { id: ids.a }, secretary)).code).toBe('no_session');
    expect((await t.refuse('auth.login', { login: SECRETARY.login, password: SECRETARY.password })).message).toMatch(/заблокирован/);

    const unlisted = digest();
    const listing = await t.call('users.disclosedChanges', { id: userId }, t.adminSession);
    // The listing tries the reverts and rolls them back: nothing changes.
    expect(digest()).toBe(unlisted);
    expect(listing.since).toBe(SINCE);
    expect(listing.changes).toHaveLength(9);
    expect(listing.changes.every((c) => c.at >= SINCE)).toBe(true);
    const transferB = listing.changes.find((c) => c.method === 'movement.transfer' && c.entityId === String(ids.b))!;
    expect(transferB).toMatchObject({ title: 'Перевод в другой класс', revertible: false, reverted: false });
    expect(transferB.conflict).toMatch(/^после этого запись изменил admin 15\.10\.2025 \d\d:\d\d \(запись журнала № \d+\)$/);
    expect(listing.changes.filter((c) => c.revertible)).toHaveLength(8);
    // A chain of edits of one card is revertible as a whole: the newest goes first.
    expect(listing.changes.filter((c) => c.method === 'pupils.update').map((c) => c.revertible)).toEqual([true, true]);
    expect(listing.changes.find((c) => c.method === 'guardians.update')!.summary).toMatch(/Антонова Мария.*изменено: телефон/);

    // A value changed since outside the log (here: by hand in the file) is never overwritten.
    await t.app.db.updateTable('pupil').set({ live_address: 'г. Красноярск, ул. Мира, 5' }).where('id', '=', ids.a).execute();
    const relisted = await t.call('users.disclosedChanges', { id: userId }, t.adminSession);
    const editsOfA = relisted.changes.filter((c) => c.method === 'pupils.update');
    expect(editsOfA[0]).toMatchObject({ revertible: false, conflict: expect.stringMatching(/значения изменены позднее \(адрес проживания\)/) });
    // The older edit changed only the phone, which is still as it left it.
    expect(editsOfA[1]).toMatchObject({ revertible: true, conflict: null });
    const result = await t.call('users.revertSince', { id: userId, dryRun: false }, t.adminSession);
    expect(result.conflicts.map((c) => c.auditId).sort()).toEqual([transferB.auditId, editsOfA[0]!.auditId].sort());
    expect(pupilColumns(ids.a)).toMatchObject({ phone: '+79131234567', live_address: 'г. Красноярск, ул. Мира, 5' });
  });

  it('reverts exactly the post-disclosure changes from the command line, once', async () => {
    assertBuilt();
    const { ids, guardianA, strangerId, newcomer, preChange } = await scenario();
    const userId = (await t.call('users.list', {}, t.adminSession)).users.find((u) => u.login === SECRETARY.login)!.id;
    const cPhone = (pupilColumns(ids.c) as { phone: string }).phone;
    const dPhone = (pupilColumns(ids.d) as { phone: string }).phone;
    const bAfterAdmin = pupilColumns(ids.b);
    const run = (...args: string[]) => cli(['--db', t.dbPath, '--user', 'admin', '--json', ...args], { env: { SCHOOL_OFFICE_PASSWORD: 'admin-secret' } });

    const disclosed = run('user', 'disclose', SECRETARY.login, '--since', SINCE);
    expect(disclosed.code, disclosed.stderr).toBe(0);
    expect(JSON.parse(disclosed.stdout)).toMatchObject({ user: { login: SECRETARY.login, locked: true }, changes: 9 });

    const before = digest();
    const dry = run('user', 'revert-since', SECRETARY.login, '--since', SINCE, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    const preview = JSON.parse(dry.stdout) as { reverted: number[]; conflicts: Array<{ auditId: number; reason: string }>; dryRun: boolean; changes: Array<{ auditId: number; method: string; entityId: string }> };
    expect(preview.dryRun).toBe(true);
    expect(preview.reverted).toHaveLength(8);
    expect(preview.changes).toHaveLength(9);
    expect(digest()).toBe(before);
    const transferB = preview.changes.find((c) => c.method === 'movement.transfer' && c.entityId === String(ids.b))!;
    expect(preview.conflicts).toEqual([{ auditId: transferB.auditId, reason: expect.stringMatching(/^после этого запись изменил admin .*\(запись журнала № \d+\)$/) }]);
    // Newest first, as they are reverted.
    expect(preview.reverted).toEqual([...preview.reverted].sort((x, y) => y - x));

    const real = run('user', 'revert-since', SECRETARY.login, '--since', SINCE);
    expect(real.code, real.stderr).toBe(0);
    const done = JSON.parse(real.stdout) as typeof preview;
    expect(done).toMatchObject({ dryRun: false, reverted: preview.reverted, conflicts: preview.conflicts });
    expect(done.changes.filter((c) => (c as unknown as { reverted: boolean }).reverted)).toHaveLength(8);

    // The pupil edited twice is back to its values before the disclosure; the guardian too.
    expect(pupilColumns(ids.a)).toEqual(preChange.a);
    const mother = await t.call('guardians.search', { query: 'Антонова' }, t.adminSession);
    expect(mother.rows.find((g) => g.id === guardianA)?.phone).toBe('+79130000001');
    // The mother the account removed from the card is back, with her kinship.
    const cardA = await t.call('pupils.get', { id: ids.a }, t.adminSession);
    expect(cardA.guardians.map((g) => [g.id, g.kinship])).toEqual([[guardianA, 'мать']]);
    // The pupil the account admitted is not enrolled any more; the history keeps both records.
    const cardNew = await t.call('pupils.get', { id: newcomer }, t.adminSession);
    expect(cardNew.enrolled).toBe(false);
    expect(cardNew.events.map((e) => e.kind)).toEqual(['admission', 'cancellation']);
    // The guardian the account entered and linked is gone from the card and from the register.
    const cardC = await t.call('pupils.get', { id: ids.c }, t.adminSession);
    expect(cardC.guardians.map((g) => g.id)).not.toContain(strangerId);
    expect(await t.app.db.selectFrom('guardian').select('id').where('id', '=', strangerId).executeTakeFirst()).toBeUndefined();
    // The unconflicted transfer is cancelled by a counter-event; the conflicting one stays.
    expect(await classOf(ids.e)).toBe('5А');
    const cardE = await t.call('pupils.get', { id: ids.e }, t.adminSession);
    expect(cardE.events.map((e) => e.kind)).toEqual(['admission', 'class_transfer', 'cancellation']);
    expect(cardE.events[2]?.note).toBe('Внесено ошибочно: отмена действий раскрытой учётной записи');
    expect(await classOf(ids.b)).toBe('5Б');
    // The change before the moment and the administrator's changes remain.
    expect((pupilColumns(ids.c) as { phone: string }).phone).toBe(cPhone);
    expect(cPhone).toBe('+79135550003');
    expect((pupilColumns(ids.d) as { phone: string }).phone).toBe(dPhone);
    expect(pupilColumns(ids.b)).toEqual(bAfterAdmin);
    expect(preChange.b).not.toEqual(bAfterAdmin);

    // Each revert is its own audit entry naming the entry it undid; the chain is intact.
    const reverts = await t.call('audit.list', { method: 'users.revertSince', limit: 50 }, t.adminSession);
    const revertEntries = reverts.rows.filter((r) => r.action === 'Отмена изменения раскрытой учётной записи');
    expect(revertEntries.map((r) => (r.details as { revertsAuditId: number }).revertsAuditId).sort()).toEqual([...preview.reverted].sort());
    expect(revertEntries.every((r) => r.userLogin === 'admin')).toBe(true);
    const verify = cli(['--db', t.dbPath, '--json', 'audit', 'verify']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, firstBroken: null });

    // Still locked; a second run reverts nothing more and reports the same conflict.
    expect((await t.refuse('auth.login', { login: SECRETARY.login, password: SECRETARY.password })).message).toMatch(/заблокирован/);
    const users = (await t.call('users.list', {}, t.adminSession)).users;
    expect(users.find((u) => u.id === userId)?.locked).toBe(true);
    const afterFirst = digest();
    const again = run('user', 'revert-since', SECRETARY.login, '--since', SINCE);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ reverted: [], conflicts: preview.conflicts, dryRun: false });
    expect(digest()).toBe(afterFirst);

    // For people: a table with the outcome of each change; a missing login is a usage error.
    const text = cli(['--db', t.dbPath, '--user', 'admin', 'user', 'revert-since', SECRETARY.login, '--since', SINCE, '--dry-run'], { env: { SCHOOL_OFFICE_PASSWORD: 'admin-secret' } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Пробный прогон \(ничего не изменено\): будет отменено 0, не отменяется 1\./);
    expect(text.stdout).toMatch(/Перевод в другой класс .*не отменяется: после этого запись изменил admin/);
    expect(text.stdout.match(/отменено ранее/g)).toHaveLength(8);
    const noLogin = run('user', 'revert-since', '--since', SINCE);
    expect(noLogin.code).toBe(2);
    expect(noLogin.stderr).toMatch(/Не указан логин пользователя/);
  });

  it('access codes: created ones revoked, marks taken back, the totals are not conflicts', async () => {
    const admin = t.adminSession;
    const admit = async (lastName: string, body: string, classId: number) => {
      const id = (await t.call('movement.admit', { order: { date: '2025-09-01', number: `${lastName}-у` }, classId, pupil: pupilData(lastName, body) }, admin)).pupilId;
      await t.app.db.insertInto('consent').values({ subject_kind: 'pupil', pupil_id: id, purpose: 'pupil_data', status: 'given', decided_on: '2025-09-01' }).execute();
      return id;
    };
    await admit('Антонов', '100000001', s.classes['5А']);
    await admit('Борисов', '100000002', s.classes['5А']);
    await admit('Васильев', '100000003', s.classes['5Б']);
    await t.call('codes.generate', { classId: s.classes['5А'] }, admin);
    const [first, second] = (await t.call('codes.list', { classId: s.classes['5А'] }, admin)).rows;
    const other = await t.call('users.create', { login: 'sidorov', password: 'sidorov-secret', fullName: 'Сидоров Пётр', role: 'admin' }, admin);
    const session = (await t.call('auth.login', { login: 'sidorov', password: 'sidorov-secret' })).sessionId;

    at('2025-10-15T11:10:00Z');
    await t.call('codes.mark', { codeId: first!.id, status: 'issued' }, session);
    const fresh = await t.call('codes.reissue', { codeId: second!.id }, session);
    const generated = await t.call('codes.generate', { classId: s.classes['5Б'] }, session);
    expect(generated.created).toBe(1);
    at('2025-10-15T11:20:00Z');

    await t.call('users.disclose', { id: other.id, since: SINCE }, admin);
    const listing = await t.call('users.disclosedChanges', { id: other.id }, admin);
    // mark, reissue, one generated code and the generate total; never the code itself.
    expect(listing.changes.map((c) => c.method)).toEqual(['codes.generate', 'codes.generate', 'codes.reissue', 'codes.mark']);
    expect(listing.changes[0]).toMatchObject({ entity: 'school_class', revertible: false, conflict: expect.stringMatching(/итоговая запись/) });
    const secrets = (await t.app.db.selectFrom('access_code').select('code_secret').execute()).map((r) => r.code_secret);
    for (const secret of secrets) expect(JSON.stringify(listing)).not.toContain(secret);

    const result = await t.call('users.revertSince', { id: other.id, dryRun: false }, admin);
    expect(result.reverted).toHaveLength(3);
    // The total is not a conflict: there is nothing of its own to revert.
    expect(result.conflicts).toEqual([]);
    const codes = await t.app.db.selectFrom('access_code').selectAll().orderBy('id').execute();
    expect(codes.find((c) => c.id === first!.id)).toMatchObject({ status: 'new', issued_at: null });
    expect(codes.find((c) => c.id === fresh.id)).toMatchObject({ status: 'revoked', revoke_reason: 'создан раскрытой учётной записью' });
    // The replaced code stays revoked: whoever reissued it may know it.
    expect(codes.find((c) => c.id === second!.id)).toMatchObject({ status: 'revoked', revoke_reason: 'заменён новым кодом' });
    expect(codes.filter((c) => c.pupil_id === codes.at(-1)!.pupil_id).map((c) => c.status)).toEqual(['revoked']);
    expect((await t.call('audit.verify', {}, admin)).ok).toBe(true);
  });

  it('reverts an administrator account: created users locked, settings and school back, password reset listed as not revertible', async () => {
    const admin = t.adminSession;
    const second = await t.call('users.create', { login: 'sidorov', password: 'sidorov-secret', fullName: 'Сидоров Пётр', role: 'admin' }, admin);
    const victim = await t.call('users.create', { login: 'kuznetsova', password: 'kuzn-secret', fullName: 'Кузнецова Анна', role: 'archivist' }, admin);
    const colleague = await t.call('users.create', { login: 'orlova', password: 'orlova-secret', fullName: 'Орлова Нина', role: 'secretary' }, admin);
    const session = (await t.call('auth.login', { login: 'sidorov', password: 'sidorov-secret' })).sessionId;
    const settingsBefore = await t.call('settings.get', {}, admin);
    const schoolBefore = (await t.call('school.overview', {}, admin)).school;

    at('2025-10-15T11:10:00Z');
    const intruder = await t.call('users.create', { login: 'intruder', password: 'intruder-secret', fullName: 'Чужой Иван', role: 'admin' }, session);
    await t.call('users.update', { id: victim.id, role: 'secretary' }, session);
    await t.call('users.resetPassword', { id: victim.id, password: 'stolen-secret' }, session);
    await t.call('settings.update', { orderSuffix: '/x' }, session);
    await t.call('school.update', { phone: '+7 999 000-00-00' }, session);
    await t.call('users.lock', { id: colleague.id }, session);
    at('2025-10-15T11:20:00Z');

    const disclosed = await t.call('users.disclose', { id: second.id, since: SINCE }, admin);
    expect(disclosed.user.locked).toBe(true);
    const result = await t.call('users.revertSince', { id: second.id, dryRun: false }, admin);
    const listing = await t.call('users.disclosedChanges', { id: second.id }, admin);
    const byMethod = (m: string) => listing.changes.filter((c) => c.method === m);
    expect(byMethod('users.resetPassword')[0]).toMatchObject({ revertible: false, reverted: false, conflict: expect.stringMatching(/прежний пароль не хранится/) });
    expect(result.conflicts.map((c) => c.auditId)).toContain(byMethod('users.resetPassword')[0]!.auditId);
    const users = (await t.call('users.list', {}, admin)).users;
    expect(users.find((u) => u.id === intruder.id)).toMatchObject({ locked: true });
    expect(users.find((u) => u.id === victim.id)).toMatchObject({ role: 'archivist', locked: false });
    expect(users.find((u) => u.id === colleague.id)).toMatchObject({ locked: false });
    await t.call('auth.login', { login: 'orlova', password: 'orlova-secret' });
    expect(await t.call('settings.get', {}, admin)).toEqual(settingsBefore);
    expect(t.app.settings).toEqual(settingsBefore);
    expect((await t.call('school.overview', {}, admin)).school).toEqual(schoolBefore);
    expect((await t.call('audit.verify', {}, admin)).ok).toBe(true);
  });
});
