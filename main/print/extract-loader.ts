import { ApiError } from '../../common/api/errors';
import { classLabel, comparePeople } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import type { WeeklyAbsences, WeeklyExtractDay, WeeklyExtractPupil, WeeklyExtractsData, WeeklySubjectSummary } from '../../templates/weekly-extract';
import { latestConsentStatus } from '../consents/eligibility';
import { readSchool } from '../handlers/school';
import { fullName, initialsFirst, safeFileName, type Loaded } from './documents';

/**
 * Data of the weekly paper extracts (выписки) of a class: one per pupil whose family refused
 * electronic results (электронный дневник) or withdrew the consent. The law (and the consent
 * form) promise such families a printed extract of marks and attendance at least weekly.
 */

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'] as const;

/** ISO date plus n days (UTC arithmetic: no time zone can shift the day). */
function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Monday and Sunday of the week that contains the day. */
export function weekOf(day: string): { from: string; to: string } {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  const from = addDays(day, -weekday);
  return { from, to: addDays(from, 6) };
}

const ru = (iso: string) => iso.split('-').reverse().join('.');
/** «02.03» from '2026-03-02'. */
const ruShort = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;

/** How the document names its week: «с 02.03 по 08.03.2026». */
export function weekText(week: { from: string; to: string }): string {
  return `с ${ruShort(week.from)} по ${ru(week.to)}`;
}

type ConsentDecision = Awaited<ReturnType<typeof latestConsentStatus>>;

/** A family without electronic results: a linked guardian whose latest decision is a refusal or a withdrawal. */
function refusesElectronic(decisions: ConsentDecision[]): boolean {
  return decisions.some((d) => d === 'refused' || d === 'withdrawn');
}

/** Ids of the given pupils whose family gets paper extracts. */
export async function pupilsNeedingExtracts(db: Db, pupilIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  if (pupilIds.length === 0) return out;
  const links = await db.selectFrom('pupil_guardian').select(['pupil_id', 'guardian_id']).where('pupil_id', 'in', [...pupilIds]).execute();
  const decisionOf = new Map<number, ConsentDecision>();
  for (const link of links) {
    if (!decisionOf.has(link.guardian_id)) decisionOf.set(link.guardian_id, await latestConsentStatus(db, { guardianId: link.guardian_id }, 'electronic_results'));
  }
  const byPupil = new Map<number, ConsentDecision[]>();
  for (const link of links) {
    const list = byPupil.get(link.pupil_id) ?? [];
    list.push(decisionOf.get(link.guardian_id) ?? null);
    byPupil.set(link.pupil_id, list);
  }
  for (const [pupilId, decisions] of byPupil) if (refusesElectronic(decisions)) out.add(pupilId);
  return out;
}

interface Membership {
  from_date: string;
  to_date: string | null;
}

const memberOn = (spans: Membership[], day: string) => spans.some((m) => m.from_date <= day && (m.to_date === null || m.to_date >= day));

function summarise(days: WeeklyExtractDay[]): { subjects: WeeklySubjectSummary[]; absences: WeeklyAbsences } {
  const bySubject = new Map<string, WeeklySubjectSummary & { order: number }>();
  const absences: WeeklyAbsences = { lessons: 0, missed: 0, sick: 0, excused: 0, unexcused: 0, late: 0 };
  for (const day of days) {
    for (const lesson of day.lessons) {
      absences.lessons += 1;
      const s = bySubject.get(lesson.subject) ?? { subject: lesson.subject, order: lesson.subjectOrder, marks: [], average: null, missed: 0 };
      bySubject.set(lesson.subject, s);
      s.marks.push(...lesson.marks.map((m) => m.value));
      if (lesson.absence === 'О') absences.late += 1;
      else if (lesson.absence) {
        absences.missed += 1;
        s.missed += 1;
        if (lesson.absence === 'Б') absences.sick += 1;
        else if (lesson.absence === 'У') absences.excused += 1;
        else absences.unexcused += 1;
      }
    }
  }
  const subjects = [...bySubject.values()].sort((a, b) => a.order - b.order || a.subject.localeCompare(b.subject, 'ru'));
  for (const s of subjects) {
    // Only numeric marks make an average («зач», «осв» do not).
    const numbers = s.marks.filter((m) => /^[1-5]$/.test(m)).map(Number);
    s.average = numbers.length > 0 ? (numbers.reduce((a, b) => a + b, 0) / numbers.length).toFixed(2).replace('.', ',') : null;
  }
  return { subjects: subjects.map(({ order: _order, ...rest }) => rest), absences };
}

