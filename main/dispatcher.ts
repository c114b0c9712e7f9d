import type { z } from 'zod';
import { contract, isMethodName, roleMayCall, type MethodName } from '../common/api/contract';
import { ApiError, type ApiResponse } from '../common/api/errors';
import { roleLabel } from '../common/roles';
import type { Db } from '../db/connection';
import { DatabaseError } from '../db/errors';
import { writeTransaction } from '../db/transaction';
import type { App } from './app';
import { appendAudit, type AuditRecord } from './audit/log';
import type { Session } from './auth/sessions';
import { sessionActor, type AuditNote, type Handler, type HandlerContext, type Handlers } from './context';
import { logError } from './log';
import { closedYearRefusal } from './year/closed-year-error';

export interface DispatchRequest {
  method: string;
  params?: unknown;
  sessionId?: string | null;
}

/** Methods that still work on a locked screen. */
const ALLOWED_WHEN_SCREEN_LOCKED = new Set<MethodName>(['auth.unlockScreen', 'auth.logout', 'auth.me', 'app.status', 'jobs.cancel']);

const GENERIC_FIELD_LABELS: Record<string, string> = {
  login: 'Логин',
  password: 'Пароль',
  newPassword: 'Новый пароль',
  currentPassword: 'Текущий пароль',
  fullName: 'ФИО',
  role: 'Роль',
  schoolName: 'Название школы',
  name: 'Название',
  lockAfterMinutes: 'Блокировка экрана',
  pupils: 'Число обучающихся',
  seed: 'Зерно',
  year: 'Учебный год',
  from: 'Дата с',
  to: 'Дата по',
};

function invalidParams(error: z.ZodError): ApiError {
  const fields: Record<string, string> = {};
  const lines: string[] = [];
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '(параметры)';
    const label = GENERIC_FIELD_LABELS[key] ?? key;
    const message = issue.code === 'unrecognized_keys' ? `лишние поля: ${issue.keys.join(', ')}` : issue.message;
    fields[key] ??= message;
    lines.push(`«${label}»: ${message}`);
  }
  return new ApiError('invalid_params', `Проверьте данные: ${lines.join('; ')}.`, fields);
}

function sqliteConflict(error: unknown): ApiError | null {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new ApiError('conflict', 'Такая запись уже есть. Проверьте данные: ничего не изменено.');
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new ApiError('conflict', 'Запись связана с другими данными или ссылается на несуществующую. Ничего не изменено.');
  }
  if (code === 'SQLITE_BUSY') {
    return new ApiError('refused', 'База данных занята другой операцией. Повторите через минуту.');
  }
  return null;
}

function createContext(
  app: App,
  session: Session | null,
  method: MethodName,
): { ctx: HandlerContext; pending: AuditRecord[]; committed: (() => void)[] } {
  const pending: AuditRecord[] = [];
  const committed: (() => void)[] = [];
  let activeTrx: Db | null = null;
  const title = contract[method].title;
  const ctx: HandlerContext = {
    app,
    db: app.db,
    session,
    method,
    now: app.now,
    audit(note: AuditNote) {
      pending.push({ ...note, actor: note.actor ?? sessionActor(session), method, action: note.action ?? title });
    },
    write(work) {
      // Already inside this call's transaction (a write method): join it instead of waiting
      // for the connection it holds.
      if (activeTrx) return work(activeTrx);
      return writeTransaction(app.db, async (trx) => {
        activeTrx = trx;
        try {
          const result = await work(trx);
          await appendAudit(trx, pending.splice(0), app.now());
          return result;
        } finally {
          activeTrx = null;
        }
      });
    },
    afterCommit(task) {
      committed.push(task);
    },
  };
  return { ctx, pending, committed };
}

/**
 * The one entry point of every call, from the window, the browser, the CLI and the tests:
 * session, screen lock, role, validation, then the handler; writes in one transaction with
 * their audit entries.
 */
export async function dispatch(app: App, handlers: Handlers, request: DispatchRequest): Promise<ApiResponse<unknown>> {
  const method = request.method;
  try {
    if (!isMethodName(method)) throw new ApiError('unknown_method', `Неизвестная операция «${String(method).slice(0, 64)}».`);
    const def = contract[method];
    let session: Session | null = null;
    if (def.access !== 'public') {
      session = app.sessions.get(request.sessionId);
      if (!session) throw new ApiError('no_session', 'Сеанс завершён. Войдите в программу снова.');
      app.sessions.touch(session, app.settings.lockAfterMinutes);
      if (session.screenLocked && !ALLOWED_WHEN_SCREEN_LOCKED.has(method)) {
        throw new ApiError('screen_locked', 'Экран заблокирован после бездействия. Введите свой пароль, чтобы продолжить.');
      }
      if (!roleMayCall(method, session.user.role)) {
        const denied = createContext(app, session, method).ctx;
        denied.audit({ action: 'Отказ в доступе', details: { operation: def.title, role: session.user.role } });
        await denied.write(async () => undefined);
        throw new ApiError(
          'forbidden',
          `Роль «${roleLabel(session.user.role)}» не может выполнять операцию «${def.title}». Если она нужна вам по работе, обратитесь к администратору.`,
        );
      }
    }
    const parsed = def.params.safeParse(request.params ?? {});
    if (!parsed.success) throw invalidParams(parsed.error);

    const { ctx, pending, committed } = createContext(app, session, method);
    const handler = handlers[method] as Handler<MethodName>;
    let result: unknown;
    if (def.access === 'write') {
      result = await ctx.write(async (trx) => {
        const value = await handler({ ...ctx, db: trx }, parsed.data as never);
        // Every write leaves a trace, even when the handler had nothing specific to say.
        if (pending.length === 0) ctx.audit({ details: parsed.data });
        return value;
      });
      for (const task of committed.splice(0)) {
        try {
          task();
        } catch (error) {
          logError(`после операции ${String(method).slice(0, 64)}`, error);
        }
      }
    } else {
      result = await handler(ctx, parsed.data as never);
    }
    return { ok: true, result: def.result.parse(result) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.toBody() };
    if (error instanceof DatabaseError) return { ok: false, error: { code: 'refused', message: error.message } };
    // A write into a closed school year, stopped by the database's own guard (migration 008).
    const closedYear = await closedYearRefusal(app.db, error, request.params);
    if (closedYear) return { ok: false, error: closedYear.toBody() };
    const conflict = sqliteConflict(error);
    if (conflict) return { ok: false, error: conflict.toBody() };
    logError(`операция ${String(method).slice(0, 64)}`, error);
    return {
      ok: false,
      error: {
        code: 'internal',
        message: 'Внутренняя ошибка программы: действие не выполнено, данные не изменены. Сообщите администратору; подробности в журнале ошибок.',
      },
    };
  }
}
