import type { ExportParams } from '../../../common/api/exchange-contract';
import type { Db } from '../../../db/connection';
import { kiasuoPackage } from './kiasuo';
import { movementExport } from './movement';
import { rosterExport } from './roster';
import { writeWorkbook, type ExportJob } from './sheet-writer';

/** One export, ready to hand over: the file's name and bytes, and how many records it holds. */
export interface ExportFile {
  fileName: string;
  content: Buffer;
  rows: number;
}

/** A job that reports nowhere and is never cancelled (exports run outside a job by tests and the bench). */
const QUIET: ExportJob = { progress: () => undefined, checkpoint: () => Promise.resolve() };

/**
 * Runs the export profile the params name (validated by the contract's schema), reporting its
 * stages to the job: reading the register, then writing the file row by row. A cancel stops it
 * at the next checkpoint; nothing is written anywhere, so there is nothing to undo.
 */
export async function runExport(db: Db, params: ExportParams, today: string, job: ExportJob = QUIET): Promise<ExportFile> {
  job.progress(0, 1, 'Чтение реестра');
  await job.checkpoint();
  switch (params.profile) {
    case 'roster': {
      const roster = await rosterExport(db, today, {
        ...(params.classId !== undefined ? { classId: params.classId } : {}),
        ...(params.admittedSince !== undefined ? { admittedSince: params.admittedSince } : {}),
        ...(params.withoutCodes !== undefined ? { withoutCodes: params.withoutCodes } : {}),
      });
      return { fileName: `Список обучающихся ${roster.scopeLabel} на ${roster.day}.xlsx`, content: await writeWorkbook(roster.sheet, job), rows: roster.rows };
    }
    case 'movement': {
      // The schema requires both ends of the period for this profile.
      const from = params.from!;
      const to = params.to!;
      const movement = await movementExport(db, from, to);
      return { fileName: `Движение обучающихся ${from} — ${to}.xlsx`, content: await writeWorkbook(movement.sheet, job), rows: movement.rows };
    }
    case 'kiasuo': {
      const pack = await kiasuoPackage(db, today, params.classId);
      await job.checkpoint();
      return { fileName: `КИАСУО ${pack.yearName.replace('/', '-')} на ${pack.day}.zip`, content: pack.zip, rows: pack.rows };
    }
  }
}
