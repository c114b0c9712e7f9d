import type { ImportProfile } from '../../../common/exchange/profile';
import type { ConflictResolution, EntityCounts, ImportConflict, ImportWarning, RejectedRow, ReportEntity } from '../../../common/exchange/report';
import type { Db } from '../../../db/connection';
import type { AuditNote, HandlerContext } from '../../context';
import type { PackageContents, TableFile } from '../read';

/**
 * What every entity importer gets and gives. The runner (run.ts) reads the file, picks the
 * importer by the profile's entity or layout, and merges the results into one report.
 *
 * An importer writes through `trx` as if for real; in a dry run the runner rolls its work back
 * (a savepoint), so the dry run's counts are exactly what the real run would do. Audit notes go
 * to `audit` (not to ctx.audit), and the runner records them only for a real run.
 */
export interface ImporterInput {
  ctx: HandlerContext;
  trx: Db;
  profile: ImportProfile;
  source: { kind: 'table'; file: TableFile } | { kind: 'package'; contents: PackageContents };
  fileName: string;
  resolutions: readonly ConflictResolution[];
  /** The school's local day (common/domain/local-day.ts). */
  today: string;
  /** Reports progress; throws when the user cancelled (nothing is written then). */
  progress(done: number, total: number, stage: string): void;
  audit(note: AuditNote): void;
}

export interface ImporterResult {
  counts: Partial<Record<ReportEntity, EntityCounts>>;
  rejected: RejectedRow[];
  conflicts: ImportConflict[];
  warnings: ImportWarning[];
}

export type Importer = (input: ImporterInput) => Promise<ImporterResult>;
