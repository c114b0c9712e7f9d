import type { Result } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { writeTransaction } from '../../db/transaction';
import type { App } from '../app';
import { appendAudit, type AuditActor, type AuditRecord } from '../audit/log';
import type { RotationPolicy } from './gc';
import { currentBackupKey, NO_KEY_MESSAGE, type StoredBackupKey } from './key-store';
import { runBackup } from './run';

/**
 * A backup run with its records: the work (runBackup, with rotation from the settings), then
 * one `backup` history row and one audit entry per target in one transaction (no personal data:
 * folders, sizes, checksums, reasons). Shared by `backup.run` (manual, the administrator) and the
 * scheduler (actor nobody, trigger «schedule»).
 */

export type BackupRunResult = Result<'backup.run'>;

export const NO_TARGETS_MESSAGE = 'Не задано ни одной папки для резервных копий: укажите их в разделе «Резервные копии» → «Папки» (лучше две, на разных носителях).';

export async function backupAndRecord(
  app: App,
  input: { targets: string[]; actor: AuditActor; trigger: 'manual' | 'schedule'; rotation?: Partial<RotationPolicy> },
  job: { signal: AbortSignal; progress(done: number, total: number, stage: string): void },
): Promise<BackupRunResult> {
  const key = await currentBackupKey(app.db);
  if (!key) throw new ApiError('refused', NO_KEY_MESSAGE);
  if (input.targets.length === 0) throw new ApiError('refused', NO_TARGETS_MESSAGE);
  // One run at a time per register: «Сделать копию сейчас» pressed while the schedule's run is
  // writing would write the same folders twice and race their rotation.
  if (running.has(app)) throw new ApiError('refused', ALREADY_RUNNING_MESSAGE);
  running.add(app);
  try {
    return await recorded(app, input, job, key);
  } finally {
    running.delete(app);
  }
}

const running = new WeakSet<App>();
export const ALREADY_RUNNING_MESSAGE = 'Резервное копирование уже идёт: дождитесь его окончания (ход виден в разделе «Резервные копии»).';

async function recorded(
  app: App,
  input: { targets: string[]; actor: AuditActor; trigger: 'manual' | 'schedule'; rotation?: Partial<RotationPolicy> },
  job: { signal: AbortSignal; progress(done: number, total: number, stage: string): void },
  key: StoredBackupKey,
): Promise<BackupRunResult> {
  const startedAt = app.now().toISOString();
  const outcome = await runBackup({
    dbPath: app.opened.path,
    targets: input.targets,
    recipient: key,
    rotation: { keepLatest: input.rotation?.keepLatest ?? app.settings.backupKeepLatest, keepMonthly: input.rotation?.keepMonthly ?? app.settings.backupKeepMonthly },
    signal: job.signal,
    onProgress: (done, total, stage) => job.progress(done, total, stage),
  });
  const finishedAt = app.now().toISOString();
  await writeTransaction(app.db, async (trx) => {
    const records: AuditRecord[] = [];
    for (const target of outcome.targets) {
      const row = await trx
        .insertInto('backup')
        .values({ started_at: startedAt, finished_at: finishedAt, target: target.path, path: target.file, bytes: target.bytes, sha256: target.sha256, status: target.ok ? 'ok' : 'failed', message: target.error })
        .returning('id')
        .executeTakeFirstOrThrow();
      records.push({
        actor: input.actor,
        method: 'backup.run',
        action: input.trigger === 'schedule' ? 'Резервное копирование по расписанию' : 'Резервное копирование',
        entity: 'backup',
        entityId: row.id,
        details: { trigger: input.trigger, ok: target.ok, bytes: target.bytes, sha256: target.sha256, removed: target.removed, keyFingerprint: key.fingerprint, sameDeviceWarning: outcome.warnings.length > 0 },
      });
    }
    await appendAudit(trx, records, app.now());
  });
  return { targets: outcome.targets, warnings: outcome.warnings };
}
