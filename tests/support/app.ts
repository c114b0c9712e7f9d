import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MethodName, Params, Result } from '../../common/api/contract';
import type { ApiErrorBody } from '../../common/api/errors';
import { createApp, type App } from '../../main/app';

export interface TestApp {
  app: App;
  dir: string;
  dbPath: string;
  /** Calls a method and returns its result, failing the test on a refusal. */
  call<M extends MethodName>(method: M, params: Params<M>, sessionId?: string | null): Promise<Result<M>>;
  /** Calls a method that must be refused and returns the error. */
  refuse<M extends MethodName>(method: M, params: unknown, sessionId?: string | null): Promise<ApiErrorBody>;
  close(): Promise<void>;
}

export const ADMIN = { login: 'admin', password: 'admin-secret', fullName: 'Иванова Анна Петровна', schoolName: 'МБОУ СОШ № 1' };

/** A fresh register in a temp folder, driven through the real dispatcher. */
export async function openTestApp(options: { now?: () => Date } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'school-office-test-'));
  const dbPath = join(dir, 'test.db');
  const app = await createApp({ dbPath, ...options });
  return {
    app,
    dir,
    dbPath,
    async call(method, params, sessionId) {
      const response = await app.dispatch({ method, params, sessionId: sessionId ?? null });
      if (!response.ok) throw new Error(`${method} refused: ${response.error.code}: ${response.error.message}`);
      return response.result as never;
    },
    async refuse(method, params, sessionId) {
      const response = await app.dispatch({ method, params, sessionId: sessionId ?? null });
      if (response.ok) throw new Error(`${method} was expected to be refused but succeeded`);
      return response.error;
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A register with its administrator created; returns the admin's session id. */
export async function openInitializedApp(options: { now?: () => Date } = {}): Promise<TestApp & { adminSession: string }> {
  const t = await openTestApp(options);
  const setup = await t.call('auth.setup', ADMIN);
  return Object.assign(t, { adminSession: setup.sessionId });
}
