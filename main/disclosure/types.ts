import type { Db } from '../../db/connection';
import type { App } from '../app';

/** One audit entry of the disclosed account, with its JSON parts parsed. */
export interface DisclosedEntry {
  id: number;
  at: string;
  userId: number | null;
  userLogin: string | null;
  method: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
}

/** What a revert needs: the open transaction, the clock, who reverts, the app for its caches. */
export interface RevertContext {
  db: Db;
  app: App;
  now: Date;
  actor: { userId: number; login: string };
  disclosedUserId: number;
  /**
   * Changes outside the database (open sessions, cached settings). They run only when the batch
   * is really applied, never for a preview that is rolled back.
   */
  effects: Array<() => void>;
}

/** What a revert writes into its own audit entry, besides the reference to the reverted one. */
export interface RevertNote {
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/** How one kind of change is undone. */
export interface Strategy {
  /** A short Russian description of the change (names allowed, secrets never). */
  summary(db: Db, entry: DisclosedEntry): Promise<string>;
  /**
   * Entries that record no change of their own (a total of an import, a summary of a batch):
   * the reason shown instead of reverting them, or null for a real change.
   */
  nothingToRevert?(entry: DisclosedEntry): string | null;
  /** Undoes the change in `r.db`; throws Refusal (or ApiError) when the current state forbids it. */
  revert(r: RevertContext, entry: DisclosedEntry): Promise<RevertNote>;
}

/** A revert that the current state does not allow; the message is shown to the administrator. */
export class Refusal extends Error {}
