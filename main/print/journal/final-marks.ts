import type { Db } from '../../../db/connection';
import type { FinalMarksData, FinalMarksTable } from '../../../templates/journal/types';
import { periodsOf, rowPupils, type ClassInfo, type RosterPupil } from './roster';

/**
 * The final marks of a class (period, year, exam, final) as the journal and the ledger print
 * them. A pupil who changed class during the year has each mark in one class only: the class
 * they were in at the end of the span (or, when they left the school during it, the class they
 * were in last) — as the paper journals do.
 */

interface Span {
  from: string;
  to: string;
}

/** The class a pupil belonged to at the end of a span: the latest membership overlapping it. */
export function classAtEndOf(memberships: readonly { classId: number; from: string; to: string | null }[], span: Span): number | null {
  let best: { classId: number; from: string } | null = null;
  for (const m of memberships) {
    if (m.from > span.to || (m.to !== null && m.to < span.from)) continue;
    if (!best || m.from > best.from) best = m;
  }
  return best?.classId ?? null;
}

const EXTRA_TABLES = [
  { kind: 'year', title: 'Годовые отметки' },
  { kind: 'exam', title: 'Экзаменационные отметки' },
  { kind: 'final', title: 'Итоговые отметки' },
] as const;

/** The subjects of final-marks tables: ids, full and short names, in curriculum order. */
export interface MarkSubject {
  id: number;
  name: string;
  shortName: string;
}

export async function loadFinalMarks(db: Db, cls: ClassInfo, roster: readonly RosterPupil[]): Promise<FinalMarksData & { subjects: MarkSubject[] }> {
  const pupilIds = roster.map((p) => p.id);
  const periods = await periodsOf(db, cls.yearId, cls.scheme);
  const marks = pupilIds.length
    ? await db
        .selectFrom('final_mark')
        .select(['pupil_id', 'subject_id', 'period_id', 'kind', 'value'])
        .where('year_id', '=', cls.yearId)
        .where('pupil_id', 'in', pupilIds)
        .execute()
    : [];
  const memberships = pupilIds.length
    ? await db
        .selectFrom('class_membership as m')
        .innerJoin('school_class as c', 'c.id', 'm.class_id')
        .select(['m.pupil_id', 'm.class_id', 'm.from_date', 'm.to_date'])
        .where('c.year_id', '=', cls.yearId)
        .where('m.pupil_id', 'in', pupilIds)
        .execute()
    : [];
  const membershipsOf = new Map<number, { classId: number; from: string; to: string | null }[]>();
  for (const m of memberships) {
    const list = membershipsOf.get(m.pupil_id) ?? [];
    list.push({ classId: m.class_id, from: m.from_date, to: m.to_date });
    membershipsOf.set(m.pupil_id, list);
  }
  const yearSpan = { from: cls.yearStart, to: cls.yearEnd };
  const periodSpan = new Map(periods.map((p) => [p.id, { from: p.starts_on, to: p.ends_on }]));
  const ownedHere = (pupilId: number, span: Span | undefined): boolean => span !== undefined && classAtEndOf(membershipsOf.get(pupilId) ?? [], span) === cls.id;
  const shown = marks.filter((m) => ownedHere(m.pupil_id, m.kind === 'period' ? periodSpan.get(m.period_id ?? -1) : yearSpan));

  // Subjects: the class's curriculum, then any other subject with a mark shown here.
  const curriculum = await db.selectFrom('curriculum').select('subject_id').where('class_id', '=', cls.id).execute();
  const subjectIds = [...new Set([...curriculum.map((c) => c.subject_id), ...shown.map((m) => m.subject_id)])];
  const subjects: MarkSubject[] = subjectIds.length
    ? (
        await db.selectFrom('subject').select(['id', 'name', 'short_name']).where('id', 'in', subjectIds).orderBy('sort_order').orderBy('name').execute()
      ).map((s) => ({ id: s.id, name: s.name, shortName: s.short_name || s.name }))
    : [];
  const subjectIndex = new Map(subjects.map((s, i) => [s.id, i]));
  const rowOf = new Map(roster.map((p, i) => [p.id, i]));

  const emptyValues = (): string[][] => roster.map(() => subjects.map(() => ''));
  const tables: (FinalMarksTable & { filled: boolean })[] = [
    ...periods.map((p) => ({ title: `Отметки за ${p.name}`, subjects, values: emptyValues(), filled: false })),
    ...EXTRA_TABLES.map((t) => ({ title: t.title, subjects, values: emptyValues(), filled: false })),
  ];
  const tableOf = new Map<string, (typeof tables)[number]>();
  periods.forEach((p, i) => tableOf.set(`period:${p.id}`, tables[i]!));
  EXTRA_TABLES.forEach((t, i) => tableOf.set(t.kind, tables[periods.length + i]!));
  for (const m of shown) {
    const table = tableOf.get(m.kind === 'period' ? `period:${m.period_id}` : m.kind);
    const row = rowOf.get(m.pupil_id);
    const col = subjectIndex.get(m.subject_id);
    if (!table || row === undefined || col === undefined) continue;
    table.values[row]![col] = m.value;
    table.filled = true;
  }
  return {
    pupils: rowPupils(roster, cls),
    subjects,
    tables: tables.filter((t) => t.filled).map(({ title, subjects: s, values }) => ({ title, subjects: s, values })),
  };
}
