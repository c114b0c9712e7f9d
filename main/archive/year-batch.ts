import type { VolumeDocument, VolumeKind, VolumeRow } from '../../common/api/archive-contract';
import { ApiError } from '../../common/api/errors';
import type { HandlerContext } from '../context';
import type { Job } from '../jobs/registry';
import { logError } from '../log';
import { currentVolume } from './numbering';
import { findYear, yearDocuments, type YearDocument } from './year-batch-documents';

/**
 * «Печать года»: every journal and ledger of a year printed and sealed one after another, in the
 * background. The resume is the register itself: a document that already has a current sealed
 * volume is skipped (`alreadyDone`), so a run stopped by a cancel, a failure or a crash goes on
 * where it stopped without redoing finished volumes. The run is recorded in `archive_batch`
 * (running → finished when it went through the whole list, interrupted when it stopped early);
 * a row left «running» by a crashed process is taken over by the next run of the same year.
 * (Two processes on one database taking the same year at once stay correct: sealing re-checks
 * the register inside its write transaction, so the slower one lists that document as failed.)
 * One volume is printed at a time, so memory stays that of one volume.
 */

export interface SealOneInput {
  document: VolumeDocument;
  duplex: boolean;
  batchId: number;
  signal: AbortSignal;
  onProgress: (done: number, total: number, stage: string) => void;
}

/** Prints one document as a volume and seals it with `batch_id` set (the register's draft + seal). */
export type SealOne = (input: SealOneInput) => Promise<VolumeRow>;

export interface YearBatchParams {
  yearId: number;
  kinds: readonly VolumeKind[];
  duplex: boolean;
}

export interface YearBatchResult {
  batchId: number;
  total: number;
  sealed: VolumeRow[];
  alreadyDone: number;
  failed: { title: string; error: string }[];
}

/** Years being printed in this process (per app): a second run of the same year is refused, not taken over. */
const runningYears = new WeakMap<object, Set<number>>();

function claimYear(app: object, yearId: number, yearName: string): () => void {
  let years = runningYears.get(app);
  if (!years) {
    years = new Set();
    runningYears.set(app, years);
  }
  if (years.has(yearId)) throw new ApiError('conflict', `Печать документов ${yearName} учебного года уже идёт. Дождитесь её окончания или прервите её.`);
  years.add(yearId);
  const claimed = years;
  return () => claimed.delete(yearId);
}

/** Opens the run's record, or takes over one a crashed process left «running». */
async function openBatch(ctx: HandlerContext, params: YearBatchParams): Promise<number> {
  return ctx.write(async (trx) => {
    const stale = await trx.selectFrom('archive_batch').select('id').where('year_id', '=', params.yearId).where('status', '=', 'running').orderBy('id', 'desc').execute();
    const kinds = JSON.stringify(params.kinds);
    const duplex = params.duplex ? 1 : 0;
    const [taken, ...older] = stale;
    if (older.length > 0) {
      await trx
        .updateTable('archive_batch')
        .set({ status: 'interrupted', finished_at: ctx.now().toISOString() })
        .where(
          'id',
          'in',
          older.map((r) => r.id),
        )
        .execute();
    }
    if (taken) {
      await trx.updateTable('archive_batch').set({ kinds, duplex }).where('id', '=', taken.id).execute();
      ctx.audit({ entity: 'archive_batch', entityId: taken.id, action: 'takeover', details: { yearId: params.yearId, kinds: params.kinds, duplex: params.duplex } });
      return taken.id;
    }
    const inserted = await trx
      .insertInto('archive_batch')
      .values({ year_id: params.yearId, kinds, duplex, started_at: ctx.now().toISOString(), started_by: ctx.session?.user.id ?? null, status: 'running' })
      .returning('id')
      .executeTakeFirstOrThrow();
    ctx.audit({ entity: 'archive_batch', entityId: inserted.id, action: 'start', details: { yearId: params.yearId, kinds: params.kinds, duplex: params.duplex } });
    return inserted.id;
  });
}

async function closeBatch(ctx: HandlerContext, batchId: number, status: 'finished' | 'interrupted', counts: Record<string, number>): Promise<void> {
  await ctx.write(async (trx) => {
    await trx.updateTable('archive_batch').set({ status, finished_at: ctx.now().toISOString() }).where('id', '=', batchId).execute();
    ctx.audit({ entity: 'archive_batch', entityId: batchId, action: status, details: counts });
  });
}

/** The Russian reason a document failed; unexpected errors are logged (no personal data) and named generally. */
function failureReason(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  logError('печать года: документ', error);
  return 'Внутренняя ошибка при печати документа (подробности в журнале ошибок программы). Повторите печать года: готовые дела не будут напечатаны заново.';
}

function isCancel(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof ApiError && error.code === 'cancelled');
}

async function alreadySealed(ctx: HandlerContext, yearId: number, doc: YearDocument): Promise<boolean> {
  return (await currentVolume(ctx.db, { kind: doc.kind, yearId, classId: doc.classId })) !== undefined;
}

export async function runYearBatch(ctx: HandlerContext, job: Job, params: YearBatchParams, sealOne: SealOne): Promise<YearBatchResult> {
  const year = await findYear(ctx.db, params.yearId);
  const release = claimYear(ctx.app, year.id, year.name);
  try {
    const documents = await yearDocuments(ctx.db, year.id, params.kinds);
    if (documents.length === 0) {
      throw new ApiError('refused', `В ${year.name} учебном году нет классов с уроками, а сводные ведомости не выбраны: печатать нечего.`);
    }
    const batchId = await openBatch(ctx, params);
    const total = documents.length;
    const result: YearBatchResult = { batchId, total, sealed: [], alreadyDone: 0, failed: [] };
    const counts = () => ({ total, sealed: result.sealed.length, alreadyDone: result.alreadyDone, failed: result.failed.length });
    try {
      for (const [index, doc] of documents.entries()) {
        await job.checkpoint();
        if (await alreadySealed(ctx, year.id, doc)) {
          result.alreadyDone += 1;
          continue;
        }
        job.progress(index, total, doc.title);
        try {
          const row = await sealOne({
            document: doc.document,
            duplex: params.duplex,
            batchId,
            signal: job.signal,
            onProgress: (_done, _total, stage) => job.progress(index, total, `${doc.title} — ${stage}`),
          });
          result.sealed.push(row);
        } catch (error) {
          if (isCancel(error, job.signal)) throw error;
          result.failed.push({ title: doc.title, error: failureReason(error) });
        }
      }
    } catch (error) {
      await closeBatch(ctx, batchId, 'interrupted', counts()).catch((closeError: unknown) => logError('печать года: запись о прерывании', closeError));
      if (isCancel(error, job.signal)) throw new ApiError('cancelled', `Печать года прервана. Сдано в архив дел: ${result.sealed.length}; при повторном запуске готовые дела напечатаны заново не будут.`);
      throw error;
    }
    await closeBatch(ctx, batchId, 'finished', counts());
    job.progress(total, total, 'Готово');
    return result;
  } finally {
    release();
  }
}
