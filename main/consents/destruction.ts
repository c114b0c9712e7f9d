import { sql } from 'kysely';
import { ApiError } from '../../common/api/errors';
import { CONSENT_PURPOSE_LABELS, type ConsentPurpose } from '../../common/api/consents';
import { DEFAULT_DESTRUCTION_METHOD, type ActRow, type DueRow } from '../../common/api/destruction-contract';
import type { Db } from '../../db/connection';
import { eraseFromAudit, type ErasureClaim, type ErasureScope } from '../audit/erase';
import { ruDate } from '../contingent/dates';
import { actTitle, daysBetween, erasureMarker, keepUntil, nextActNumber } from './destruction-act';
import { buildLogExport, namesGuardian, subjectRecordIds, type LogExport, type Subject } from './destruction-export';
import { AUTHORITY_DOC, categoriesText, GUARDIAN_DESTROYED, PUPIL_DESTROYED } from './destruction-fields';

/**
 * Destruction of personal data after a withdrawn consent (ст. 21 ч. 5 152-ФЗ): the list of what
 * is due and the act itself. The act, the clearing of the fields, the deletion of scans, the
 * revocation of access codes and the erasure from the event log happen in one transaction.
 */

const INFORMATION_SYSTEM = 'программа «Канцелярия» (база данных школы)';

const fio = (p: { last_name: string; first_name: string; middle_name: string | null }) => [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' ');

export async function dueList(db: Db, today: string): Promise<{ today: string; rows: DueRow[] }> {
  const rows = await db
    .selectFrom('consent as c')
    .leftJoin('pupil as p', 'p.id', 'c.pupil_id')
    .leftJoin('guardian as g', 'g.id', 'c.guardian_id')
    .select(['c.id', 'c.purpose', 'c.subject_kind', 'c.pupil_id', 'c.guardian_id', 'c.decided_on', 'c.destroy_due'])
    .select(['p.last_name as p_last', 'p.first_name as p_first', 'p.middle_name as p_middle', 'g.last_name as g_last', 'g.first_name as g_first', 'g.middle_name as g_middle'])
    .where('c.status', '=', 'withdrawn')
    .where('c.destroy_due', 'is not', null)
    .where('c.destruction_act_id', 'is', null)
    .orderBy('c.destroy_due')
    .orderBy('c.id')
    .execute();
  const out: DueRow[] = [];
  for (const r of rows) {
    if (await givenAgainAfter(db, r)) continue;
    const due = r.destroy_due!;
    const daysLeft = daysBetween(today, due);
    const subject =
      r.subject_kind === 'guardian'
        ? fio({ last_name: r.g_last ?? '', first_name: r.g_first ?? '', middle_name: r.g_middle })
        : fio({ last_name: r.p_last ?? '', first_name: r.p_first ?? '', middle_name: r.p_middle });
    out.push({
      consentId: r.id,
      purpose: r.purpose,
      subjectKind: r.subject_kind,
      pupilId: r.pupil_id,
      guardianId: r.guardian_id,
      subject,
      withdrawnOn: r.decided_on,
      destroyDue: due,
      daysLeft,
      overdue: daysLeft < 0,
    });
  }
  return { today, rows: out };
}

interface WithdrawalRow {
  id: number;
  purpose: ConsentPurpose;
  subject_kind: 'pupil' | 'guardian';
  pupil_id: number | null;
  guardian_id: number | null;
  decided_on: string;
}

/** A later «given» decision on the same consent ends the withdrawal: nothing is to be destroyed. */
async function givenAgainAfter(db: Db, w: WithdrawalRow): Promise<{ decided_on: string } | undefined> {
  let q = db
    .selectFrom('consent')
    .select('decided_on')
    .where('purpose', '=', w.purpose)
    .where('subject_kind', '=', w.subject_kind)
    .where('status', '=', 'given')
    .where((eb) => eb.or([eb('decided_on', '>', w.decided_on), eb.and([eb('decided_on', '=', w.decided_on), eb('id', '>', w.id)])]));
  q = w.subject_kind === 'guardian' ? q.where('guardian_id', '=', w.guardian_id) : q.where('pupil_id', '=', w.pupil_id);
  return q.orderBy('decided_on').limit(1).executeTakeFirst();
}

