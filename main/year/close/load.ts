import { sql } from 'kysely';
import { ApiError } from '../../../common/api/errors';
import type { Decision } from '../../../common/api/year-contract';
import type { Db } from '../../../db/connection';
import { isRealIsoDate } from '../../../common/domain/person';
import { ruDate, yearLabelOf } from '../../contingent/dates';
import { defaultYearDates, nextYearName } from './names';

/**
 * Everything the close planner needs, read in a handful of set queries (a 3,000-pupil year is
 * ~40,000 year marks: reading them per pupil would cost more than the whole close).
 */
export interface CloseInput {
  year: { id: number; name: string; startsOn: string; endsOn: string; closed: boolean };
  orderDate: string;
  classes: Map<number, { id: number; parallel: number; letter: string; periodScheme: 'quarters' | 'halves' | 'trimesters'; classTeacherId: number | null }>;
  pupils: CloseInputPupil[];
  /** Pupils in a class on the last day whose membership an event after the year already ended. */
  leftAfterYear: { pupilId: number; name: string; classId: number }[];
  /** Subject ids of each class's curriculum. */
  curriculum: Map<number, number[]>;
  subjects: Map<number, { name: string; sortOrder: number }>;
  /** pupilId → subjectId → the year mark. */
  yearMarks: Map<number, Map<number, string>>;
  explicit: Map<number, { decision: Decision; subjectIds: number[] }>;
  /** Classes whose class journal of the year is sealed in the archive. */
  sealedJournals: Set<number>;
  nextYear: {
    name: string;
    id: number | null;
    startsOn: string;
    endsOn: string;
    /** Its classes with the pupils already in them on its first day (admitted for the new year). */
    classes: { id: number; parallel: number; letter: string; pupils: number }[];
  };
  orderBook: { yearLabel: string; lastSeq: number; suffix: string };
}

const CLOSE_EVENT_KIND_LIST = ['promotion', 'conditional_promotion', 'repeat', 'graduation'] as const;
const CLOSE_EVENT_KINDS: ReadonlySet<string> = new Set(CLOSE_EVENT_KIND_LIST);

export interface CloseInputPupil {
  pupilId: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  classId: number;
  membershipId: number;
  /** First day in the class of the last day (admission or transfer). */
  membershipFromDate: string;
  membershipToDate: string | null;
  membershipEndEventId: number | null;
  hasAdmissionOrder: boolean;
}

/** The default order date: the year's last day, or today when today is earlier and inside the year. */
export function defaultOrderDate(year: { startsOn: string; endsOn: string }, today: string): string {
  return today < year.endsOn && today >= year.startsOn ? today : year.endsOn;
}

