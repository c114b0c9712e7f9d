import { randomInt } from 'node:crypto';
import { ApiError } from '../../common/api/errors';
import { classLabel } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import { latestConsentStatus } from '../consents/eligibility';

/**
 * Access codes to the regional e-journal (реквизиты доступа). A code is a secret: it is read
 * from the database only to be printed on a slip, and never goes into a result, a report or
 * the audit log.
 */

/** Without look-alikes: no 0/O, 1/I/L, 5/S, 2/Z, 8/B. */
export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const CODE_LENGTH = 10;

export function generateCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export const ACTIVE_STATUSES = ['new', 'issued'] as const;

export type HolderKind = 'pupil' | 'guardian';

/** One holder: a pupil, or a guardian of that pupil (the regional lists name the child). */
export interface Holder {
  kind: HolderKind;
  pupilId: number;
  guardianId: number | null;
}

export function holderKey(h: Holder): string {
  return h.kind === 'pupil' ? `p:${h.pupilId}` : `g:${h.guardianId}:${h.pupilId}`;
}

export async function activeCodeOf(db: Db, h: Holder) {
  let q = db
    .selectFrom('access_code')
    .selectAll()
    .where('holder_kind', '=', h.kind)
    .where('pupil_id', '=', h.pupilId)
    .where('status', 'in', ACTIVE_STATUSES);
  q = h.guardianId === null ? q.where('guardian_id', 'is', null) : q.where('guardian_id', '=', h.guardianId);
  return q.orderBy('id', 'desc').executeTakeFirst();
}

/** Whether the guardian's latest decision on electronic results is a refusal or a withdrawal. */
export async function refusedElectronic(db: Db, guardianId: number): Promise<boolean> {
  const latest = await latestConsentStatus(db, { guardianId }, 'electronic_results');
  return latest === 'refused' || latest === 'withdrawn';
}

/** The class a pupil is in on a day, as «5А», or null when not enrolled. */
export async function classOfPupilOn(db: Db, pupilId: number, day: string): Promise<{ id: number; label: string } | null> {
  const row = await db
    .selectFrom('class_membership as m')
    .innerJoin('school_class as c', 'c.id', 'm.class_id')
    .select(['c.id', 'c.parallel', 'c.letter'])
    .where('m.pupil_id', '=', pupilId)
    .where('m.from_date', '<=', day)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', day)]))
    .orderBy('m.from_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, label: classLabel(row.parallel, row.letter) } : null;
}

/** Pupils of a class on a day. */
export async function pupilsOfClassOn(db: Db, classId: number, day: string) {
  return db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name', 'p.birth_date'])
    .where('m.class_id', '=', classId)
    .where('m.from_date', '<=', day)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', day)]))
    .execute();
}

/** Stores a new code for a holder; an active code of the same holder is revoked first. */
export async function storeCode(
  trx: Db,
  h: Holder,
  secret: string,
  validUntil: string | null,
  at: string,
  replaceReason = 'заменён новым кодом',
): Promise<{ id: number; replacedId: number | null }> {
  const old = await activeCodeOf(trx, h);
  if (old) {
    await trx.updateTable('access_code').set({ status: 'revoked', revoked_at: at, revoke_reason: replaceReason }).where('id', '=', old.id).execute();
  }
  const inserted = await trx
    .insertInto('access_code')
    .values({
      holder_kind: h.kind,
      pupil_id: h.pupilId,
      guardian_id: h.guardianId,
      code_secret: secret,
      valid_until: validUntil,
      status: 'new',
      imported_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, replacedId: old?.id ?? null };
}

/** A code that is not in use anywhere (generated codes are checked against every stored one). */
export async function freshCode(db: Db): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const code = generateCode();
    const taken = await db.selectFrom('access_code').select('id').where('code_secret', '=', code).executeTakeFirst();
    if (!taken) return code;
  }
  throw new ApiError('internal', 'Не удалось подобрать неповторяющийся код доступа.');
}

/** What the audit log may say about a code: everything except the code. */
export function codeView(row: { id: number; holder_kind: string; pupil_id: number; guardian_id: number | null; status: string; valid_until: string | null; revoke_reason: string | null }) {
  return {
    id: row.id,
    holderKind: row.holder_kind,
    pupilId: row.pupil_id,
    guardianId: row.guardian_id,
    status: row.status,
    validUntil: row.valid_until,
    revokeReason: row.revoke_reason,
  };
}
