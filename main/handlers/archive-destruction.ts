import { localDay } from '../../common/domain/local-day';
import { dueVolumes, nextDueDay, nothingDueError, printDestructionAct } from '../archive/destruction-act';
import { markDestroyed, removeVolumeFiles } from '../archive/destruction';
import { archiveFolder, mirrorFolder } from '../archive/folders';
import type { Handler } from '../context';
import { pdfEngine } from '../print/chromium';

/**
 * The end of a volume's life: the act that selects volumes past their term (for the commission
 * and the director), and marking them destroyed by the approved act, which removes their files.
 */

export const destructionAct: Handler<'archive.destructionAct'> = async (ctx, params) =>
  ctx.app.jobs.run(params.jobId, async (job) => {
    job.progress(0, 2, 'Отбор дел с истёкшим сроком хранения');
    const volumes = await dueVolumes(ctx.db, params.asOf);
    if (volumes.length === 0) throw nothingDueError(params.asOf, await nextDueDay(ctx.db, params.asOf));
    await job.checkpoint();
    job.progress(1, 2, 'Печать акта');
    const act = await printDestructionAct(ctx.db, pdfEngine(), params.asOf, volumes, ctx.now());
    await job.checkpoint();
    await ctx.write(async () =>
      ctx.audit({ entity: 'archive_volume', entityId: null, details: { document: 'destructionAct', asOf: params.asOf, volumes: volumes.length, pages: act.pages } }),
    );
    job.progress(2, 2, 'Акт готов');
    return { fileName: act.fileName, pages: act.pages, volumes: volumes.map((v) => v.id), pdfBase64: act.pdf.toString('base64') };
  });

export const destroy: Handler<'archive.destroy'> = async (ctx, params) => {
  const marked = await ctx.write(async (trx) => {
    const rows = await markDestroyed(trx, { volumeIds: params.volumeIds, actNumber: params.actNumber, actDate: params.actDate, today: localDay(ctx.now()), at: ctx.now().toISOString() });
    for (const row of rows) {
      ctx.audit({
        entity: 'archive_volume',
        entityId: row.id,
        action: 'destroy',
        details: { archiveNo: row.archiveNo, version: row.version, actNumber: params.actNumber, actDate: params.actDate },
      });
    }
    return rows;
  });
  // After the commit: the register already says «уничтожено»; a file left behind is reported.
  const notRemoved = removeVolumeFiles(marked, { main: archiveFolder(ctx.app.opened.path), mirror: mirrorFolder(ctx.app.settings.archiveMirrorDir) });
  if (notRemoved.length > 0) {
    await ctx.write(async () => ctx.audit({ entity: 'archive_volume', entityId: null, action: 'destroy.files', details: { notRemoved: notRemoved.length } }));
  }
  return { destroyed: marked.length, notRemoved };
};
