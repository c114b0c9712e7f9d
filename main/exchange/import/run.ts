import { sql } from 'kysely';
import { ApiError } from '../../../common/api/errors';
import { localDay } from '../../../common/domain/local-day';
import { checkProfile, type FileKind, type ImportProfile } from '../../../common/exchange/profile';
import type { ConflictResolution, ImportReport, RejectedRow } from '../../../common/exchange/report';
import type { AuditNote, HandlerContext } from '../../context';
import type { Job } from '../../jobs/registry';
import { mapRows } from '../map';
import { builtinProfile, BUILTIN_PROFILES } from '../profiles/builtin';
import { readPackageContents, readTable, type TableEncoding, type TableFile } from '../read';
import { rejectedRowsWorkbook } from '../rejected-file';
import { importerFor } from './registry';
import type { ImporterInput } from './types';

/**
 * The import runner: reads the file the way the profile says, hands it to the entity importer,
 * and turns what the importer did into the report of formats.md.
 *
 * The importer writes for real inside `SAVEPOINT exchange_import` of the dispatcher's write
 * transaction. A dry run rolls back to the savepoint, so its counts are exactly those of the real
 * run and nothing stays; a cancel throws and the whole transaction goes. A file refused as a
 * whole (the readers' and mapRows' ApiError) propagates as the error, before anything is written.
 */

export interface RunImportParams {
  fileName: string;
  contentBase64?: string;
  bytes?: Buffer;
  /** A built-in profile id, or a profile object (checked here). */
  profile: string | Record<string, unknown> | ImportProfile;
  encoding?: 'auto' | TableEncoding;
  sheet?: string | number;
  dryRun: boolean;
  resolutions?: readonly ConflictResolution[];
  jobId?: string;
}

export type RejectedFile = { fileName: string; contentBase64: string } | null;

const SAVEPOINT = 'exchange_import';

/** The profile of the call: a built-in by id, or the caller's own, checked with Russian messages. */
export function resolveProfile(profile: RunImportParams['profile']): ImportProfile {
  if (typeof profile === 'string') {
    const found = builtinProfile(profile);
    if (!found) {
      throw new ApiError('invalid_params', `Профиль загрузки «${profile}» неизвестен. Встроенные профили: ${BUILTIN_PROFILES.map((p) => p.id).join(', ')}.`, {
        profile: 'неизвестный профиль',
      });
    }
    return found;
  }
  const checked = checkProfile(profile);
  if (checked.ok) return checked.profile;
  const list = checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new ApiError('invalid_params', `Профиль загрузки не принят: ${list}.`, Object.fromEntries(checked.problems.map((p) => [`profile.${p.path}`, p.message])));
}

const KIND_LABELS: Record<FileKind, string> = { xlsx: 'книга Excel (XLSX)', csv: 'CSV', 'zip-json': 'ZIP-архив с файлами JSON' };

async function readSource(profile: ImportProfile, params: RunImportParams, bytes: Buffer): Promise<ImporterInput['source']> {
  if (profile.layout === 'kiasuo-package') {
    return { kind: 'package', contents: await readPackageContents({ zip: bytes, name: params.fileName }) };
  }
  const sheet = params.sheet ?? profile.sheet;
  const file = await readTable(params.fileName, bytes, { encoding: params.encoding ?? 'auto', ...(sheet !== undefined ? { sheet } : {}) });
  if (!profile.fileKinds.includes(file.kind)) {
    throw new ApiError('refused', `Файл «${params.fileName}» — ${KIND_LABELS[file.kind]}, а профиль «${profile.title}» читает только: ${profile.fileKinds.map((k) => KIND_LABELS[k]).join(', ')}.`);
  }
  return { kind: 'table', file };
}

/** The refused rows as a workbook of the file's own columns plus the reasons, to fix and load again. */
async function rejectedWorkbook(profile: ImportProfile, fileName: string, file: TableFile, rejected: readonly RejectedRow[]): Promise<RejectedFile> {
  if (profile.layout !== 'table' || rejected.length === 0) return null;
  const { headerRow } = mapRows(profile, file.rows);
  const header = file.rows.find((r) => r.row === headerRow);
  if (!header) return null;
  const reasons = new Map<number, string[]>();
  for (const r of rejected) reasons.set(r.row, [...(reasons.get(r.row) ?? []), `${r.column}: ${r.reason}`]);
  const book = await rejectedRowsWorkbook(header, file.rows, reasons);
  const base = fileName.replace(/\.[^.]+$/, '');
  return { fileName: `${base} — отклонённые строки.xlsx`, contentBase64: book.toString('base64') };
}

function progressOf(job: Job): ImporterInput['progress'] {
  return (done, total, stage) => {
    job.progress(done, total, stage);
    if (job.signal.aborted) throw new ApiError('cancelled', 'Загрузка отменена. Данные не изменены.');
  };
}

export async function runImport(ctx: HandlerContext, params: RunImportParams): Promise<ImportReport & { rejectedFile: RejectedFile }> {
  const profile = resolveProfile(params.profile);
  const importer = importerFor(profile);
  return ctx.app.jobs.run(params.jobId, async (job) => {
    const progress = progressOf(job);
    progress(0, 1, 'Чтение файла');
    const bytes = params.bytes ?? Buffer.from(params.contentBase64 ?? '', 'base64');
    if (bytes.length === 0) throw new ApiError('refused', `Файл «${params.fileName}» пуст.`);
    const source = await readSource(profile, params, bytes);
    await job.checkpoint();

    const notes: AuditNote[] = [];
    const input: ImporterInput = {
      ctx,
      trx: ctx.db,
      profile,
      source,
      fileName: params.fileName,
      resolutions: params.resolutions ?? [],
      today: localDay(ctx.now()),
      progress,
      audit: (note) => notes.push(note),
    };
    await sql.raw(`savepoint ${SAVEPOINT}`).execute(ctx.db);
    let result;
    try {
      result = await importer(input);
    } catch (error) {
      await sql.raw(`rollback to ${SAVEPOINT}`).execute(ctx.db);
      await sql.raw(`release ${SAVEPOINT}`).execute(ctx.db);
      throw error;
    }
    if (params.dryRun) await sql.raw(`rollback to ${SAVEPOINT}`).execute(ctx.db);
    await sql.raw(`release ${SAVEPOINT}`).execute(ctx.db);

    const warnings = [...result.warnings];
    if (source.kind === 'package') warnings.push(...source.contents.warnings.map((w) => ({ column: w.entry, reason: w.reason })));
    const report: ImportReport = {
      profile: profile.id,
      file: params.fileName,
      dryRun: params.dryRun,
      counts: result.counts,
      rejected: result.rejected,
      conflicts: result.conflicts,
      warnings,
    };
    // The audit log learns what was done, never the file's cell values. A dry run is recorded
    // too (as an attempt): otherwise the dispatcher would record the call's parameters, the file.
    if (!params.dryRun) for (const note of notes) ctx.audit(note);
    ctx.audit({
      entity: 'import',
      details: { profile: profile.id, file: params.fileName, dryRun: params.dryRun, counts: report.counts, rejected: report.rejected.length, conflicts: report.conflicts.length },
    });
    const rejectedFile = source.kind === 'table' ? await rejectedWorkbook(profile, params.fileName, source.file, report.rejected) : null;
    return { ...report, rejectedFile };
  });
}
