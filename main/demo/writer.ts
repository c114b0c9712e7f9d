import type { Insertable } from 'kysely';
import type { Db } from '../../db/connection';
import type { Database } from '../../db/schema';
import type { Job } from '../jobs/registry';

/**
 * Multi-row inserts in batches, with a checkpoint after each one (a cancel gets through and the
 * window stays responsive). 1,000 rows of ten columns are 10,000 bound values, well under
 * SQLite's limit of 32,766.
 */
export const BATCH_ROWS = 1000;

/** Safe for every table: no table of the schema has more than 33 columns to insert. */
function rowsPerBatch(columns: number): number {
  return Math.max(1, Math.min(BATCH_ROWS, Math.floor(30_000 / Math.max(1, columns))));
}

export async function insertBatches<T extends keyof Database & string>(
  db: Db,
  job: Job,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const size = rowsPerBatch(Object.keys(rows[0] as object).length);
  for (let i = 0; i < rows.length; i += size) {
    // Kysely cannot narrow a generic table name to its row type; the rows are typed by the caller.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
    await job.checkpoint();
  }
}

/** Progress over weighted stages, reported as 0‥1000 with the Russian stage name. */
export class Progress {
  private readonly offsets = new Map<string, [number, number]>();
  private readonly total: number;

  constructor(
    private readonly job: Job,
    stages: readonly (readonly [string, number])[],
  ) {
    let at = 0;
    for (const [name, weight] of stages) {
      this.offsets.set(name, [at, weight]);
      at += weight;
    }
    this.total = at;
  }

  report(stage: string, fraction: number): void {
    const [offset, weight] = this.offsets.get(stage) ?? [0, 0];
    const done = Math.round(((offset + weight * Math.min(1, Math.max(0, fraction))) * 1000) / this.total);
    this.job.progress(done, 1000, stage);
  }

  finish(stage: string): void {
    this.job.progress(1000, 1000, stage);
  }
}
