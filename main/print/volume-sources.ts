import type { VolumeDocument } from '../../common/api/archive-contract';
import type { Db } from '../../db/connection';
import { classJournalSource } from './journal/source';
import { ledgerSource } from './ledgers/source';
import type { VolumeSource } from './volume/source';

/**
 * The documents printed for the archive (class journal, the three summary ledgers) as sources
 * for the volume printer (main/print/volume/print-volume.ts). Unknown classes and years are
 * refused with not_found; a journal without lessons is refused.
 *
 * `today` is accepted for the printer's sake (documents that depend on the day); the journal
 * and the ledgers show the year's own dates and do not use it.
 */
export async function loadVolumeSource(db: Db, document: VolumeDocument, _today: string): Promise<VolumeSource> {
  switch (document.kind) {
    case 'class_journal':
      return classJournalSource(db, document.classId);
    case 'final_marks_ledger':
    case 'attendance_ledger':
    case 'movement_ledger':
      return ledgerSource(db, document.kind, document.yearId, document.classId);
  }
}
