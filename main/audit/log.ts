import { sql } from 'kysely';
import type { AuditEntry, AuditVerifyResult } from '../../common/api/schemas';
import type { AuditFilter } from '../../common/api/contract';
import type { Db } from '../../db/connection';
import type { AuditRow } from '../../db/schema';
import { canonicalJson, entryHash, GENESIS_HASH, sha256Hex, type ChainedFields, type PayloadDigests, type PayloadField } from './chain';
import { readErasureClaims } from './erase';
import { redact } from './redact';

export interface AuditActor {
  userId: number | null;
  login: string | null;
}

export interface AuditRecord {
  actor: AuditActor;
  method: string;
  action: string;
  entity?: string | null;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

/**
 * Appends records to the hash-chained log. Must run inside the same write transaction as the
 * change it describes, so the change and its record land together or not at all.
 */
export async function appendAudit(trx: Db, records: readonly AuditRecord[], at: Date): Promise<void> {
  if (records.length === 0) return;
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  let prevHash = last?.hash ?? GENESIS_HASH;
  for (const record of records) {
    const fields: ChainedFields = {
      at: at.toISOString(),
      user_id: record.actor.userId,
      user_login: record.actor.login,
      method: record.method,
      action: record.action,
      entity: record.entity ?? null,
      entity_id: record.entityId === undefined || record.entityId === null ? null : String(record.entityId),
      before_json: canonicalJson(redact(record.before)),
      after_json: canonicalJson(redact(record.after)),
      details_json: canonicalJson(redact(record.details)),
    };
    const hash = entryHash(prevHash, fields);
    await trx.insertInto('audit_log').values({ ...fields, prev_hash: prevHash, hash }).execute();
    prevHash = hash;
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    userLogin: row.user_login,
    method: row.method,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    before: parseJson(row.before_json),
    after: parseJson(row.after_json),
    details: parseJson(row.details_json),
  };
}

function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export async function listAudit(
  db: Db,
  filter: Omit<AuditFilter, 'limit'> & { limit: number },
): Promise<{ rows: AuditEntry[]; total: number; nextBeforeId: number | null }> {
  let query = db.selectFrom('audit_log');
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', nextDay(filter.to));
  if (filter.userLogin) query = query.where('user_login', '=', filter.userLogin);
  if (filter.method) query = query.where('method', 'like', `${filter.method.replace(/[%_]/g, '')}%`);
  if (filter.entity) query = query.where('entity', '=', filter.entity);

  const totalRow = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let page = query.selectAll().orderBy('id', 'desc').limit(filter.limit + 1);
  if (filter.beforeId) page = page.where('id', '<', filter.beforeId);
  const rows = await page.execute();
  const hasMore = rows.length > filter.limit;
  const shown = rows.slice(0, filter.limit);
  return {
    rows: shown.map(toEntry),
    total: Number(totalRow.n),
    nextBeforeId: hasMore ? (shown[shown.length - 1]?.id ?? null) : null,
  };
}

const VERIFY_PAGE = 5000;

interface ErasedPayloads {
  digests: PayloadDigests;
  /** An erasure row names an act of destruction that is not in the register. */
  orphan: boolean;
}

/** Every erased payload with the digest of its original text; erasures are few (one per destroyed payload). */
async function erasures(db: Db): Promise<Map<number, ErasedPayloads>> {
  const rows = await db
    .selectFrom('audit_erasure as e')
    .leftJoin('destruction_act as a', 'a.id', 'e.act_id')
    .select(['e.entry_id', 'e.field', 'e.original_sha256', 'a.id as act'])
    .execute();
  const byEntry = new Map<number, ErasedPayloads>();
  for (const row of rows) {
    const entry = byEntry.get(row.entry_id) ?? { digests: {}, orphan: false };
    entry.digests[row.field] = row.original_sha256;
    if (row.act === null) entry.orphan = true;
    byEntry.set(row.entry_id, entry);
  }
  return byEntry;
}

/**
 * Walks the whole chain. Names the first entry that was edited, that follows a deleted one,
 * whose erasure names no act of destruction, or the first id missing from the end. An erased
 * payload enters the hash by the digest of its original kept in audit_erasure, and its current
 * text must be the one the act that erased it recorded in its own (chained) log entry.
 */
export async function verifyAudit(db: Db): Promise<AuditVerifyResult> {
  const erased = await erasures(db);
  /** What each act says it left in an erased payload: «entry:field» → digest of the erased text. */
  const claims = new Map<string, string>();
  /** The digest of each erased payload's current text, checked against the claims at the end. */
  const current = new Map<string, string>();
  let expectedPrev = GENESIS_HASH;
  let entries = 0;
  let erasedEntries = 0;
  let lastId: number | null = null;
  for (;;) {
    let page = db.selectFrom('audit_log').selectAll().orderBy('id').limit(VERIFY_PAGE);
    if (lastId !== null) page = page.where('id', '>', lastId);
    const rows = await page.execute();
    for (const row of rows) {
      if (row.prev_hash !== expectedPrev) {
        return {
          ok: false,
          entries,
          lastId,
          erased: erasedEntries,
          firstBroken: { id: row.id, reason: 'запись не продолжает цепочку: предыдущая запись удалена или изменена' },
        };
      }
      const erasure = erased.get(row.id);
      if (erasure?.orphan) {
        return { ok: false, entries, lastId, erased: erasedEntries, firstBroken: { id: row.id, reason: 'данные записи стёрты без акта об уничтожении' } };
      }
      if (entryHash(row.prev_hash, row, erasure?.digests) !== row.hash) {
        return { ok: false, entries, lastId, erased: erasedEntries, firstBroken: { id: row.id, reason: 'содержимое записи изменено после её создания' } };
      }
      if (erasure) {
        for (const field of Object.keys(erasure.digests) as PayloadField[]) current.set(`${row.id}:${field}`, sha256Hex(row[field] ?? ''));
        erasedEntries += 1;
      }
      // Only the destruction itself records erasures (printing an act logs the same entity).
      if (row.entity === 'destruction_act' && row.method === 'consents.destroy') {
        for (const claim of readErasureClaims(row.details_json)) claims.set(`${claim.entryId}:${claim.field}`, claim.sha256);
      }
      expectedPrev = row.hash;
      lastId = row.id;
      entries += 1;
    }
    if (rows.length < VERIFY_PAGE) break;
  }
  // An erased payload must be exactly what the (last) act that erased it recorded in the chain.
  const mismatched = [...current.entries()]
    .filter(([key, digest]) => claims.get(key) !== digest)
    .map(([key]) => ({ id: Number(key.split(':')[0]), claimed: claims.has(key) }))
    .sort((a, b) => a.id - b.id)[0];
  if (mismatched) {
    const before = await db
      .selectFrom('audit_log')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('last')])
      .where('id', '<', mismatched.id)
      .executeTakeFirstOrThrow();
    return {
      ok: false,
      entries: Number(before.n),
      lastId: before.last === null ? null : Number(before.last),
      erased: erasedEntries,
      firstBroken: {
        id: mismatched.id,
        reason: mismatched.claimed ? 'стёртые данные записи изменены после стирания' : 'стирание данных записи не подтверждено актом об уничтожении в журнале',
      },
    };
  }
  // An erasure row for an entry that is not in the log: the entry was removed with its erasure.
  const stray = [...erased.keys()].find((id) => id > (lastId ?? 0));
  if (stray !== undefined) {
    return { ok: false, entries, lastId, erased: erasedEntries, firstBroken: { id: stray, reason: 'запись со стёртыми данными удалена из журнала' } };
  }
  // AUTOINCREMENT remembers the highest id ever used: rows deleted from the end show up here.
  const seq = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'audit_log'`.execute(db);
  const highest = seq.rows[0]?.seq ?? 0;
  if (highest > (lastId ?? 0)) {
    const first = (lastId ?? 0) + 1;
    return {
      ok: false,
      entries,
      lastId,
      erased: erasedEntries,
      firstBroken: { id: first, reason: `записи с № ${first} по № ${highest} удалены из конца журнала` },
    };
  }
  return { ok: true, entries, lastId, erased: erasedEntries, firstBroken: null };
}
