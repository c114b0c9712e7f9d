/**
 * Drafts and sealing: the two steps every archive volume goes through.
 *
 * For the year batch (main/archive/year-batch*.ts) and the handlers, the entry points are:
 *
 *   createDraft(ctx: HandlerContext, input: CreateDraftInput): Promise<Draft>
 *     Loads the document, prints it (as a volume with the cover when `asVolume`) into
 *     `archive/drafts/<draftId>.pdf`, writes `<draftId>.json`, audits. Pass `session` (a
 *     PdfSession kept open for the whole batch) or `engine`, and `signal` and `onProgress` from
 *     the job. Refusals of the documents (no lessons, unknown class) come through as ApiErrors.
 *     Numbers, version, retention and the key are computed here; the key is created if none yet.
 *
 *   sealDraft(ctx: HandlerContext, draftId: string, options?: { batchId?: number | null }): Promise<VolumeRow>
 *     Checks the draft's SHA-256 and that its number/version is still free, signs, writes the
 *     second copy (if configured), moves the file into the archive, and in one ctx.write
 *     transaction inserts the volume (with `batch_id`), marks the replaced one, audits.
 *     The draft's files are gone afterwards.
 *
 *   discardDraft(ctx: HandlerContext, draftId: string): boolean
 *
 * Both take the context of a `job` method (not wrapped in a transaction): they write with
 * ctx.write in short transactions of their own.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { VOLUME_KIND_LABELS, type Draft, type VolumeDocument, type VolumeRow } from '../../common/api/archive-contract';
import { ApiError } from '../../common/api/errors';
import { localDay } from '../../common/domain/local-day';
import type { Db } from '../../db/connection';
import type { HandlerContext } from '../context';
import type { PdfEngine, PdfSession } from '../print/engine';
import { cleanOldDrafts, draftPdfPath, ensureDraftsFolder, newDraftId, readDraft, removeDraft, writeDraftMeta, type StoredDraft } from './drafts';
import { archiveFolder, copySealed, mirrorFolder, moveSealed, removeFile, resolveStored, volumeRelativeName } from './folders';
import { currentKeyRow, ensureSigningKey, loadSigningKey } from './keys';
import { volumeRowById } from './list';
import { assignNumber, destroyAfter, documentKey, type DocumentKey, type NumberAssignment } from './numbering';
import { archivePrinter } from './printer';
import { signVolume } from './signature';

export interface CreateDraftInput {
  document: VolumeDocument;
  /** With the archive cover, to be sealed (true), or the document alone for `print …` (false). */
  asVolume: boolean;
  /** Two-sided print; default: the setting «Двусторонняя печать по умолчанию». */
  duplex?: boolean;
  engine?: PdfEngine;
  /** A print session shared by the volumes of a batch (one browser for all); left open. */
  session?: PdfSession;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, stage: string) => void;
}

function dbPathOf(ctx: HandlerContext): string {
  const path = ctx.app.opened.path;
  if (path === ':memory:') throw new ApiError('refused', 'Архив хранится рядом с файлом базы данных, а база открыта в памяти: печать для архива невозможна.');
  return path;
}

/** The key fingerprint for the certification sheet; for a volume the key is created if there is none (and must be usable). */
async function fingerprintFor(ctx: HandlerContext, dbPath: string, asVolume: boolean): Promise<string | null> {
  if (!asVolume) return (await currentKeyRow(ctx.db))?.fingerprint ?? null;
  return ctx.write(async (trx) => {
    const key = await ensureSigningKey(trx, dbPath, ctx.now());
    if (key.created) ctx.audit({ action: 'Создание ключа электронной подписи архива', entity: 'archive_key', details: { fingerprint: key.fingerprint } });
    return key.fingerprint;
  });
}

