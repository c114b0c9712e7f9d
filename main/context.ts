import type { MethodName, ParsedParams, Result } from '../common/api/contract';
import type { Db } from '../db/connection';
import type { AuditActor, AuditRecord } from './audit/log';
import type { Session } from './auth/sessions';
import type { App } from './app';

export type AuditNote = Omit<AuditRecord, 'method' | 'action' | 'actor'> & { action?: string; actor?: AuditActor };

/** What a handler gets: the app, the database (a transaction for writes), the caller. */
export interface HandlerContext {
  app: App;
  db: Db;
  session: Session | null;
  method: MethodName;
  now(): Date;
  /** Records an audit entry; it is written in the same transaction as the change. */
  audit(note: AuditNote): void;
  /**
   * Runs one write transaction and writes the audit entries recorded during it. Write methods
   * are already wrapped by the dispatcher; public methods that must record something (login)
   * call it themselves.
   */
  write<T>(work: (trx: Db) => Promise<T>): Promise<T>;
  /**
   * Runs a task once this call's write transaction has committed, before the answer is sent
   * (work that cannot run inside a transaction, such as VACUUM). Its failure is logged, never
   * turned into a failure of the committed change.
   */
  afterCommit(task: () => void): void;
}

export type Handler<M extends MethodName> = (ctx: HandlerContext, params: ParsedParams<M>) => Promise<Result<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

export function sessionActor(session: Session | null): AuditActor {
  return session ? { userId: session.user.id, login: session.user.login } : { userId: null, login: null };
}
