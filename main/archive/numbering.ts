import type { VolumeDocument, VolumeKind } from '../../common/api/archive-contract';
import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';

/**
 * Archive numbers and terms. A number is «<end year of the school year>-<sequence in that end
 * year, 3 digits>» («2026-003»). A document already sealed keeps its number: the re-print gets
 * version + 1 and replaces the current volume.
 */

/** What identifies a document in the register: at most one current volume per (kind, year, class). */
export interface DocumentKey {
  kind: VolumeKind;
  yearId: number;
  classId: number | null;
  yearName: string;
  /** The year the school year ends (from its last day). */
  endYear: number;
}

export async function documentKey(db: Db, document: VolumeDocument): Promise<DocumentKey> {
  if (document.kind === 'class_journal') {
    const found = await db
      .selectFrom('school_class')
      .innerJoin('school_year', 'school_year.id', 'school_class.year_id')
      .select(['school_year.id as yearId', 'school_year.name', 'school_year.ends_on'])
      .where('school_class.id', '=', document.classId)
      .executeTakeFirst();
    if (!found) throw new ApiError('not_found', 'Класс не найден: возможно, его удалили. Обновите список и выберите класс заново.');
    return { kind: document.kind, yearId: found.yearId, classId: document.classId, yearName: found.name, endYear: Number(found.ends_on.slice(0, 4)) };
  }
  const year = await db.selectFrom('school_year').select(['id', 'name', 'ends_on']).where('id', '=', document.yearId).executeTakeFirst();
  if (!year) throw new ApiError('not_found', 'Учебный год не найден: возможно, его удалили. Обновите список и выберите год заново.');
  if (document.classId !== undefined) {
    const cls = await db.selectFrom('school_class').select('year_id').where('id', '=', document.classId).executeTakeFirst();
    if (!cls || cls.year_id !== year.id) throw new ApiError('not_found', `Класс не найден в ${year.name} учебном году. Выберите класс этого года.`);
  }
  return { kind: document.kind, yearId: year.id, classId: document.classId ?? null, yearName: year.name, endYear: Number(year.ends_on.slice(0, 4)) };
}

/** The document's current (sealed) volume, if any. */
export async function currentVolume(db: Db, key: Pick<DocumentKey, 'kind' | 'yearId' | 'classId'>) {
  let query = db
    .selectFrom('archive_volume')
    .select(['id', 'archive_no', 'version'])
    .where('kind', '=', key.kind)
    .where('year_id', '=', key.yearId)
    .where('status', '=', 'sealed');
  query = key.classId === null ? query.where('class_id', 'is', null) : query.where('class_id', '=', key.classId);
  return query.executeTakeFirst();
}

export interface NumberAssignment {
  archiveNo: string;
  version: number;
  /** The current volume a re-print replaces. */
  replaces: number | null;
}

/** The sequence part of a number of the given end year, or null when the number is of another year. */
function sequenceOf(archiveNo: string, endYear: number): number | null {
  const match = /^(\d{4})-(\d+)$/.exec(archiveNo);
  return match && Number(match[1]) === endYear ? Number(match[2]) : null;
}

export function formatArchiveNo(endYear: number, sequence: number): string {
  return `${endYear}-${String(sequence).padStart(3, '0')}`;
}

/**
 * The number a new print of the document would get. A document with a current (sealed) volume
 * keeps its number with the next version; otherwise the next free sequence of its end year.
 */
export async function assignNumber(db: Db, key: DocumentKey): Promise<NumberAssignment> {
  const current = await currentVolume(db, key);
  if (current) {
    const latest = await db.selectFrom('archive_volume').select((eb) => eb.fn.max('version').as('v')).where('archive_no', '=', current.archive_no).executeTakeFirst();
    return { archiveNo: current.archive_no, version: Number(latest?.v ?? current.version) + 1, replaces: current.id };
  }
  const rows = await db.selectFrom('archive_volume').select('archive_no').where('archive_no', 'like', `${key.endYear}-%`).execute();
  const used = rows.map((r) => sequenceOf(r.archive_no, key.endYear) ?? 0);
  return { archiveNo: formatArchiveNo(key.endYear, Math.max(0, ...used) + 1), version: 1, replaces: null };
}

/**
 * The last day of the term: 31 December of (the year the volume ends + retention years), since
 * archive terms count from 1 January of the year after the documents end.
 */
export function destroyAfter(dateTo: string, retentionYears: number): string {
  return `${Number(dateTo.slice(0, 4)) + retentionYears}-12-31`;
}