export interface DestroyInput {
  consentId: number;
  actDate: string;
  method?: string;
  commission?: string[];
}

export interface DestroyOutcome {
  actId: number;
  number: string;
  title: string;
  subject: Subject;
  consentIds: number[];
  destroyed: string[];
  auditEntriesErased: number;
  /** What was cut from the event log, for the act's own log entry (binds the erased texts into the chain). */
  erasures: ErasureClaim[];
  revokedCodes: number;
  scansDeleted: number;
}

async function withdrawalToDestroy(trx: Db, input: DestroyInput, today: string) {
  const c = await trx.selectFrom('consent').selectAll().where('id', '=', input.consentId).executeTakeFirst();
  if (!c) throw new ApiError('not_found', `Согласие № ${input.consentId} не найдено.`, { consentId: 'нет такого согласия' });
  if (c.status !== 'withdrawn' || c.destroy_due === null) {
    throw new ApiError('refused', `Запись № ${c.id} — не отзыв согласия, после которого данные подлежат уничтожению. Ничего не изменено.`, {
      consentId: 'не отзыв согласия с уничтожением данных',
    });
  }
  if (c.destruction_act_id !== null) {
    const act = await trx.selectFrom('destruction_act').select(['number', 'act_date']).where('id', '=', c.destruction_act_id).executeTakeFirst();
    throw new ApiError('conflict', `Данные по этому отзыву уже уничтожены${act ? ` (акт ${actTitle(act.number, act.act_date)})` : ''}. Ничего не изменено.`, {
      consentId: 'данные уже уничтожены',
    });
  }
  if (input.actDate < c.decided_on) {
    throw new ApiError('invalid_params', `Дата акта ${ruDate(input.actDate)} раньше отзыва согласия (${ruDate(c.decided_on)}). Ничего не изменено.`, {
      actDate: 'раньше отзыва согласия',
    });
  }
  if (input.actDate > today) {
    throw new ApiError('invalid_params', `Дата акта ${ruDate(input.actDate)} ещё не наступила: акт составляют в день уничтожения. Ничего не изменено.`, {
      actDate: 'дата в будущем',
    });
  }
  const again = await givenAgainAfter(trx, c);
  if (again) {
    throw new ApiError('refused', `После отзыва согласие дано снова (${ruDate(again.decided_on)}): данные не уничтожаются. Ничего не изменено.`, {
      consentId: 'согласие дано снова',
    });
  }
  const subjectId = c.subject_kind === 'guardian' ? c.guardian_id : c.pupil_id;
  if (subjectId === null) throw new ApiError('refused', `В согласии № ${c.id} не указано, чьи это данные. Ничего не изменено.`);
  return { consent: c, subjectId };
}

async function subjectOf(trx: Db, kind: 'pupil' | 'guardian', id: number): Promise<Subject> {
  if (kind === 'pupil') {
    const p = await trx.selectFrom('pupil').select(['last_name', 'first_name', 'middle_name', 'birth_date']).where('id', '=', id).executeTakeFirstOrThrow();
    return { kind, id, label: `${fio(p)}, ${ruDate(p.birth_date)} г. р.` };
  }
  const g = await trx.selectFrom('guardian').select(['last_name', 'first_name', 'middle_name']).where('id', '=', id).executeTakeFirstOrThrow();
  return { kind, id, label: fio(g) };
}

