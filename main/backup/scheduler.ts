import { resolve } from 'node:path';
import type { App } from '../app';
import { logError } from '../log';
import { currentBackupKey } from './key-store';
import { backupAndRecord } from './record';
import { isOverdue, targetHistory } from './status';

/**
 * Backups by themselves while the program runs (issue 8): every few minutes a check asks whether
 * a copy is due and, if so, makes it as a background job — with the stored public key, so no
 * passphrase is needed. A copy is due for a target whose last good copy is older than the
 * interval (or that has none). A target that failed is tried again no sooner than an hour later:
 * a USB drive left at home must not be hammered, nor the history flooded.
 */

export const RETRY_AFTER_MS = 60 * 60 * 1000;

export type SchedulerDecision = 'ran' | 'disabled' | 'no_key' | 'no_targets' | 'running' | 'not_due' | 'retry_later' | 'failed';

export interface SchedulerCheck {
  decision: SchedulerDecision;
  /** The targets written (or attempted) by this check. */
  targets: string[];
}

export interface BackupScheduler {
  stop(): void;
  checkNow(): Promise<SchedulerCheck>;
}

export interface SchedulerOptions {
  checkEveryMs?: number;
  firstCheckAfterMs?: number;
}

/** Which configured targets are due now and not failed within the last hour. */
export async function dueTargets(app: App, now: Date): Promise<{ due: string[]; waiting: string[] }> {
  const targets = [...new Set(app.settings.backupTargets.map((t) => resolve(t)))];
  const history = await targetHistory(app.db, targets);
  const due: string[] = [];
  const waiting: string[] = [];
  for (const target of targets) {
    const entry = history.get(target);
    if (!isOverdue(entry?.lastGood?.finishedAt ?? null, app.settings.backupIntervalDays, now)) continue;
    const failedAt = entry?.lastFailure ? Date.parse(entry.lastFailure.at) : NaN;
    if (Number.isFinite(failedAt) && now.getTime() - failedAt < RETRY_AFTER_MS) waiting.push(target);
    else due.push(target);
  }
  return { due, waiting };
}

export function startBackupScheduler(app: App, options: SchedulerOptions = {}): BackupScheduler {
  const checkEveryMs = options.checkEveryMs ?? 10 * 60 * 1000;
  const firstCheckAfterMs = options.firstCheckAfterMs ?? 2 * 60 * 1000;
  let inFlight: Promise<SchedulerCheck> | null = null;
  // A run that threw before recording anything (the snapshot failed) still waits an hour.
  let lastThrownAt = -Infinity;
  let stopped = false;

  async function check(): Promise<SchedulerCheck> {
    const settings = app.settings;
    if (!settings.backupScheduleEnabled) return { decision: 'disabled', targets: [] };
    if (settings.backupTargets.length === 0) return { decision: 'no_targets', targets: [] };
    if (!(await currentBackupKey(app.db))) return { decision: 'no_key', targets: [] };
    const now = app.now();
    if (now.getTime() - lastThrownAt < RETRY_AFTER_MS) return { decision: 'retry_later', targets: [] };
    const { due, waiting } = await dueTargets(app, now);
    if (due.length === 0) return { decision: waiting.length > 0 ? 'retry_later' : 'not_due', targets: waiting };
    // A backup (or a restore, a year's printing) already running: the next check will see.
    if (app.jobs.active > 0) return { decision: 'running', targets: [] };
    try {
      await app.jobs.run(undefined, (job) => backupAndRecord(app, { targets: due, actor: { userId: null, login: null }, trigger: 'schedule' }, job));
      return { decision: 'ran', targets: due };
    } catch (error) {
      lastThrownAt = now.getTime();
      logError('резервное копирование по расписанию', error);
      return { decision: 'failed', targets: due };
    }
  }

  function checkNow(): Promise<SchedulerCheck> {
    if (inFlight) return Promise.resolve({ decision: 'running', targets: [] });
    inFlight = check().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function tick(): void {
    if (stopped) return;
    checkNow().catch((error: unknown) => logError('проверка расписания резервных копий', error));
  }

  const first = setTimeout(tick, firstCheckAfterMs);
  const every = setInterval(tick, checkEveryMs);
  // The timers never keep the process alive on their own (the CLI's serve waits on its own signal).
  first.unref();
  every.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
    },
    checkNow,
  };
}
