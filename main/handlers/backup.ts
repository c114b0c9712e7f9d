import type { backupMethods } from '../../common/api/backup-contract';
import { runBackup } from '../backup/run';
import type { Handler } from '../context';

/**
 * Backups as a job: the work (snapshot, encryption, verification per target) is in
 * main/backup/; here it gets progress and cancel, and every target's attempt is recorded in the
 * backup history with its audit entry (no personal data: folders, sizes, checksums, reasons).
 */

const run: Handler<'backup.run'> = async (ctx, params) =>
  ctx.app.jobs.run(params.jobId, async (job) => {
    const startedAt = ctx.now().toISOString();
    const outcome = await runBackup({
      dbPath: ctx.app.opened.path,
      targets: params.targets,
      passphrase: params.passphrase,
      signal: job.signal,
      onProgress: (done, total, stage) => job.progress(done, total, stage),
    });
    const finishedAt = ctx.now().toISOString();
    await ctx.write(async (trx) => {
      for (const target of outcome.targets) {
        const row = await trx
          .insertInto('backup')
          .values({
            started_at: startedAt,
            finished_at: finishedAt,
            target: target.path,
            path: target.file,
            bytes: target.bytes,
            sha256: target.sha256,
            status: target.ok ? 'ok' : 'failed',
            message: target.error,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ctx.audit({ entity: 'backup', entityId: row.id, details: { ok: target.ok, bytes: target.bytes, sha256: target.sha256, sameDeviceWarning: outcome.warnings.length > 0 } });
      }
    });
    return { targets: outcome.targets, warnings: outcome.warnings };
  });

export const backupHandlers: { [M in keyof typeof backupMethods]: Handler<M> } = {
  'backup.run': run,
};
