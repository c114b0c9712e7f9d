import { sql } from 'kysely';
import type { Db } from '../../db/connection';
import type { AuditRow } from '../../db/schema';
import type { DisclosedEntry } from './types';

/** The action of the audit entry each single revert writes; it also marks the entry as reverted. */
export const REVERT_ACTION = 'Отмена изменения раскрытой учётной записи';
/** The methods of this feature: their own entries are never a «later change by someone else». */
export const DISCLOSURE_METHODS = ['users.disclose', 'users.revertSince', 'users.disclosedChanges'] as const;

const DENIED_ACTION = 'Отказ в доступе';

function baseQuery(db: Db) {
  return db.selectFrom('audit_log');
}
type AuditQuery = ReturnType<typeof baseQuery>;

/**
 * What counts as a change: not signing in or out, not unlocking the screen (auth.*, except the
 * change of one's own password, which the administrator must see), not prints of documents
 * (print.*), not a refused call. A print of access-code slips is listed: the codes of a whole
 * class may have reached the intruder, and the administrator must decide to re-issue them.
 */
function onlyChanges(query: AuditQuery): AuditQuery {
  return query
    .where((w) => w.or([w('method', 'not like', 'auth.%'), w('method', '=', 'auth.changePassword')]))
    .where('method', 'not like', 'print.%')
    .where('action', '!=', DENIED_ACTION);
}

/** Changes as the dependency check sees them: also without this feature's own entries. */
export function laterChangesQuery(db: Db): AuditQuery {
  return onlyChanges(baseQuery(db))
    .where('method', 'not like', 'auth.%')
    .where('method', '!=', 'codes.print')
    .where('method', 'not in', [...DISCLOSURE_METHODS]);
}

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function toEntry(row: AuditRow): DisclosedEntry {
  return {
    id: row.id,
    at: row.at,
    userId: row.user_id,
    userLogin: row.user_login,
    method: row.method,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    before: parseObject(row.before_json),
    after: parseObject(row.after_json),
    details: parseObject(row.details_json),
  };
}

/** The account's changes since the moment (inclusive), newest first: the order of reverting. */
export async function changesSince(db: Db, userId: number, since: string): Promise<DisclosedEntry[]> {
  const rows = await onlyChanges(baseQuery(db))
    .selectAll()
    .where('user_id', '=', userId)
    .where('at', '>=', since)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toEntry);
}

export async function countChangesSince(db: Db, userId: number, since: string): Promise<number> {
  const row = await onlyChanges(baseQuery(db))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ids of audit entries already reverted: each revert entry names the one it undid. */
export async function revertedIds(db: Db): Promise<Set<number>> {
  const rows = await db
    .selectFrom('audit_log')
    .select(sql<number | null>`json_extract(details_json, '$.revertsAuditId')`.as('reverts'))
    .where('method', '=', 'users.revertSince')
    .where('action', '=', REVERT_ACTION)
    .execute();
  return new Set(rows.map((r) => r.reverts).filter((id): id is number => typeof id === 'number'));
}
