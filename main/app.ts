import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from '../common/api/schemas';
import { openDatabase, type Db, type OpenedDatabase } from '../db/connection';
import { migrateToLatest, type MigrationOutcome } from '../db/migrate';
import { SessionStore } from './auth/sessions';
import { completePendingSwitch, hasPendingSwitch, removeStaleStaging } from './backup/switch';
import { dispatch, type DispatchRequest } from './dispatcher';
import { EventHub } from './events';
import { handlers } from './handlers/index';
import { JobRegistry, type Job } from './jobs/registry';
import { readSettings } from './settings';
import { ApiError, type ApiResponse } from '../common/api/errors';

export interface AppOptions {
  dbPath: string;
  /** A fixed clock for tests. */
  now?: () => Date;
}

/**
 * The job registry, counting what runs: replacing the register (a restore) must not happen under
 * another job, and no job (the schedule's backup, a print) may start while it happens.
 */
export class AppJobs extends JobRegistry {
  #active = 0;
  #exclusive: string | null = null;

  /** Jobs running now (the caller's own included when asked from inside a job). */
  get active(): number {
    return this.#active;
  }

  override async run<T>(jobId: string | undefined, work: (job: Job) => Promise<T>): Promise<T> {
    if (this.#exclusive !== null) throw new ApiError('refused', this.#exclusive);
    return this.counted(jobId, work);
  }

  /**
   * Runs a job alone: refused with `busy` while another job runs; while it runs, other jobs are
   * refused with `meanwhile`.
   */
  async runExclusive<T>(jobId: string | undefined, messages: { busy: string; meanwhile: string }, work: (job: Job) => Promise<T>): Promise<T> {
    if (this.#active > 0 || this.#exclusive !== null) throw new ApiError('refused', messages.busy);
    this.#exclusive = messages.meanwhile;
    try {
      return await this.counted(jobId, work);
    } finally {
      this.#exclusive = null;
    }
  }

  private async counted<T>(jobId: string | undefined, work: (job: Job) => Promise<T>): Promise<T> {
    this.#active += 1;
    try {
      return await super.run(jobId, work);
    } finally {
      this.#active -= 1;
    }
  }
}

/** One running instance of the office: its database, sessions, events and long jobs. */
export interface App {
  /** The open register. Replaced by a restore: read it per use, never keep it. */
  readonly opened: OpenedDatabase;
  readonly db: Db;
  /** Replaced (everyone signed out) when the register is replaced. */
  readonly sessions: SessionStore;
  readonly events: EventHub;
  readonly jobs: AppJobs;
  readonly migration: MigrationOutcome;
  /** Cached settings; refreshed by the handler that changes them. */
  settings: Settings;
  now(): Date;
  dispatch(request: DispatchRequest): Promise<ApiResponse<unknown>>;
  /**
   * Closes the register (WAL folded into the file, so no side files are left), lets `swap`
   * replace its files, then opens what is at the same path: migrated, settings reloaded, every
   * session ended. When `swap` fails having put everything back, the same register reopens and
   * sessions stay; when its switch is still pending (a restart will finish it), the register
   * stays closed rather than opening a half-switched folder.
   */
  replaceDatabase(swap: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

async function openMigrated(path: string, at: Date): Promise<{ opened: OpenedDatabase; migration: MigrationOutcome }> {
  const opened = openDatabase(path);
  try {
    return { opened, migration: await migrateToLatest(opened, at) };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/** Waits until no transaction holds the (single) connection, folds the WAL into the file and closes. */
async function closeForSwitch(current: OpenedDatabase): Promise<void> {
  await current.db.connection().execute(async () => {
    current.raw.pragma('wal_checkpoint(TRUNCATE)');
  });
  await current.close();
}

export async function createApp(options: AppOptions): Promise<App> {
  const now = options.now ?? (() => new Date());
  if (options.dbPath !== ':memory:') {
    // A restore's switch cut short by a crash is finished before the register opens.
    const dataDir = dirname(options.dbPath);
    await completePendingSwitch(dataDir);
    removeStaleStaging(dataDir);
  }
  const first = await openMigrated(options.dbPath, now());
  let opened = first.opened;
  let closed = false;
  const newSessions = () => new SessionStore(() => now().getTime());
  let sessions = newSessions();
  const events = new EventHub();
  const app: App = {
    get opened() {
      return opened;
    },
    get db() {
      return opened.db;
    },
    get sessions() {
      return sessions;
    },
    events,
    jobs: new AppJobs(events),
    migration: first.migration,
    settings: await readSettings(opened.db),
    now,
    dispatch: (request) => dispatch(app, handlers, request),
    async replaceDatabase(swap) {
      const path = opened.path;
      await closeForSwitch(opened);
      closed = true;
      let failure: unknown = null;
      try {
        await swap();
      } catch (error) {
        failure = error;
      }
      if (!existsSync(path) || hasPendingSwitch(dirname(path))) throw failure ?? new Error('После переключения база данных не найдена.');
      opened = (await openMigrated(path, now())).opened;
      closed = false;
      app.settings = await readSettings(opened.db);
      if (failure) throw failure;
      // Another register, other users: everyone signs in again.
      sessions = newSessions();
    },
    close: async () => {
      if (!closed) await opened.close();
      closed = true;
    },
  };
  return app;
}