export async function loadWeeklyExtracts(db: Db, classId: number, weekDay: string, today: string): Promise<Loaded<WeeklyExtractsData>> {
  const cls = await db
    .selectFrom('school_class as c')
    .innerJoin('school_year as y', 'y.id', 'c.year_id')
    .leftJoin('staff as s', 's.id', 'c.class_teacher_id')
    .select(['c.id', 'c.parallel', 'c.letter', 'y.name as year_name', 'y.starts_on', 'y.ends_on', 's.last_name', 's.first_name', 's.middle_name'])
    .where('c.id', '=', classId)
    .executeTakeFirst();
  if (!cls) throw new ApiError('not_found', 'Класс не найден: возможно, он удалён. Обновите список классов.');
  const label = classLabel(cls.parallel, cls.letter);
  const week = weekOf(weekDay);
  if (week.to < cls.starts_on || week.from > cls.ends_on) {
    throw new ApiError(
      'invalid_params',
      `Неделя ${weekText(week)} не входит в ${cls.year_name} учебный год класса ${label} (с ${ru(cls.starts_on)} по ${ru(cls.ends_on)}): выберите неделю учебного года.`,
      { week: 'неделя вне учебного года класса' },
    );
  }

  // Members of the class on any day of the week (a pupil who came or left mid-week included).
  const memberships = await db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name', 'p.birth_date', 'm.from_date', 'm.to_date'])
    .where('m.class_id', '=', classId)
    .where('m.from_date', '<=', week.to)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', week.from)]))
    .execute();
  const spansOf = new Map<number, Membership[]>();
  for (const m of memberships) spansOf.set(m.id, [...(spansOf.get(m.id) ?? []), { from_date: m.from_date, to_date: m.to_date }]);
  const needing = await pupilsNeedingExtracts(db, [...spansOf.keys()]);
  if (needing.size === 0) {
    throw new ApiError('refused', `В классе ${label} нет семей, отказавшихся от электронного дневника: выписки печатать не нужно.`);
  }
  const pupils = [...new Map(memberships.filter((m) => needing.has(m.id)).map((m) => [m.id, m])).values()].sort(
    (a, b) =>
      comparePeople({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }, { lastName: b.last_name, firstName: b.first_name, middleName: b.middle_name }) ||
      a.id - b.id,
  );
  const ids = pupils.map((p) => p.id);

  const lessons = await db
    .selectFrom('lesson as l')
    .innerJoin('subject as s', 's.id', 'l.subject_id')
    .select(['l.id', 'l.group_id', 'l.lesson_date', 'l.lesson_number', 'l.topic', 'l.homework', 's.name as subject', 's.sort_order'])
    .where('l.class_id', '=', classId)
    .where('l.lesson_date', '>=', week.from)
    .where('l.lesson_date', '<=', week.to)
    .orderBy('l.lesson_date')
    .orderBy('l.lesson_number')
    .orderBy('s.sort_order')
    .orderBy('l.id')
    .execute();
  if (lessons.length === 0) {
    throw new ApiError('refused', `За неделю ${weekText(week)} в журнале класса ${label} нет уроков (каникулы или журнал ещё не заполнен): выписки печатать не из чего.`);
  }
  const lessonIds = lessons.map((l) => l.id);
  const groupIds = [...new Set(lessons.map((l) => l.group_id).filter((g): g is number => g !== null))];
  const groupMembers = groupIds.length
    ? await db.selectFrom('group_member').select(['group_id', 'pupil_id']).where('group_id', 'in', groupIds).where('pupil_id', 'in', ids).execute()
    : [];
  const inGroup = new Set(groupMembers.map((g) => `${g.group_id}:${g.pupil_id}`));
  const marks = await db
    .selectFrom('mark')
    .select(['lesson_id', 'pupil_id', 'value', 'weight'])
    .where('lesson_id', 'in', lessonIds)
    .where('pupil_id', 'in', ids)
    .orderBy('id')
    .execute();
  const attendance = await db
    .selectFrom('attendance')
    .select(['lesson_id', 'pupil_id', 'code'])
    .where('lesson_id', 'in', lessonIds)
    .where('pupil_id', 'in', ids)
    .orderBy('id')
    .execute();
  const marksOf = new Map<string, { value: string; weight: number }[]>();
  for (const m of marks) {
    const key = `${m.lesson_id}:${m.pupil_id}`;
    marksOf.set(key, [...(marksOf.get(key) ?? []), { value: m.value, weight: m.weight }]);
  }
  const absenceOf = new Map(attendance.map((a) => [`${a.lesson_id}:${a.pupil_id}`, a.code]));

  // Days shown: Monday to Friday always, Saturday and Sunday only when the class had lessons.
  const weekDays = Array.from({ length: 7 }, (_, i) => addDays(week.from, i)).filter((d, i) => i < 5 || lessons.some((l) => l.lesson_date === d));

  const extracts: WeeklyExtractPupil[] = pupils.map((p) => {
    const spans = spansOf.get(p.id) ?? [];
    const days: WeeklyExtractDay[] = weekDays.map((date) => {
      const member = memberOn(spans, date);
      const own = member
        ? lessons.filter((l) => {
            if (l.lesson_date !== date) return false;
            const key = `${l.id}:${p.id}`;
            // A group's lesson is the pupil's when in the group, or when the journal has their mark or absence there.
            return l.group_id === null || inGroup.has(`${l.group_id}:${p.id}`) || marksOf.has(key) || absenceOf.has(key);
          })
        : [];
      return {
        date,
        weekday: WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7] as string,
        member,
        lessons: own.map((l) => {
          const key = `${l.id}:${p.id}`;
          return {
            number: l.lesson_number,
            subject: l.subject,
            subjectOrder: l.sort_order,
            topic: l.topic,
            marks: marksOf.get(key) ?? [],
            absence: absenceOf.get(key) ?? null,
            homework: l.homework,
          };
        }),
      };
    });
    return { fio: fullName(p), birthDate: p.birth_date, days, ...summarise(days) };
  });

  const school = await readSchool(db);
  const teacher = cls.last_name ? initialsFirst(fullName({ last_name: cls.last_name, first_name: cls.first_name ?? '', middle_name: cls.middle_name })) : null;
  const title = `Выписки из электронного журнала, ${label} класс, неделя ${weekText(week)} (выписок: ${extracts.length})`;
  return {
    data: {
      school: { name: school.name || 'Образовательная организация', address: school.address, directorShort: initialsFirst(school.directorName) },
      classLabel: label,
      yearName: cls.year_name,
      teacherShort: teacher,
      from: week.from,
      to: week.to,
      printedOn: today,
      pupils: extracts,
    },
    // The PDF's metadata travels with the file: the class and the week, never a pupil's name.
    meta: {
      title,
      author: school.name,
      subject: 'Выписки текущих отметок, посещаемости и домашних заданий за неделю для семей без электронного дневника',
      keywords: ['Канцелярия', 'выписка', 'электронный журнал', label, cls.year_name],
    },
    baseName: safeFileName(`Выписки ${label} за неделю ${ruShort(week.from)}-${ru(week.to)}`),
    entity: 'school_class',
    entityId: cls.id,
  };
}
