import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../common/api/errors';
import { archiveFolder, mirrorFolder } from '../archive/folders';
import { emptyMirrorSyncOutcome, syncMirror as syncMirrorFiles, type MirrorSyncOutcome } from '../archive/mirror-sync';
import type { Handler, HandlerContext } from '../context';

/**
 * `archive.syncMirror`: the second copies that are missing (volumes sealed before the folder was
 * set, or a replaced disk) written from verified main copies, volume by volume in the background,
 * cancellable between volumes. The register does not change; the audit records the counts.
 */

const NO_MIRROR =
  'Папка второй копии архива не указана, записывать копии некуда. Администратор указывает её в разделе «Настройки», блок «Архив», поле «Папка второй копии архива» ' +
  '(другой диск или сетевая папка в другом помещении), после чего запустите запись недостающих копий снова.';

const SAME_FOLDER =
  'Папка второй копии архива совпадает с папкой основной копии: это не второй носитель. Укажите другой диск или сетевую папку в разделе «Настройки», блок «Архив», поле «Папка второй копии архива».';

// Never created here: an unplugged drive's folder made on the local disk is not a second medium.
const MIRROR_MISSING = (folder: string) =>
  `Папка второй копии архива «${folder}» недоступна: подключите диск или сетевую папку, на которой она находится, и запустите запись недостающих копий снова. Если папка переехала, укажите новую в разделе «Настройки», блок «Архив».`;

function auditOutcome(ctx: HandlerContext, outcome: MirrorSyncOutcome, cancelled: boolean): Promise<void> {
  return ctx.write(async () =>
    ctx.audit({
      entity: 'archive_volume',
      entityId: null,
      details: { copied: outcome.copied, alreadyPresent: outcome.alreadyPresent, failed: outcome.failed.length, cancelled },
    }),
  );
}

export const syncMirror: Handler<'archive.syncMirror'> = async (ctx, params) =>
  ctx.app.jobs.run(params.jobId, async (job) => {
    const archiveDir = archiveFolder(ctx.app.opened.path);
    const mirrorDir = mirrorFolder(ctx.app.settings.archiveMirrorDir);
    if (mirrorDir === null) throw new ApiError('refused', NO_MIRROR);
    if (resolve(mirrorDir) === resolve(archiveDir)) throw new ApiError('refused', SAME_FOLDER);
    if (!existsSync(mirrorDir)) throw new ApiError('refused', MIRROR_MISSING(mirrorDir));
    const outcome = emptyMirrorSyncOutcome();
    try {
      await syncMirrorFiles(
        ctx.db,
        {
          archiveDir,
          mirrorDir,
          onVolume: async (done, total) => {
            job.progress(done, total, 'Запись недостающих вторых копий');
            await job.checkpoint();
          },
        },
        outcome,
      );
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'cancelled')) throw error;
      // Copies written before the cancel stay (each is whole and verified): say so, and record them.
      await auditOutcome(ctx, outcome, true);
      throw new ApiError(
        'cancelled',
        `Запись вторых копий прервана. Уже записано копий: ${outcome.copied}; они сохранены. Запустите запись снова, чтобы дописать остальные.`,
      );
    }
    await auditOutcome(ctx, outcome, false);
    return outcome;
  });