export async function createDraft(ctx: HandlerContext, input: CreateDraftInput): Promise<Draft> {
  const dbPath = dbPathOf(ctx);
  const printer = archivePrinter();
  const settings = ctx.app.settings;
  const today = localDay(ctx.now());
  cleanOldDrafts(dbPath);
  const key = await documentKey(ctx.db, input.document);
  const keyFingerprint = await fingerprintFor(ctx, dbPath, input.asVolume);
  const numbers: NumberAssignment = input.asVolume ? await assignNumber(ctx.db, key) : { archiveNo: '', version: 1, replaces: null };
  const retentionYears = settings.retentionYears[key.kind];
  const duplex = input.duplex ?? settings.duplexByDefault;

  const source = await printer.loadSource(ctx.db, input.document, today);
  const until = destroyAfter(source.dateTo, retentionYears);
  const draftId = newDraftId();
  ensureDraftsFolder(dbPath);
  const outFile = draftPdfPath(dbPath, draftId);
  const printed = await printer.printVolume(source, {
    asVolume: input.asVolume,
    duplex,
    countCoverAndCertification: settings.countCoverAndCertification,
    cover: input.asVolume ? { archiveNo: numbers.archiveNo, version: numbers.version, retentionYears, destroyAfter: until } : null,
    keyFingerprint,
    today,
    outFile,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.engine ? { engine: input.engine } : {}),
    ...(input.session ? { session: input.session } : {}),
  });

  const fileName = input.asVolume
    ? basename(volumeRelativeName({ yearName: key.yearName, archiveNo: numbers.archiveNo, version: numbers.version, title: source.title }))
    : `${source.baseName}.pdf`;
  const draft: Draft = {
    draftId,
    kind: key.kind,
    title: source.title,
    fileName,
    asVolume: input.asVolume,
    duplex,
    pages: printed.pages,
    sheets: printed.sheets,
    sha256: printed.sha256,
    archiveNo: input.asVolume ? numbers.archiveNo : null,
    version: numbers.version,
    replaces: numbers.replaces,
  };
  const stored: StoredDraft = {
    draft,
    document: input.document,
    kind: key.kind,
    yearId: key.yearId,
    classId: key.classId,
    yearName: source.yearName,
    classLabel: source.classLabel,
    dateFrom: source.dateFrom,
    dateTo: source.dateTo,
    retentionYears,
    destroyAfter: until,
    countCoverAndCertification: settings.countCoverAndCertification,
    keyFingerprint,
    createdAt: ctx.now().toISOString(),
    createdBy: ctx.session?.user.id ?? null,
  };
  try {
    await writeDraftMeta(dbPath, stored);
    await ctx.write(async () =>
      ctx.audit({
        entity: key.classId !== null ? 'school_class' : 'school_year',
        entityId: key.classId ?? key.yearId,
        details: { document: key.kind, yearId: key.yearId, classId: key.classId, asVolume: input.asVolume, duplex, pages: printed.pages, sheets: printed.sheets, archiveNo: draft.archiveNo, version: draft.version },
      }),
    );
  } catch (error) {
    removeDraft(dbPath, draftId);
    throw error;
  }
  return draft;
}

export function discardDraft(ctx: HandlerContext, draftId: string): boolean {
  return removeDraft(dbPathOf(ctx), draftId);
}

const STALE = (what: string) => `Пока вы смотрели предпросмотр, ${what}: сформируйте документ заново.`;

