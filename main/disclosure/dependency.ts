import { sql } from 'kysely';
import type { Db } from '../../db/connection';
import { laterChangesQuery } from './entries';
import { ruMoment } from './format';
import type { DisclosedEntry } from './types';

/** Movement changes hang on the pupil: any later change of the same pupil depends on them. */
const MOVEMENT_METHODS = new Set(['movement.admit', 'movement.transfer', 'movement.leave']);

/**
 * The first later change by someone else of what this entry changed: the same entity and id, and
 * for movement records any later record about the same pupil (cancellations name the pupil in
 * their details). Such a change may rely on this one, so this one is not reverted blindly.
 */
export async function laterChangeByOthers(db: Db, entry: DisclosedEntry): Promise<{ id: number; at: string; login: string | null } | null> {
  if (entry.entity === null) return null;
  const pupilId = entry.entity === 'pupil' && MOVEMENT_METHODS.has(entry.method) ? entry.entityId : null;
  const row = await laterChangesQuery(db)
    .select(['id', 'at', 'user_login'])
    .where('id', '>', entry.id)
    .where((w) => w.or([w('user_id', 'is', null), w('user_id', '!=', entry.userId ?? -1)]))
    .where((w) => {
      const same = w.and([w('entity', '=', entry.entity), entry.entityId === null ? w('entity_id', 'is', null) : w('entity_id', '=', entry.entityId)]);
      if (pupilId === null) return same;
      return w.or([
        same,
        w.and([w('entity', '=', 'movement_event'), w(sql<string>`cast(json_extract(details_json, '$.pupilId') as text)`, '=', pupilId)]),
      ]);
    })
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, at: row.at, login: row.user_login } : null;
}

/** «после этого запись изменил petrova 12.03.2026 14:05 (запись журнала № 812)» */
export function laterChangeText(later: { id: number; at: string; login: string | null }): string {
  return `после этого запись изменил ${later.login ?? 'программа (без пользователя)'} ${ruMoment(later.at)} (запись журнала № ${later.id})`;
}
