import { ACTIVE_STATUSES, activeCodeOf, codeView } from '../codes/codes';
import { describeObject, numberOf } from './describe';
import { Refusal, type DisclosedEntry, type RevertContext, type Strategy } from './types';

/**
 * Access codes. Codes the disclosed account created are revoked (never deleted: the regional
 * system may already know them); marks it made are taken back while the code is still as it left
 * it. A code replaced meanwhile stays revoked: it may be known to the same people, so the holder
 * gets a new one by reissue.
 */
export const CODE_REVERT_REASON = 'создан раскрытой учётной записью';

const STATUS_TEXT: Record<string, string> = { new: 'не выдан', issued: 'выдан', revoked: 'отозван', disclosed: 'разглашён' };
const MARK_TEXT: Record<string, string> = { issued: 'выдан', lost: 'утерян', disclosed: 'разглашён' };

async function codeRow(r: RevertContext, e: DisclosedEntry) {
  const id = numberOf(e.entityId);
  const row = id === null ? undefined : await r.db.selectFrom('access_code').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Refusal(`код доступа № ${e.entityId} не найден`);
  return row;
}

async function holderText(r: { db: RevertContext['db'] }, view: Record<string, unknown> | null): Promise<string> {
  const pupilId = numberOf(view?.pupilId);
  const guardianId = numberOf(view?.guardianId);
  if (guardianId !== null) return `представителю ${await describeObject(r.db, 'guardian', String(guardianId))}`;
  return pupilId === null ? 'владелец не указан' : `обучающемуся ${await describeObject(r.db, 'pupil', String(pupilId))}`;
}

async function revokeCreated(r: RevertContext, e: DisclosedEntry) {
  const row = await codeRow(r, e);
  if (!(ACTIVE_STATUSES as readonly string[]).includes(row.status)) throw new Refusal(`код № ${row.id} уже ${STATUS_TEXT[row.status] ?? row.status}: отзывать нечего`);
  await r.db.updateTable('access_code').set({ status: 'revoked', revoked_at: r.now.toISOString(), revoke_reason: CODE_REVERT_REASON }).where('id', '=', row.id).execute();
  const after = await r.db.selectFrom('access_code').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  const replaced = numberOf(e.details?.replacedCodeId);
  return { before: codeView(row), after: codeView(after), details: replaced === null ? {} : { replacedCodeId: replaced, replacedCodeStaysRevoked: true } };
}

/** An entry about a single code that a generate, import or reissue call created. */
const createdCode = (e: DisclosedEntry) => e.entity === 'access_code' && e.before === null;

function totalOnly(kind: string) {
  return (e: DisclosedEntry) => (e.entity === 'access_code' ? null : `итоговая запись ${kind}: отменяются отдельные записи о каждом коде`);
}

export const codesGenerate: Strategy = {
  async summary(db, e) {
    if (!createdCode(e)) return `Итог создания кодов (${await describeObject(db, e.entity, e.entityId)}): создано ${String(e.details?.created ?? '?')}`;
    return `Создан ${await describeObject(db, 'access_code', e.entityId)} ${await holderText({ db }, e.after)}`;
  },
  nothingToRevert: totalOnly('создания кодов'),
  revert: revokeCreated,
};

export const codesImport: Strategy = {
  async summary(db, e) {
    if (e.entity !== 'access_code') return `Итог загрузки кодов из файла`;
    if (createdCode(e)) return `Загружен ${await describeObject(db, 'access_code', e.entityId)} ${await holderText({ db }, e.after)}`;
    return `${await describeObject(db, 'access_code', e.entityId)}: изменён срок действия`;
  },
  nothingToRevert: totalOnly('загрузки'),
  async revert(r, e) {
    if (createdCode(e)) return revokeCreated(r, e);
    // An existing code whose validity the file changed: the old date goes back.
    const row = await codeRow(r, e);
    const wrote = e.after?.validUntil ?? null;
    if (row.valid_until !== wrote) throw new Refusal('срок действия кода изменён позднее');
    const previous = typeof e.before?.validUntil === 'string' ? e.before.validUntil : null;
    await r.db.updateTable('access_code').set({ valid_until: previous }).where('id', '=', row.id).execute();
    return { before: codeView(row), after: codeView({ ...row, valid_until: previous }) };
  },
};

export const codesReissue: Strategy = {
  async summary(db, e) {
    return `Перевыпущен код: новый ${await describeObject(db, 'access_code', e.entityId)} ${await holderText({ db }, e.after)} вместо № ${String(e.details?.replacedCodeId ?? '?')} (при отмене прежний код остаётся отозванным)`;
  },
  revert: revokeCreated,
};

export const codesMark: Strategy = {
  async summary(db, e) {
    const mark = typeof e.details?.mark === 'string' ? (MARK_TEXT[e.details.mark] ?? e.details.mark) : '?';
    return `${await describeObject(db, 'access_code', e.entityId)} отмечен: ${mark}`;
  },
  async revert(r, e) {
    const row = await codeRow(r, e);
    const before = e.before ?? {};
    const after = e.after ?? {};
    const previous = before.status;
    if (previous !== 'new' && previous !== 'issued') throw new Refusal('в записи журнала нет прежнего состояния кода');
    if (row.status !== after.status || (row.revoke_reason ?? null) !== (after.revokeReason ?? null)) throw new Refusal('состояние кода изменено позднее');
    if (row.status !== previous) {
      // Taking back a revocation makes the code active again: only if the holder got no new one.
      const active = await activeCodeOf(r.db, { kind: row.holder_kind, pupilId: row.pupil_id, guardianId: row.guardian_id });
      if (active && active.id !== row.id && !(ACTIVE_STATUSES as readonly string[]).includes(row.status)) {
        throw new Refusal(`у владельца уже есть действующий код № ${active.id}`);
      }
    }
    await r.db
      .updateTable('access_code')
      .set({
        status: previous,
        issued_at: previous === 'new' ? null : row.issued_at,
        revoked_at: null,
        disclosed_at: null,
        revoke_reason: typeof before.revokeReason === 'string' ? before.revokeReason : null,
      })
      .where('id', '=', row.id)
      .execute();
    const restored = await r.db.selectFrom('access_code').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    return { before: codeView(row), after: codeView(restored) };
  },
};