/** Refuses when the register has moved on since the draft was printed (another seal took its number, or sealed the same document). */
function assertStillFree(stored: StoredDraft, fresh: NumberAssignment): void {
  const d = stored.draft;
  if (fresh.replaces !== d.replaces) {
    throw new ApiError('conflict', STALE(d.replaces === null ? 'этот документ уже сдали в архив' : 'сданное дело этого документа уже заменили новой версией'));
  }
  if (fresh.archiveNo !== d.archiveNo || fresh.version !== d.version) {
    throw new ApiError('conflict', STALE(`номер дела ${d.archiveNo ?? ''} (версия ${d.version}) уже присвоен другому делу`));
  }
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function keyOf(stored: StoredDraft): DocumentKey {
  return { kind: stored.kind, yearId: stored.yearId, classId: stored.classId, yearName: stored.yearName, endYear: Number((stored.draft.archiveNo ?? '0').slice(0, 4)) };
}

function mirrorRefusal(folder: string, error: unknown): ApiError {
  const code = (error as { code?: unknown } | null)?.code;
  const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'запись запрещена' : code === 'ENOENT' || code === 'ENOTDIR' ? 'папка недоступна' : 'не удалось записать файл';
  return new ApiError(
    'refused',
    `Вторая копия архива не записана в папку «${folder}» (${why}). Подключите диск или разрешите запись в эту папку, либо укажите другую папку второй копии в настройках, и повторите. Дело не сдано в архив, черновик сохранён.`,
  );
}

/** Seals a previewed draft into the register. See the top of this file. */
export async function sealDraft(ctx: HandlerContext, draftId: string, options: { batchId?: number | null } = {}): Promise<VolumeRow> {
  const dbPath = dbPathOf(ctx);
  const stored = readDraft(dbPath, draftId);
  const d = stored.draft;
  if (!d.asVolume || d.archiveNo === null) {
    throw new ApiError('refused', 'Этот черновик напечатан без обложки архивного дела (копия для печати): сдать его в архив нельзя. Сформируйте документ для архива.');
  }
  const draftPdf = draftPdfPath(dbPath, draftId);
  if (sha256Of(draftPdf) !== d.sha256) throw new ApiError('refused', 'Файл черновика изменился после печати: сформируйте документ заново.');
  const key = keyOf(stored);
  assertStillFree(stored, await assignNumber(ctx.db, key));
  const signingKey = await loadSigningKey(ctx.db, dbPath);
  if (stored.keyFingerprint !== signingKey.fingerprint) throw new ApiError('conflict', STALE('ключ электронной подписи архива сменился'));

  const relative = volumeRelativeName({ yearName: stored.yearName, archiveNo: d.archiveNo, version: d.version, title: d.title });
  const mainCopy = resolveStored(archiveFolder(dbPath), relative);
  const mirror = mirrorFolder(ctx.app.settings.archiveMirrorDir);
  const mirrorCopy = mirror ? resolveStored(mirror, relative) : null;

  // The write lock is held while the files move, so the checks, the files and the row agree even
  // with a second process sealing at the same time. The files come first: a crash before the
  // commit leaves only an unregistered file, which a later seal of the same number overwrites.
  const volumeId = await ctx.write(async (trx: Db) => {
    assertStillFree(stored, await assignNumber(trx, key));
    const sealedAt = ctx.now().toISOString();
    const signature = signVolume(signingKey.privateKey, { archiveNo: d.archiveNo ?? '', version: d.version, kind: d.kind, sha256: d.sha256, sealedAt });
    if (mirror && mirrorCopy) {
      try {
        await copySealed(draftPdf, mirror, relative);
      } catch (error) {
        throw mirrorRefusal(mirror, error);
      }
    }
    moveSealed(draftPdf, mainCopy);
    try {
      // One current volume per document (a unique index): the old one steps down first, then
      // learns its successor's id.
      if (d.replaces !== null) {
        await trx.updateTable('archive_volume').set({ status: 'replaced' }).where('id', '=', d.replaces).where('status', '=', 'sealed').execute();
      }
      const inserted = await trx
        .insertInto('archive_volume')
        .values({
          archive_no: d.archiveNo ?? '',
          version: d.version,
          kind: d.kind,
          year_id: stored.yearId,
          class_id: stored.classId,
          title: d.title,
          date_from: stored.dateFrom,
          date_to: stored.dateTo,
          pages: d.pages,
          sheets: d.sheets,
          duplex: d.duplex ? 1 : 0,
          cover_counted: stored.countCoverAndCertification ? 1 : 0,
          retention_years: stored.retentionYears,
          destroy_after: stored.destroyAfter,
          file_name: relative,
          sha256: d.sha256,
          signature,
          key_fingerprint: signingKey.fingerprint,
          sealed_at: sealedAt,
          sealed_by: ctx.session?.user.id ?? null,
          batch_id: options.batchId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (d.replaces !== null) {
        await trx.updateTable('archive_volume').set({ replaced_by: inserted.id }).where('id', '=', d.replaces).execute();
      }
      ctx.audit({
        entity: 'archive_volume',
        entityId: inserted.id,
        details: {
          kind: d.kind,
          label: VOLUME_KIND_LABELS[d.kind],
          archiveNo: d.archiveNo,
          version: d.version,
          yearId: stored.yearId,
          classId: stored.classId,
          pages: d.pages,
          sheets: d.sheets,
          sha256: d.sha256,
          replaces: d.replaces,
          batchId: options.batchId ?? null,
          mirror: mirror !== null,
        },
      });
      return inserted.id;
    } catch (error) {
      // Not registered: put the draft back so the user can retry, and drop the second copy.
      try {
        moveSealed(mainCopy, draftPdf);
        if (mirrorCopy) removeFile(mirrorCopy);
      } catch {
        // The files stay where they are: unregistered, harmless.
      }
      throw error;
    }
  });
  removeDraft(dbPath, draftId);
  const row = await volumeRowById(ctx.db, volumeId);
  if (!row) throw new Error('sealed volume not found after commit');
  return row;
}
