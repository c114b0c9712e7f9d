import type { Settings } from '../common/api/schemas';
import { openDatabase, type Db, type OpenedDatabase } from '../db/connection';
import { migrateToLatest, type MigrationOutcome } from '../db/migrate';
import { SessionStore } from './auth/sessions';
import { dispatch, type DispatchRequest } from './dispatcher';
import { EventHub } from './events';
import { handlers } from './handlers/index';
import { JobRegistry } from './jobs/registry';
import { readSettings } from './settings';
import type { ApiResponse } from '../common/api/errors';

export interface AppOptions {
  dbPath: string;
  /** A fixed clock for tests. */
  now?: () => Date;
}

/** One running instance of the office: its database, sessions, events and long jobs. */
export interface App {
  readonly opened: OpenedDatabase;
  readonly db: Db;
  readonly sessions: SessionStore;
  readonly events: EventHub;
  readonly jobs: JobRegistry;
  readonly migration: MigrationOutcome;
  /** Cached settings; refreshed by the handler that changes them. */
  settings: Settings;
  now(): Date;
  dispatch(request: DispatchRequest): Promise<ApiResponse<unknown>>;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const now = options.now ?? (() => new Date());
  const opened = openDatabase(options.dbPath);
  let migration: MigrationOutcome;
  try {
    migration = await migrateToLatest(opened, now());
  } catch (error) {
    await opened.close();
    throw error;
  }
  const events = new EventHub();
  const app: App = {
    opened,
    db: opened.db,
    sessions: new SessionStore(() => now().getTime()),
    events,
    jobs: new JobRegistry(events),
    migration,
    settings: await readSettings(opened.db),
    now,
    dispatch: (request) => dispatch(app, handlers, request),
    close: () => opened.close(),
  };
  return app;
}
