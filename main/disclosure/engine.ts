import { sql } from 'kysely';
import { contract, isMethodName } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import type { AuditNote } from '../context';
import { closedYearMessage, closedYearTable } from '../year/closed-year-error';
import { laterChangeByOthers, laterChangeText } from './dependency';
import { describeObject } from './describe';
import { REVERT_ACTION } from './entries';
import { NOT_CLASSIFIED, NOT_REVERTIBLE, STRATEGIES } from './strategies';
import { Refusal, type DisclosedEntry, type RevertContext } from './types';

export type OutcomeStatus = 'reverted' | 'already' | 'refused' | 'nothing';

export interface Outcome {
  entry: DisclosedEntry;
  title: string;
  summary: string;
  status: OutcomeStatus;
  /** Why not reverted (refused or nothing to revert). */
  reason: string | null;
  /** The audit entry of the revert, to be recorded when the batch is really applied. */
  note: AuditNote | null;
}

/** Runs `work` and undoes everything it wrote, whatever happens: a preview of the batch. */
export async function withRollback<T>(db: Db, work: () => Promise<T>): Promise<T> {
  await sql`savepoint disclosure_preview`.execute(db);
  try {
    return await work();
  } finally {
    await sql`rollback to disclosure_preview`.execute(db);
    await sql`release disclosure_preview`.execute(db);
  }
}

/** Refusals the administrator reads: ours, the domain's own, or a foreign key still pointing here. */
function refusalReason(error: unknown): string | null {
  if (error instanceof Refusal) return error.message;
  if (error instanceof ApiError) return error.message;
  // The closed-year guard (migration 008): the change lies in a closed school year.
  const closedTable = closedYearTable(error);
  if (closedTable) return closedYearMessage(closedTable, []);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return 'на эту запись уже ссылаются другие данные';
  return null;
}

async function genericSummary(db: Db, e: DisclosedEntry): Promise<string> {
  return `${e.action}: ${await describeObject(db, e.entity, e.entityId)}`;
}

/**
 * Reverts the entries one by one, newest first, each in its own savepoint: a refused one leaves
 * no trace and the batch goes on. Summaries are taken before anything changes (a guardian removed
 * by a revert can no longer be named).
 */
export async function runReverts(r: RevertContext, entries: readonly DisclosedEntry[], alreadyReverted: ReadonlySet<number>): Promise<Outcome[]> {
  const newestFirst = [...entries].sort((a, b) => b.id - a.id);
  const prepared = [];
  for (const entry of newestFirst) {
    const strategy = STRATEGIES[entry.method];
    const summary = strategy ? await strategy.summary(r.db, entry) : await genericSummary(r.db, entry);
    const title = isMethodName(entry.method) ? contract[entry.method].title : entry.action;
    prepared.push({ entry, strategy, summary, title });
  }

  const outcomes: Outcome[] = [];
  for (const { entry, strategy, summary, title } of prepared) {
    const base = { entry, title, summary, note: null };
    if (alreadyReverted.has(entry.id)) {
      outcomes.push({ ...base, status: 'already', reason: null });
      continue;
    }
    if (!strategy) {
      outcomes.push({ ...base, status: 'refused', reason: NOT_REVERTIBLE[entry.method] ?? NOT_CLASSIFIED });
      continue;
    }
    const nothing = strategy.nothingToRevert?.(entry) ?? null;
    if (nothing) {
      outcomes.push({ ...base, status: 'nothing', reason: nothing });
      continue;
    }
    const later = await laterChangeByOthers(r.db, entry);
    if (later) {
      outcomes.push({ ...base, status: 'refused', reason: laterChangeText(later) });
      continue;
    }
    await sql`savepoint disclosure_revert`.execute(r.db);
    try {
      const bits = await strategy.revert(r, entry);
      await sql`release disclosure_revert`.execute(r.db);
      const note: AuditNote = {
        action: REVERT_ACTION,
        entity: entry.entity,
        entityId: entry.entityId,
        before: bits.before,
        after: bits.after,
        details: { ...bits.details, revertsAuditId: entry.id, revertsMethod: entry.method, disclosedUserId: r.disclosedUserId },
      };
      outcomes.push({ ...base, status: 'reverted', reason: null, note });
    } catch (error) {
      await sql`rollback to disclosure_revert`.execute(r.db);
      await sql`release disclosure_revert`.execute(r.db);
      const reason = refusalReason(error);
      if (reason === null) throw error;
      outcomes.push({ ...base, status: 'refused', reason });
    }
  }
  return outcomes;
}
