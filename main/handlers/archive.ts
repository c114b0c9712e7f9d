import { existsSync, readFileSync } from 'node:fs';
import { ApiError } from '../../common/api/errors';
import type { archiveMethods } from '../../common/api/archive-contract';
import { draftPdfPath, readDraft } from '../archive/drafts';
import { archiveFolder, mirrorFolder, resolveStored } from '../archive/folders';
import { currentKeyRow } from '../archive/keys';
import { listVolumes, volumeRowById } from '../archive/list';
import { createDraft, discardDraft as discardDraftFiles, sealDraft } from '../archive/seal';
import { verifyArchive } from '../archive/verify';
import type { Handler, HandlerContext } from '../context';
import { destroy, destructionAct } from './archive-destruction';
import { syncMirror } from './archive-mirror';
import { sealYear } from './archive-year';

/**
 * The archive register: drafts printed for preview, sealing them into the register (signed,
 * two copies), the inventory, and the integrity check. The logic is in main/archive/; here the
 * calls become jobs with progress and cancel, and leave their audit entries.
 */

const preview: Handler<'archive.preview'> = async (ctx, params) =>
  ctx.app.jobs.run(params.jobId, async (job) =>
    createDraft(ctx, {
      document: params.document,
      asVolume: params.asVolume,
      ...(params.duplex !== undefined ? { duplex: params.duplex } : {}),
      signal: job.signal,
      onProgress: (done, total, stage) => job.progress(done, total, stage),
    }),
  );

/** Journals and ledgers hold children's personal data: who opened which PDF is recorded (never its content). */
function auditOpened(ctx: HandlerContext, note: { entity: string; entityId: number | null; details: Record<string, unknown> }): Promise<void> {
  return ctx.write(async () => ctx.audit(note));
}

const file: Handler<'archive.file'> = async (ctx, params) => {
  const dbPath = ctx.app.opened.path;
  if ('draftId' in params) {
    const stored = readDraft(dbPath, params.draftId);
    const pdfBase64 = readFileSync(draftPdfPath(dbPath, params.draftId)).toString('base64');
    await auditOpened(ctx, { entity: 'archive_draft', entityId: null, details: { kind: stored.draft.kind, archiveNo: stored.draft.archiveNo } });
    return { fileName: stored.draft.fileName, pages: stored.draft.pages, pdfBase64 };
  }
  const row = await volumeRowById(ctx.db, params.volumeId);
  if (!row) throw new ApiError('not_found', 'Дело не найдено в описи архива. Обновите список.');
  if (row.status === 'destroyed') throw new ApiError('refused', `Дело № ${row.archiveNo} уничтожено по акту: его файла больше нет.`);
  const path = resolveStored(archiveFolder(dbPath), row.fileName);
  if (!existsSync(path)) {
    throw new ApiError(
      'not_found',
      `Файл дела № ${row.archiveNo} не найден в папке архива (${row.fileName}). Восстановите его из второй копии или из резервной копии и запустите проверку архива.`,
    );
  }
  const basename = row.fileName.split('/').pop() ?? row.fileName;
  const pdfBase64 = readFileSync(path).toString('base64');
  await auditOpened(ctx, { entity: 'archive_volume', entityId: row.volumeId, details: { kind: row.kind, archiveNo: row.archiveNo, version: row.version } });
  return { fileName: basename, pages: row.pages, pdfBase64 };
};

const discardDraft: Handler<'archive.discardDraft'> = async (ctx, params) => {
  const discarded = discardDraftFiles(ctx, params.draftId);
  await ctx.write(async () => ctx.audit({ entity: 'archive_draft', entityId: null, details: { discarded } }));
  return { discarded };
};

const seal: Handler<'archive.seal'> = async (ctx, params) => sealDraft(ctx, params.draftId);

const list: Handler<'archive.list'> = async (ctx, params) => ({
  rows: await listVolumes(ctx.db, {
    ...(params.yearId !== undefined ? { yearId: params.yearId } : {}),
    ...(params.kind !== undefined ? { kind: params.kind } : {}),
    all: params.all,
  }),
  keyFingerprint: (await currentKeyRow(ctx.db))?.fingerprint ?? null,
  archiveDir: archiveFolder(ctx.app.opened.path),
  mirrorDir: mirrorFolder(ctx.app.settings.archiveMirrorDir),
});

const verify: Handler<'archive.verify'> = async (ctx, params) =>
  ctx.app.jobs.run(params.jobId, async (job) => {
    const mirrorDir = mirrorFolder(ctx.app.settings.archiveMirrorDir);
    const outcome = await verifyArchive(ctx.db, {
      archiveDir: archiveFolder(ctx.app.opened.path),
      mirrorDir,
      onVolume: async (done, total) => {
        job.progress(done, total, 'Проверка архивных дел');
        await job.checkpoint();
      },
    });
    await ctx.write(async () =>
      ctx.audit({
        entity: 'archive_volume',
        entityId: null,
        details: { checkedVolumes: outcome.checkedVolumes, checkedCopies: outcome.checkedCopies, problems: outcome.problems.length, volumesWithProblems: [...new Set(outcome.problems.map((p) => p.volumeId))], mirror: mirrorDir !== null },
      }),
    );
    return { ...outcome, keyFingerprint: (await currentKeyRow(ctx.db))?.fingerprint ?? null };
  });

export const archiveHandlers: { [M in keyof typeof archiveMethods]: Handler<M> } = {
  'archive.preview': preview,
  'archive.file': file,
  'archive.discardDraft': discardDraft,
  'archive.seal': seal,
  'archive.list': list,
  'archive.verify': verify,
  'archive.destructionAct': destructionAct,
  'archive.destroy': destroy,
  'archive.sealYear': sealYear,
  'archive.syncMirror': syncMirror,
};
