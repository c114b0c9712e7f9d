import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { BackupHistoryRow, BackupStatus, TargetStatus } from '../../common/api/backup-status-contract';
import type { Settings } from '../../common/api/schemas';
import type { Db, OpenedDatabase } from '../../db/connection';
import { checkFolder, sameDeviceWarnings } from './devices';
import { currentBackupKey } from './key-store';

/**
 * The state of the backups as the administrator must see it: per configured target, its folder
 * checked live, the last good copy from the history (and whether its file is still there), its
 * age against the interval, the last failure if it came after the last success; warnings for
 * what makes the backups weaker than the regulations ask (one medium, no passphrase).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

export const FEW_TARGETS_WARNING = 'Настройте не меньше двух папок на разных носителях: копия на одном носителе пропадёт вместе с ним.';
export const NO_KEY_WARNING = 'Парольная фраза резервных копий не задана: копии не делаются. Задайте её на вкладке «Парольная фраза».';

export interface TargetHistory {
  lastGood: { finishedAt: string; path: string | null; bytes: number | null } | null;
  lastFailure: { at: string; message: string } | null;
}

/**
 * Targets are recorded by their resolved path (see runBackup); settings may hold them as typed,
 * so both sides are compared resolved.
 */
export async function targetHistory(db: Db, targets: readonly string[]): Promise<Map<string, TargetHistory>> {
  const resolved = [...new Set(targets.map((t) => resolve(t)))];
  const out = new Map<string, TargetHistory>(resolved.map((t) => [t, { lastGood: null, lastFailure: null }]));
  if (resolved.length === 0) return out;
  const rows = await db
    .selectFrom('backup')
    .select(['target', 'status', 'path', 'bytes', 'message', 'started_at', 'finished_at'])
    .where('target', 'in', resolved)
    .where('status', 'in', ['ok', 'failed'])
    .orderBy('id', 'desc')
    .execute();
  for (const row of rows) {
    const entry = out.get(row.target);
    if (!entry) continue;
    const at = row.finished_at ?? row.started_at;
    if (row.status === 'ok' && (!entry.lastGood || at > entry.lastGood.finishedAt)) entry.lastGood = { finishedAt: at, path: row.path, bytes: row.bytes };
    if (row.status === 'failed' && (!entry.lastFailure || at > entry.lastFailure.at)) entry.lastFailure = { at, message: row.message ?? 'причина не записана' };
  }
  for (const entry of out.values()) {
    // Only a failure after the last success matters: an old one was already fixed.
    if (entry.lastFailure && entry.lastGood && entry.lastFailure.at <= entry.lastGood.finishedAt) entry.lastFailure = null;
  }
  return out;
}

/** Whether a target's last good copy is older than the interval (or there is none). */
export function isOverdue(lastGoodAt: string | null, intervalDays: number, now: Date): boolean {
  if (!lastGoodAt) return true;
  return now.getTime() - Date.parse(lastGoodAt) > intervalDays * DAY_MS;
}

export async function backupStatus(input: { opened: OpenedDatabase; settings: Settings; now: Date }): Promise<BackupStatus> {
  const { settings, now } = input;
  const targets = [...new Set(settings.backupTargets.map((t) => resolve(t)))];
  const history = await targetHistory(input.opened.db, targets);
  const rows: TargetStatus[] = targets.map((path) => {
    const check = checkFolder(path, 'access');
    const entry = history.get(path) ?? { lastGood: null, lastFailure: null };
    const lastGood = entry.lastGood
      ? { finishedAt: entry.lastGood.finishedAt, file: entry.lastGood.path ? basename(entry.lastGood.path) : null, bytes: entry.lastGood.bytes, present: entry.lastGood.path !== null && existsSync(entry.lastGood.path) }
      : null;
    return {
      ...check,
      lastGood,
      ageDays: lastGood ? Math.max(0, Math.floor((now.getTime() - Date.parse(lastGood.finishedAt)) / DAY_MS)) : null,
      overdue: isOverdue(lastGood?.finishedAt ?? null, settings.backupIntervalDays, now),
      lastFailure: entry.lastFailure,
    };
  });
  const hasKey = (await currentBackupKey(input.opened.db)) !== null;
  const warnings: string[] = [];
  if (!hasKey) warnings.push(NO_KEY_WARNING);
  if (targets.length < 2) warnings.push(FEW_TARGETS_WARNING);
  warnings.push(...sameDeviceWarnings(targets));
  for (const row of rows) {
    if (row.lastGood && !row.lastGood.present && row.state === 'ok') {
      warnings.push(`В папке «${row.path}» нет последней резервной копии ${row.lastGood.file ?? ''}: её удалили или подключён другой носитель. Сделайте копию заново.`);
    }
  }
  const dueTimes = rows.map((r) => (r.lastGood ? Date.parse(r.lastGood.finishedAt) + settings.backupIntervalDays * DAY_MS : now.getTime()));
  return {
    now: now.toISOString(),
    targets: rows,
    warnings,
    keyConfigured: hasKey,
    schedule: {
      enabled: settings.backupScheduleEnabled,
      intervalDays: settings.backupIntervalDays,
      nextDueAt: dueTimes.length > 0 ? new Date(Math.min(...dueTimes)).toISOString() : null,
    },
    rotation: { keepLatest: settings.backupKeepLatest, keepMonthly: settings.backupKeepMonthly },
  };
}

/**
 * One page of the history, newest first. How a run was started (manual, schedule) is not a column
 * of `backup`: it is read from the run's audit entry, which records it per target row.
 */
export async function backupHistory(db: Db, page: { limit: number; offset: number }): Promise<{ rows: BackupHistoryRow[]; total: number }> {
  const rows = await db.selectFrom('backup').selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await db.selectFrom('backup').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const triggers = new Map<string, string>();
  if (rows.length > 0) {
    const audits = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'details_json'])
      .where('entity', '=', 'backup')
      .where('method', '=', 'backup.run')
      .where(
        'entity_id',
        'in',
        rows.map((r) => String(r.id)),
      )
      .execute();
    for (const audit of audits) {
      const trigger = triggerOf(audit.details_json);
      if (audit.entity_id && trigger) triggers.set(audit.entity_id, trigger);
    }
  }
  return {
    rows: rows.map((row) => ({
      id: row.id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      target: row.target,
      file: row.path ? basename(row.path) : null,
      bytes: row.bytes,
      status: row.status,
      message: row.message,
      trigger: triggers.get(String(row.id)) ?? null,
    })),
    total: Number(total.n),
  };
}

function triggerOf(details: string | null): string | null {
  if (!details) return null;
  try {
    const trigger = (JSON.parse(details) as { trigger?: unknown }).trigger;
    return typeof trigger === 'string' ? trigger : null;
  } catch {
    return null;
  }
}
