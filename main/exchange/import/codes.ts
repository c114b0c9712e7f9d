import { ApiError } from '../../../common/api/errors';
import { importCodeRows } from '../../codes/import';
import type { Importer } from './types';

/**
 * The `access-codes` profile: the rows of the engine's safe reader go to the access-codes import
 * of issue 3 (main/codes/import.ts), which knows the codes' own rules (a pupil's code never
 * given to a parent, refused electronic access, …). It writes as for real: in a dry run the
 * runner rolls the savepoint back. Its audit notes go to the runner, which records the summary.
 */
export const importAccessCodes: Importer = async (input) => {
  if (input.source.kind !== 'table') throw new ApiError('refused', 'Коды доступа загружаются из таблицы (XLSX или CSV).');
  input.progress(0, 1, 'Коды доступа');
  const ctx = { ...input.ctx, db: input.trx, audit: input.audit };
  const report = await importCodeRows(ctx, input.source.file.rows, { fileName: input.fileName, dryRun: false, summary: false });
  input.progress(1, 1, 'Коды доступа');
  return { counts: { codes: report.counts.codes }, rejected: report.rejected, conflicts: [], warnings: report.warnings };
};