export async function loadCloseInput(db: Db, params: { yearId: number; orderDate?: string | undefined; today: string; orderSuffix: string }): Promise<CloseInput> {
  const y = await db.selectFrom('school_year').selectAll().where('id', '=', params.yearId).executeTakeFirst();
  if (!y) throw new ApiError('not_found', `Учебный год № ${params.yearId} не найден. Выберите год из списка учебных годов.`, { yearId: 'нет такого учебного года' });
  const year = { id: y.id, name: y.name, startsOn: y.starts_on, endsOn: y.ends_on, closed: y.closed === 1 };
  const nextName = nextYearName(year.name);
  const next = await db.selectFrom('school_year').selectAll().where('name', '=', nextName).executeTakeFirst();
  const nextDates = next ? { startsOn: next.starts_on, endsOn: next.ends_on } : defaultYearDates(nextName);

  const orderDate = params.orderDate ?? defaultOrderDate(year, params.today);
  // The API checks only the shape ГГГГ-ММ-ДД: «2026-02-30» would otherwise date four orders and every pupil's movement.
  if (!isRealIsoDate(orderDate)) {
    throw new ApiError('invalid_params', `Дата приказов «${orderDate}» не существует в календаре: укажите настоящую дату в формате ГГГГ-ММ-ДД (обычно — последний день учебного года, ${ruDate(year.endsOn)}).`, {
      orderDate: 'несуществующая дата',
    });
  }
  if (orderDate < year.startsOn || orderDate >= nextDates.startsOn || yearLabelOf(orderDate) !== yearLabelOf(year.endsOn)) {
    throw new ApiError(
      'invalid_params',
      `Дата приказов ${ruDate(orderDate)} вне учебного года ${year.name}: укажите дату с ${ruDate(year.startsOn)} до начала следующего года (обычно — последний день учебного года, ${ruDate(year.endsOn)}).`,
      { orderDate: 'дата вне учебного года' },
    );
  }

  const classRows = await db.selectFrom('school_class').select(['id', 'parallel', 'letter', 'period_scheme', 'class_teacher_id']).where('year_id', '=', year.id).execute();
  const classes = new Map(classRows.map((c) => [c.id, { id: c.id, parallel: c.parallel, letter: c.letter, periodScheme: c.period_scheme, classTeacherId: c.class_teacher_id }]));

  const memberships = await db
    .selectFrom('class_membership as m')
    .innerJoin('school_class as c', 'c.id', 'm.class_id')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .leftJoin('movement_event as se', 'se.id', 'm.start_event_id')
    .leftJoin('movement_event as ee', 'ee.id', 'm.end_event_id')
    .select(['m.id', 'm.pupil_id', 'm.class_id', 'm.from_date', 'm.to_date', 'm.end_event_id', 'p.last_name', 'p.first_name', 'p.middle_name', 'se.order_id', 'ee.kind as end_kind'])
    .where('c.year_id', '=', year.id)
    .where('m.from_date', '<=', year.endsOn)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', year.endsOn)]))
    .orderBy('m.from_date', 'desc')
    .execute();
  const seen = new Set<number>();
  const pupils: CloseInputPupil[] = [];
  const leftAfterYear: CloseInput['leftAfterYear'] = [];
  for (const m of memberships) {
    if (seen.has(m.pupil_id)) continue;
    seen.add(m.pupil_id);
    // Ended by a later event (a leaving over the summer) — but not by the close itself: a closed
    // year still shows the pupils it moved.
    if (m.to_date !== null && m.end_event_id !== null && !CLOSE_EVENT_KINDS.has(m.end_kind ?? '')) {
      leftAfterYear.push({ pupilId: m.pupil_id, name: `${m.last_name} ${m.first_name}`, classId: m.class_id });
      continue;
    }
    pupils.push({
      pupilId: m.pupil_id,
      lastName: m.last_name,
      firstName: m.first_name,
      middleName: m.middle_name,
      classId: m.class_id,
      membershipId: m.id,
      membershipFromDate: m.from_date,
      membershipToDate: m.to_date,
      membershipEndEventId: m.end_event_id,
      hasAdmissionOrder: m.order_id !== null,
    });
  }

  const curriculumRows = await db
    .selectFrom('curriculum as k')
    .innerJoin('school_class as c', 'c.id', 'k.class_id')
    .select(['k.class_id', 'k.subject_id'])
    .where('c.year_id', '=', year.id)
    .execute();
  const curriculum = new Map<number, number[]>();
  for (const row of curriculumRows) {
    const list = curriculum.get(row.class_id) ?? [];
    list.push(row.subject_id);
    curriculum.set(row.class_id, list);
  }
  const subjects = new Map((await db.selectFrom('subject').select(['id', 'name', 'sort_order']).execute()).map((s) => [s.id, { name: s.name, sortOrder: s.sort_order }]));

  const yearMarks = new Map<number, Map<number, string>>();
  const marks = await db.selectFrom('final_mark').select(['pupil_id', 'subject_id', 'value']).where('year_id', '=', year.id).where('kind', '=', 'year').execute();
  for (const mark of marks) {
    let own = yearMarks.get(mark.pupil_id);
    if (!own) yearMarks.set(mark.pupil_id, (own = new Map()));
    own.set(mark.subject_id, mark.value);
  }

  const explicit = new Map<number, { decision: Decision; subjectIds: number[] }>();
  for (const d of await db.selectFrom('year_decision').select(['pupil_id', 'decision', 'subject_ids']).where('year_id', '=', year.id).execute()) {
    explicit.set(d.pupil_id, { decision: d.decision, subjectIds: parseIds(d.subject_ids) });
  }

  const sealed = await db
    .selectFrom('archive_volume')
    .select('class_id')
    .where('year_id', '=', year.id)
    .where('kind', '=', 'class_journal')
    .where('status', 'in', ['sealed', 'destroyed'])
    .execute();
  const sealedJournals = new Set(sealed.map((v) => v.class_id).filter((id): id is number => id !== null));

  const nextClasses = next
    ? await db
        .selectFrom('school_class as c')
        .select(['c.id', 'c.parallel', 'c.letter'])
        .select((eb) =>
          eb
            .selectFrom('class_membership as m')
            .leftJoin('movement_event as se', 'se.id', 'm.start_event_id')
            .whereRef('m.class_id', '=', 'c.id')
            // Pupils the close itself moved in (a closed year's preview) are counted by their decisions, not twice.
            .where((w) => w.or([w('se.kind', 'is', null), w('se.kind', 'not in', CLOSE_EVENT_KIND_LIST)]))
            .where('m.from_date', '<=', next.starts_on)
            .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', next.starts_on)]))
            .select(sql<number>`count(*)`.as('n'))
            .as('pupils'),
        )
        .where('c.year_id', '=', next.id)
        .execute()
    : [];

  const yearLabel = yearLabelOf(orderDate);
  const last = await db.selectFrom('pupil_order').select((eb) => eb.fn.max('seq').as('seq')).where('year_label', '=', yearLabel).executeTakeFirst();

  return {
    year,
    orderDate,
    classes,
    pupils,
    leftAfterYear,
    curriculum,
    subjects,
    yearMarks,
    explicit,
    sealedJournals,
    nextYear: {
      name: nextName,
      id: next?.id ?? null,
      ...nextDates,
      classes: nextClasses.map((c) => ({ id: c.id, parallel: c.parallel, letter: c.letter, pupils: Number(c.pupils ?? 0) })),
    },
    orderBook: { yearLabel, lastSeq: Number(last?.seq ?? 0), suffix: params.orderSuffix },
  };
}

function parseIds(json: string): number[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is number => Number.isInteger(v)) : [];
  } catch {
    return [];
  }
}
