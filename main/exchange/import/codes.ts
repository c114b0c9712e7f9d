import { ApiError } from '../../../common/api/errors';
import { importCodeRecords } from '../../codes/import';
import { mapRows } from '../map';
import type { Importer } from './types';

/**
 * The `access-codes` profile, built-in or a user's copy of it: the engine maps the file's
 * columns to the profile's fields, and the access-codes rules (main/codes/import.ts: a pupil's
 * code never given to a parent, refused electronic access, …) take the records. It writes as for
 * real: in a dry run the runner rolls the savepoint back. Its audit notes go to the runner,
 * which records them and the summary. The secretary's «Коды доступа» dialog comes here too
 * (codes.import runs this profile through the same runner).
 */
export const importAccessCodes: Importer = async (input) => {
  if (input.source.kind !== 'table') throw new ApiError('refused', 'Коды доступа загружаются из таблицы (XLSX или CSV).');
  input.progress(0, 1, 'Коды доступа');
  const mapped = mapRows(input.profile, input.source.file.rows);
  const result = await importCodeRecords({
    db: input.trx,
    profile: input.profile,
    mapped,
    today: input.today,
    at: input.ctx.now().toISOString(),
    audit: input.audit,
    progress: (done, total) => input.progress(done, total, 'Коды доступа'),
  });
  input.progress(1, 1, 'Коды доступа');
  return { counts: { codes: result.counts }, rejected: result.rejected, conflicts: [], warnings: result.warnings };
};