/** Clears the personal fields that hold a value; returns their Russian names. */
async function clearFields(trx: Db, subject: Subject, at: string): Promise<string[]> {
  // What the last import wrote for this person is a copy of the same values.
  await trx.deleteFrom('import_baseline').where('entity', '=', subject.kind).where('entity_id', '=', subject.id).execute();
  if (subject.kind === 'pupil') {
    const row = await trx.selectFrom('pupil').selectAll().where('id', '=', subject.id).executeTakeFirstOrThrow();
    const held = PUPIL_DESTROYED.filter((f) => row[f.column] !== null);
    await trx
      .updateTable('pupil')
      .set({ ...Object.fromEntries(PUPIL_DESTROYED.map((f) => [f.column, null])), data_destroyed_at: at, updated_at: at })
      .where('id', '=', subject.id)
      .execute();
    return held.map((f) => f.label);
  }
  const row = await trx.selectFrom('guardian').selectAll().where('id', '=', subject.id).executeTakeFirstOrThrow();
  const held = GUARDIAN_DESTROYED.filter((f) => row[f.column] !== null).map((f) => f.label);
  await trx
    .updateTable('guardian')
    .set({ ...Object.fromEntries(GUARDIAN_DESTROYED.map((f) => [f.column, null])), data_destroyed_at: at, updated_at: at })
    .where('id', '=', subject.id)
    .execute();
  const docs = await trx.updateTable('pupil_guardian').set({ authority_doc: null }).where('guardian_id', '=', subject.id).where('authority_doc', 'is not', null).executeTakeFirst();
  if (Number(docs.numUpdatedRows) > 0) held.push(AUTHORITY_DOC.label);
  return held;
}

