import { VOLUME_KIND_LABELS, VOLUME_KINDS, type VolumeDocument, type VolumeKind } from '../../common/api/archive-contract';
import { ApiError } from '../../common/api/errors';
import { classLabel, compareRu } from '../../common/domain/russian';
import type { Db } from '../../db/connection';

/**
 * What «печать года» prints: the class journal of every class of the year that has lessons, in
 * class order, then for each requested ledger kind the whole-school ledger. The list is the same
 * on every run of the same year and kinds, which is what lets a run resume where one stopped.
 */

export interface YearDocument {
  document: VolumeDocument;
  kind: VolumeKind;
  classId: number | null;
  /** For progress and the list of failures (no personal data): «Классный журнал 5А класса». */
  title: string;
}

export interface YearOfBatch {
  id: number;
  name: string;
}

export async function findYear(db: Db, yearId: number): Promise<YearOfBatch> {
  const year = await db.selectFrom('school_year').select(['id', 'name']).where('id', '=', yearId).executeTakeFirst();
  if (!year) throw new ApiError('not_found', 'Учебный год не найден: возможно, его удалили. Обновите список и выберите год заново.');
  return year;
}

/** Classes of the year with at least one lesson, by parallel and letter. */
async function classesWithLessons(db: Db, yearId: number): Promise<{ id: number; label: string }[]> {
  const rows = await db
    .selectFrom('school_class as c')
    .select(['c.id', 'c.parallel', 'c.letter'])
    .where('c.year_id', '=', yearId)
    .where((eb) => eb.exists(eb.selectFrom('lesson as l').select('l.id').whereRef('l.class_id', '=', 'c.id')))
    .execute();
  rows.sort((a, b) => a.parallel - b.parallel || compareRu(a.letter, b.letter));
  return rows.map((r) => ({ id: r.id, label: classLabel(r.parallel, r.letter) }));
}

/** The documents of a year for the requested kinds, in the order they are printed. */
export async function yearDocuments(db: Db, yearId: number, kinds: readonly VolumeKind[]): Promise<YearDocument[]> {
  const wanted = new Set(kinds);
  const documents: YearDocument[] = [];
  if (wanted.has('class_journal')) {
    for (const cls of await classesWithLessons(db, yearId)) {
      documents.push({
        document: { kind: 'class_journal', classId: cls.id },
        kind: 'class_journal',
        classId: cls.id,
        title: `${VOLUME_KIND_LABELS.class_journal} ${cls.label} класса`,
      });
    }
  }
  for (const kind of VOLUME_KINDS) {
    if (kind === 'class_journal' || !wanted.has(kind)) continue;
    documents.push({ document: { kind, yearId }, kind, classId: null, title: VOLUME_KIND_LABELS[kind] });
  }
  return documents;
}
