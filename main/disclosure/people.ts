import type { Db } from '../../db/connection';
import { guardianView, personalView } from '../contingent/pupils';
import { changedKeys, changedText, columnOf, describeObject, ensureStillAfter, numberOf } from './describe';
import { Refusal, type DisclosedEntry, type RevertContext, type Strategy } from './types';

/** Pupils' and guardians' cards: personal data edits and the guardian links. */

function idOf(entry: DisclosedEntry): number {
  const id = numberOf(entry.entityId);
  if (id === null) throw new Refusal('в записи журнала нет номера изменённой записи');
  return id;
}

function restoredColumns(entry: DisclosedEntry, keys: readonly string[], at: string): Record<string, unknown> {
  const before = entry.before ?? {};
  const columns: Record<string, unknown> = { updated_at: at };
  for (const key of keys) columns[columnOf(key)] = before[key] ?? null;
  return columns;
}

export const pupilUpdate: Strategy = {
  async summary(db, e) {
    return `${await describeObject(db, 'pupil', e.entityId)}: ${changedText(e)}`;
  },
  async revert(r, e) {
    const id = idOf(e);
    const row = await r.db.selectFrom('pupil').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new Refusal(`обучающийся № ${id} больше не числится в реестре`);
    if (row.data_destroyed_at) throw new Refusal('персональные данные обучающегося уже уничтожены по акту');
    const keys = changedKeys(e);
    const current = personalView(row);
    ensureStillAfter(current, e, keys);
    await r.db.updateTable('pupil').set(restoredColumns(e, keys, r.now.toISOString()) as never).where('id', '=', id).execute();
    const restored = await r.db.selectFrom('pupil').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { before: current, after: personalView(restored) };
  },
};

export const guardianUpdate: Strategy = {
  async summary(db, e) {
    return `${await describeObject(db, 'guardian', e.entityId)}: ${changedText(e)}`;
  },
  async revert(r, e) {
    const id = idOf(e);
    const row = await r.db.selectFrom('guardian').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new Refusal(`законный представитель № ${id} больше не числится в реестре`);
    if (row.data_destroyed_at) throw new Refusal('персональные данные представителя уже уничтожены по акту');
    const keys = changedKeys(e).filter((k) => k !== 'id');
    const current = guardianView(row) as Record<string, unknown>;
    ensureStillAfter(current, e, keys);
    await r.db.updateTable('guardian').set(restoredColumns(e, keys, r.now.toISOString()) as never).where('id', '=', id).execute();
    const restored = await r.db.selectFrom('guardian').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { before: current, after: guardianView(restored) };
  },
};

interface LinkView {
  guardianId: number;
  kinship: string;
  authorityDoc: string | null;
}

function linkOf(view: Record<string, unknown> | null): LinkView {
  const guardianId = numberOf(view?.guardianId);
  if (guardianId === null || typeof view?.kinship !== 'string') throw new Refusal('в записи журнала нет данных о связи с представителем');
  return { guardianId, kinship: view.kinship, authorityDoc: typeof view.authorityDoc === 'string' ? view.authorityDoc : null };
}

async function linkText(db: Db, e: DisclosedEntry, view: Record<string, unknown> | null): Promise<string> {
  const guardianId = numberOf(view?.guardianId);
  const guardian = await describeObject(db, 'guardian', guardianId === null ? null : String(guardianId));
  return `${await describeObject(db, 'pupil', e.entityId)}: ${guardian}, ${typeof view?.kinship === 'string' ? view.kinship : 'степень родства не указана'}`;
}

/** The guardian a link call created anew: its own entry (entity guardian) precedes the link's. */
const isNewGuardian = (e: DisclosedEntry) => e.entity === 'guardian';

export const guardianLink: Strategy = {
  async summary(db, e) {
    if (isNewGuardian(e)) return `Внесён новый представитель: ${await describeObject(db, 'guardian', e.entityId)}`;
    return `Добавлен в карточку: ${await linkText(db, e, e.after)}`;
  },
  async revert(r, e) {
    if (isNewGuardian(e)) return removeNewGuardian(r, e);
    const pupilId = idOf(e);
    const link = linkOf(e.after);
    const row = await r.db.selectFrom('pupil_guardian').selectAll().where('pupil_id', '=', pupilId).where('guardian_id', '=', link.guardianId).executeTakeFirst();
    if (!row) throw new Refusal('представитель уже исключён из карточки обучающегося');
    if (row.kinship !== link.kinship || row.authority_doc !== link.authorityDoc) throw new Refusal('степень родства или документ о полномочиях изменены позднее');
    await r.db.deleteFrom('pupil_guardian').where('pupil_id', '=', pupilId).where('guardian_id', '=', link.guardianId).execute();
    return { before: link };
  },
};

/** A guardian entered by the disclosed account goes away, unless anything else refers to them now. */
async function removeNewGuardian(r: RevertContext, e: DisclosedEntry) {
  const id = idOf(e);
  const row = await r.db.selectFrom('guardian').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Refusal(`законный представитель № ${id} уже удалён`);
  const linked = await r.db.selectFrom('pupil_guardian').select('pupil_id').where('guardian_id', '=', id).executeTakeFirst();
  if (linked) throw new Refusal(`представитель указан в карточке обучающегося № ${linked.pupil_id}`);
  const code = await r.db.selectFrom('access_code').select('id').where('guardian_id', '=', id).executeTakeFirst();
  if (code) throw new Refusal(`у представителя есть код доступа № ${code.id}`);
  const consent = await r.db.selectFrom('consent').select('id').where((w) => w.or([w('guardian_id', '=', id), w('signed_by_guardian_id', '=', id)])).executeTakeFirst();
  if (consent) throw new Refusal(`по представителю записано согласие № ${consent.id}`);
  // Any other reference is caught by the foreign keys and reported as a refusal.
  await r.db.deleteFrom('guardian').where('id', '=', id).execute();
  return { before: guardianView(row), details: { guardianDeleted: true } };
}

export const guardianUnlink: Strategy = {
  async summary(db, e) {
    return `Исключён из карточки: ${await linkText(db, e, e.before)}`;
  },
  async revert(r, e) {
    const pupilId = idOf(e);
    const link = linkOf(e.before);
    const pupil = await r.db.selectFrom('pupil').select('id').where('id', '=', pupilId).executeTakeFirst();
    if (!pupil) throw new Refusal(`обучающийся № ${pupilId} больше не числится в реестре`);
    const guardian = await r.db.selectFrom('guardian').select(['id', 'data_destroyed_at']).where('id', '=', link.guardianId).executeTakeFirst();
    if (!guardian) throw new Refusal(`законный представитель № ${link.guardianId} больше не числится в реестре`);
    if (guardian.data_destroyed_at) throw new Refusal('персональные данные представителя уже уничтожены по акту');
    const row = await r.db.selectFrom('pupil_guardian').select('kinship').where('pupil_id', '=', pupilId).where('guardian_id', '=', link.guardianId).executeTakeFirst();
    if (row) throw new Refusal('представитель уже снова указан в карточке обучающегося');
    await r.db.insertInto('pupil_guardian').values({ pupil_id: pupilId, guardian_id: link.guardianId, kinship: link.kinship as never, authority_doc: link.authorityDoc }).execute();
    return { after: link };
  },
};