async function deleteScans(trx: Db, subject: Subject): Promise<number> {
  let q = trx.updateTable('consent').set({ scan: null, scan_mime: null, scan_name: null }).where('subject_kind', '=', subject.kind).where('scan', 'is not', null);
  q = subject.kind === 'pupil' ? q.where('pupil_id', '=', subject.id) : q.where('guardian_id', '=', subject.id);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

async function revokeCodes(trx: Db, subject: Subject, at: string, title: string): Promise<number> {
  let q = trx
    .updateTable('access_code')
    .set({ status: 'revoked', revoked_at: at, revoke_reason: `уничтожение персональных данных (акт ${title})` })
    .where('holder_kind', '=', subject.kind)
    .where('status', 'in', ['new', 'issued']);
  q = subject.kind === 'pupil' ? q.where('pupil_id', '=', subject.id) : q.where('guardian_id', '=', subject.id);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Where the destroyed values may stand in the event log. */
async function erasureScopes(trx: Db, subject: Subject): Promise<ErasureScope[]> {
  const ids = await subjectRecordIds(trx, subject);
  const keys = subject.kind === 'pupil' ? PUPIL_DESTROYED.map((f) => f.key) : [...GUARDIAN_DESTROYED.map((f) => f.key), AUTHORITY_DOC.key];
  const scopes: ErasureScope[] = [
    { entity: subject.kind, entityIds: [subject.id], keys },
    { entity: 'consent', entityIds: ids.consents, keys },
  ];
  if (subject.kind === 'guardian') {
    // The document of authority is recorded on the pupil's card when the guardian is linked.
    scopes.push({ entity: 'pupil', keys: [AUTHORITY_DOC.key], textContains: `"guardianId":${subject.id}`, when: namesGuardian(subject.id) });
  }
  return scopes;
}

async function distributionCategories(trx: Db, c: WithdrawalRow): Promise<string[]> {
  const given = await trx
    .selectFrom('consent')
    .select('categories_json')
    .where('purpose', '=', 'distribution')
    .where('pupil_id', '=', c.pupil_id)
    .where('status', '=', 'given')
    .where('decided_on', '<=', c.decided_on)
    .where('categories_json', 'is not', null)
    .orderBy('decided_on', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  try {
    const list = JSON.parse(given?.categories_json ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export async function destroy(trx: Db, input: DestroyInput, now: Date, userId: number | null): Promise<DestroyOutcome> {
  // Space freed on the database pages is zeroed, so the destroyed values do not linger in the file.
  const secure = await sql<{ secure_delete: number }>`pragma secure_delete`.execute(trx);
  await sql`pragma secure_delete = on`.execute(trx);
  try {
    return await destroyWithin(trx, input, now, userId);
  } finally {
    await sql.raw(`pragma secure_delete = ${secure.rows[0]?.secure_delete ? 'on' : 'off'}`).execute(trx);
  }
}

async function destroyWithin(trx: Db, input: DestroyInput, now: Date, userId: number | null): Promise<DestroyOutcome> {
  const at = now.toISOString();
  const { consent, subjectId } = await withdrawalToDestroy(trx, input, at.slice(0, 10));
  const subject = await subjectOf(trx, consent.subject_kind, subjectId);
  const number = await nextActNumber(trx, input.actDate);
  const title = actTitle(number, input.actDate);
  const distribution = consent.purpose === 'distribution';
  const published = distribution ? await distributionCategories(trx, consent) : [];
  const exported = await buildLogExport(trx, subject, at);

  const act = await trx
    .insertInto('destruction_act')
    .values({
      number,
      act_date: input.actDate,
      subject_kind: subject.kind,
      pupil_id: consent.pupil_id,
      guardian_id: subject.kind === 'guardian' ? subject.id : null,
      subject_label: subject.label,
      categories: distribution
        ? `материалы, опубликованные с согласия на распространение${published.length ? `: ${published.join('; ')}` : ''}`
        : categoriesText(subject.kind),
      reason: `отзыв согласия (${CONSENT_PURPOSE_LABELS[consent.purpose]}) от ${ruDate(consent.decided_on)}`,
      method: distribution ? `удаление опубликованных материалов из мест распространения (сайт, стенды, издания школы)` : (input.method ?? DEFAULT_DESTRUCTION_METHOD),
      information_system: INFORMATION_SYSTEM,
      commission_json: input.commission?.length ? JSON.stringify(input.commission) : null,
      log_export_json: exported.json,
      log_export_sha256: exported.sha256,
      keep_until: keepUntil(input.actDate),
      created_at: at,
      created_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // Every pending withdrawal of the same consent of the same person is closed by this act.
  let pending = trx
    .updateTable('consent')
    .set({ destruction_act_id: act.id })
    .where('status', '=', 'withdrawn')
    .where('destruction_act_id', 'is', null)
    .where('destroy_due', 'is not', null)
    .where('purpose', '=', consent.purpose)
    .where('subject_kind', '=', subject.kind);
  pending = subject.kind === 'pupil' ? pending.where('pupil_id', '=', subject.id) : pending.where('guardian_id', '=', subject.id);
  await pending.execute();
  const linked = await trx.selectFrom('consent').select('id').where('destruction_act_id', '=', act.id).orderBy('id').execute();

  if (distribution) {
    // Nothing in the register changes: the act records that the published materials are removed.
    return { actId: act.id, number, title, subject, consentIds: linked.map((r) => r.id), destroyed: published, auditEntriesErased: 0, erasures: [], revokedCodes: 0, scansDeleted: 0 };
  }
  const destroyed = await clearFields(trx, subject, at);
  const scansDeleted = await deleteScans(trx, subject);
  const revokedCodes = await revokeCodes(trx, subject, at, title);
  const erased = await eraseFromAudit(trx, await erasureScopes(trx, subject), { id: act.id, marker: erasureMarker(number, input.actDate) });
  if (scansDeleted > 0) destroyed.push('сканы согласий');
  return {
    actId: act.id,
    number,
    title,
    subject,
    consentIds: linked.map((r) => r.id),
    destroyed,
    auditEntriesErased: erased.entries,
    erasures: erased.claims,
    revokedCodes,
    scansDeleted,
  };
}

export async function listActs(db: Db): Promise<ActRow[]> {
  const rows = await db.selectFrom('destruction_act').selectAll().orderBy('act_date', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => {
    let logEntries = 0;
    try {
      logEntries = (JSON.parse(r.log_export_json) as LogExport).entries.length;
    } catch {
      logEntries = 0;
    }
    return {
      id: r.id,
      number: r.number,
      actDate: r.act_date,
      subjectKind: r.subject_kind,
      subject: r.subject_label,
      categories: r.categories,
      reason: r.reason,
      method: r.method,
      keepUntil: r.keep_until,
      logEntries,
      logSha256: r.log_export_sha256,
    };
  });
}

export async function actLog(db: Db, actId: number): Promise<{ fileName: string; contentBase64: string }> {
  const act = await db.selectFrom('destruction_act').select(['number', 'log_export_json']).where('id', '=', actId).executeTakeFirst();
  if (!act) throw new ApiError('not_found', `Акт об уничтожении № ${actId} не найден.`, { actId: 'нет такого акта' });
  return { fileName: `журнал-к-акту-${act.number}.json`, contentBase64: Buffer.from(act.log_export_json, 'utf8').toString('base64') };
}
