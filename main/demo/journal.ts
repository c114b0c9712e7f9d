import type { Insertable } from 'kysely';
import type { Db } from '../../db/connection';
import type { FinalMarkTable, LessonTable } from '../../db/schema';
import type { Job } from '../jobs/registry';
import { isoDay, weekday, type Day, type SchoolCalendar } from './calendar';
import { SUBJECTS, maxLessonsPerDay, type SubjectDef } from './curriculum';
import type { MembershipPlan } from './movement';
import type { PupilPlan } from './people';
import { Random } from './random';
import type { ClassPlan } from './school';
import { buildTimetable } from './timetable';
import { HomeworkBook, lessonTopic, topicList } from './topics';
import { BATCH_ROWS, insertBatches, type Progress } from './writer';

/**
 * A full year of journal data, written class by class (memory stays small): lessons on the
 * class's school days after its weekly timetable (groups of a split subject meet at the same
 * time), topics and homework, ~2 % of lessons with a substitute teacher; attendance (~5 %
 * absent: illness spells «Б», excused days «У», truancy «Н» and lateness «О») and marks (none in
 * 1st classes), only for pupils who are members of the class (or group) on the day; then the
 * period and year marks of each pupil from their marks.
 */

export interface CurriculumUnit {
  subject: SubjectDef;
  subjectIndex: number;
  subjectId: number;
  hours: number;
  /** One entry for the whole class (groupId null), or one per group. */
  groups: { groupId: number | null; group: 0 | 1 | 2; teacherId: number }[];
}

export interface JournalInput {
  db: Db;
  job: Job;
  progress: Progress;
  stage: string;
  seed: number;
  calendar: SchoolCalendar;
  yearId: number;
  periodIds: { quarters: number[]; halves: number[] };
  classes: readonly ClassPlan[];
  classIds: readonly number[];
  pupils: readonly PupilPlan[];
  pupilIds: readonly number[];
  memberships: readonly MembershipPlan[];
  curriculum: readonly CurriculumUnit[][];
  /** Staff id → ids of teachers who may stand in. */
  substitutes: ReadonlyMap<number, readonly number[]>;
}

export interface JournalCounts {
  lessons: number;
  marks: number;
  attendance: number;
  finalMarks: number;
}

type AbsenceCode = 'Н' | 'Б' | 'У' | 'О';

interface Candidate {
  pupil: PupilPlan;
  pupilId: number;
  from: Day;
  to: Day;
}

interface Unit {
  entry: number;
  unit: CurriculumUnit;
  groupId: number | null;
  teacherId: number;
  candidates: Candidate[];
  topics: readonly string[];
  homework: HomeworkBook;
  total: number;
  /** Lessons of the unit in each period, for the share of pupils marked per lesson. */
  perPeriod: number[];
  testEvery: number;
  n: number;
  period: number;
  counts: Float64Array;
}

/** Quantiles of the standard normal for 5 %, 30 % and 70 %: marks 2 / 3 / 4 / 5 come out ~5 / 25 / 40 / 30 %. */
const CUT_2 = -1.645;
const CUT_3 = -0.524;
const CUT_4 = 0.524;

function markFor(ability: number, rng: Random): string {
  const s = 0.75 * ability + 0.66 * rng.normal();
  if (s < CUT_2) return '2';
  if (s < CUT_3) return '3';
  if (s < CUT_4) return '4';
  return '5';
}

const PERIODS_MAX = 4;

/** Illness spells and excused days of one pupil over the school days (deterministic per pupil). */
function absenceDays(seed: number, pupil: PupilPlan, days: readonly Day[]): Map<Day, AbsenceCode> {
  const rng = Random.derive(seed, `absence:${pupil.index}`);
  const out = new Map<Day, AbsenceCode>();
  const frail = 0.5 + rng.next() * 1.2;
  for (let i = 0; i < days.length; i += 1) {
    const day = days[i] as Day;
    if (out.has(day)) continue;
    const r = rng.next();
    if (r < 0.0075 * frail) {
      const length = rng.int(2, 6);
      for (let k = 0; k < length && i + k < days.length; k += 1) out.set(days[i + k] as Day, 'Б');
    } else if (r < 0.0075 * frail + 0.004) {
      out.set(day, 'У');
    }
  }
  return out;
}

export async function writeJournal(input: JournalInput): Promise<JournalCounts> {
  const { db, job, calendar } = input;
  const counts: JournalCounts = { lessons: 0, marks: 0, attendance: 0, finalMarks: 0 };
  const membershipsByClass = new Map<number, MembershipPlan[]>();
  const membershipsByPupil = new Map<number, MembershipPlan[]>();
  for (const m of input.memberships) {
    const byClass = membershipsByClass.get(m.classIndex) ?? [];
    byClass.push(m);
    membershipsByClass.set(m.classIndex, byClass);
    const byPupil = membershipsByPupil.get(m.pupil) ?? [];
    byPupil.push(m);
    membershipsByPupil.set(m.pupil, byPupil);
  }
  const isoCache = new Map<Day, string>();
  const iso = (day: Day): string => {
    let text = isoCache.get(day);
    if (text === undefined) {
      text = isoDay(day);
      isoCache.set(day, text);
    }
    return text;
  };

  const totalClasses = input.classes.length;
  let classesDone = 0;
  for (let parallel = 1; parallel <= 11; parallel += 1) {
    const parallelClasses = input.classes.filter((c) => c.parallel === parallel);
    // Sums and counts of marks per pupil, subject and period: [sum, n] pairs.
    const stats = new Map<number, Float64Array>();
    const absences = new Map<number, Map<Day, AbsenceCode>>();
    const days = calendar.schoolDays(parallel === 1);
    for (const cls of parallelClasses) {
      await writeClass(cls, days, stats, absences);
      classesDone += 1;
      input.progress.report(input.stage, classesDone / totalClasses);
    }
    if (parallel >= 2) await writeFinalMarks(parallelClasses, stats);
  }
  return counts;

  async function writeClass(cls: ClassPlan, days: readonly Day[], stats: Map<number, Float64Array>, absences: Map<number, Map<Day, AbsenceCode>>): Promise<void> {
    const rng = Random.derive(input.seed, `journal:${cls.parallel}${cls.letter}`);
    const classId = input.classIds[cls.index] as number;
    const entries = input.curriculum[cls.index] ?? [];
    const timetable = buildTimetable(
      rng,
      entries.map((e, entry) => ({ entry, hours: e.hours })),
      maxLessonsPerDay(cls.parallel),
    );
    const periods = cls.scheme === 'quarters' ? calendar.quarters : calendar.halves;
    const periodOfDay = days.map((d) => calendar.periodIndex(cls.scheme, d));
    const members = membershipsByClass.get(cls.index) ?? [];
    const graded = cls.parallel >= 2;

    const units: Unit[][] = entries.map((unit, entry) => {
      const perPeriod = new Array<number>(periods.length).fill(0);
      let total = 0;
      days.forEach((d, i) => {
        const times = (timetable[weekday(d) - 1] ?? []).filter((e) => e === entry).length;
        total += times;
        const p = periodOfDay[i] ?? -1;
        if (p >= 0) perPeriod[p] = (perPeriod[p] ?? 0) + times;
      });
      return unit.groups.map((g) => {
        const candidates: Candidate[] = members
          .filter((m) => g.group === 0 || m.group === g.group)
          .map((m) => ({ pupil: input.pupils[m.pupil] as PupilPlan, pupilId: input.pupilIds[m.pupil] as number, from: m.from, to: m.to ?? Number.MAX_SAFE_INTEGER }));
        return {
          entry,
          unit,
          groupId: g.groupId,
          teacherId: g.teacherId,
          candidates,
          topics: topicList(unit.subject.key, cls.parallel),
          homework: new HomeworkBook(unit.subject.homework, cls.parallel, rng),
          total,
          perPeriod,
          testEvery: unit.subject.test === null ? 0 : unit.hours >= 4 ? 12 : unit.hours >= 2 ? 9 : 0,
          n: 0,
          period: -1,
          counts: new Float64Array(candidates.length),
        };
      });
    });

    let lessons: Insertable<LessonTable>[] = [];
    let marks: [number, number, string][] = [];
    let attendance: [number, number, AbsenceCode][] = [];
    const present: number[] = [];
    const order: [number, number][] = [];

    const flush = async (): Promise<void> => {
      if (lessons.length === 0) return;
      const returned = await db
        .insertInto('lesson')
        .values(lessons)
        .returning(['id', 'group_id', 'subject_id', 'lesson_date', 'lesson_number'])
        .execute();
      await job.checkpoint();
      // Map back by the natural key rather than trusting the order of RETURNING rows.
      const idByKey = new Map<string, number>();
      for (const r of returned) idByKey.set(`${r.group_id ?? 0}|${r.subject_id}|${r.lesson_date}|${r.lesson_number ?? 0}`, r.id);
      const ids = lessons.map((l) => idByKey.get(`${l.group_id ?? 0}|${l.subject_id}|${l.lesson_date}|${l.lesson_number ?? 0}`) as number);
      counts.lessons += lessons.length;
      await insertBatches(
        db,
        job,
        'mark',
        marks.map(([local, pupilId, value]) => ({ lesson_id: ids[local] as number, pupil_id: pupilId, value })),
      );
      counts.marks += marks.length;
      await insertBatches(
        db,
        job,
        'attendance',
        attendance.map(([local, pupilId, code]) => ({ lesson_id: ids[local] as number, pupil_id: pupilId, code })),
      );
      counts.attendance += attendance.length;
      lessons = [];
      marks = [];
      attendance = [];
    };

    for (let di = 0; di < days.length; di += 1) {
      const day = days[di] as Day;
      const dayIso = iso(day);
      const period = periodOfDay[di] ?? -1;
      const slots = timetable[weekday(day) - 1] ?? [];
      for (let slot = 0; slot < slots.length; slot += 1) {
        for (const u of units[slots[slot] as number] ?? []) {
          const n = u.n;
          u.n += 1;
          const subject = u.unit.subject;
          const { topic, test } = lessonTopic(subject, u.topics, n, u.total, u.testEvery);
          const homework = u.homework.next(rng, n, u.total, test);
          let substitute: number | null = null;
          if (rng.chance(0.02)) {
            const options = input.substitutes.get(u.teacherId) ?? [];
            if (options.length > 0) substitute = rng.pick(options);
          }
          const local = lessons.length;
          lessons.push({
            class_id: classId,
            group_id: u.groupId,
            subject_id: u.unit.subjectId,
            lesson_date: dayIso,
            lesson_number: slot + 1,
            topic,
            homework,
            teacher_id: u.teacherId,
            substitute_teacher_id: substitute,
            external_id: null,
          });

          if (u.period !== period) {
            u.period = period;
            u.counts.fill(0);
          }
          present.length = 0;
          for (let ci = 0; ci < u.candidates.length; ci += 1) {
            const c = u.candidates[ci] as Candidate;
            if (day < c.from || day > c.to) continue;
            let spells = absences.get(c.pupil.index);
            if (!spells) {
              spells = absenceDays(input.seed, c.pupil, days);
              absences.set(c.pupil.index, spells);
            }
            let code: AbsenceCode | undefined = spells.get(day);
            if (!code) {
              const r = rng.next();
              if (r < 0.009) code = 'Н';
              else if (r < 0.014) code = 'О';
            }
            if (code) attendance.push([local, c.pupilId, code]);
            if (code && code !== 'О') continue;
            if (subject.key === 'pe' && c.pupil.peExempt) continue;
            present.push(ci);
          }
          if (!graded || !subject.graded || present.length === 0) continue;

          // About a quarter of the present pupils get a mark (more in one-hour subjects so that
          // everyone has at least three a period); those marked least this period go first.
          order.length = 0;
          if (test) {
            for (const ci of present) order.push([ci, 0]);
          } else {
            const inPeriod = period >= 0 ? (u.perPeriod[period] ?? 1) : 1;
            const share = Math.min(0.5, Math.max(0.25, 3.5 / Math.max(1, inPeriod)));
            const k = Math.min(present.length, Math.floor(present.length * share + rng.next()));
            for (const ci of present) order.push([ci, (u.counts[ci] ?? 0) + rng.next() * 1.5]);
            order.sort((a, b) => a[1] - b[1]);
            order.length = k;
          }
          for (const [ci] of order) {
            const c = u.candidates[ci] as Candidate;
            u.counts[ci] = (u.counts[ci] ?? 0) + 1;
            const ability = c.pupil.ability[u.unit.subjectIndex] ?? 0;
            const times = rng.chance(0.05) ? 2 : 1;
            let pupilStats = stats.get(c.pupil.index);
            if (!pupilStats) {
              pupilStats = new Float64Array(SUBJECTS.length * PERIODS_MAX * 2);
              stats.set(c.pupil.index, pupilStats);
            }
            const at = (u.unit.subjectIndex * PERIODS_MAX + Math.max(0, period)) * 2;
            for (let t = 0; t < times; t += 1) {
              const value = markFor(ability, rng);
              marks.push([local, c.pupilId, value]);
              pupilStats[at] = (pupilStats[at] ?? 0) + Number(value);
              pupilStats[at + 1] = (pupilStats[at + 1] ?? 0) + 1;
            }
          }
        }
      }
      if (lessons.length >= BATCH_ROWS) {
        await flush();
        input.progress.report(input.stage, (classesDone + (di + 1) / days.length) / totalClasses);
      }
    }
    await flush();
  }

  async function writeFinalMarks(parallelClasses: readonly ClassPlan[], stats: Map<number, Float64Array>): Promise<void> {
    const inParallel = new Set(parallelClasses.map((c) => c.index));
    const pupils = [...new Set(input.memberships.filter((m) => inParallel.has(m.classIndex)).map((m) => m.pupil))].sort((a, b) => a - b);
    const rows: Insertable<FinalMarkTable>[] = [];
    for (const p of pupils) {
      const pupil = input.pupils[p] as PupilPlan;
      const own = membershipsByPupil.get(p) ?? [];
      const classOn = (day: Day): ClassPlan | null => {
        const m = own.find((x) => x.from <= day && (x.to === null || x.to >= day));
        return m ? (input.classes[m.classIndex] as ClassPlan) : null;
      };
      const first = input.classes[own[0]?.classIndex ?? -1];
      if (!first) continue;
      const periods = first.scheme === 'quarters' ? calendar.quarters : calendar.halves;
      const ids = first.scheme === 'quarters' ? input.periodIds.quarters : input.periodIds.halves;
      const pupilStats = stats.get(p);
      const periodMarks = new Map<number, number[]>();
      periods.forEach((period, pi) => {
        const cls = classOn(period.endsOn);
        if (!cls) return;
        for (const unit of input.curriculum[cls.index] ?? []) {
          let value: string | null;
          if (!unit.subject.graded) value = 'зач';
          else if (unit.subject.key === 'pe' && pupil.peExempt) value = 'осв';
          else {
            const at = (unit.subjectIndex * PERIODS_MAX + pi) * 2;
            const n = pupilStats?.[at + 1] ?? 0;
            value = n > 0 ? String(Math.floor((pupilStats?.[at] ?? 0) / n + 0.5)) : null;
            if (value !== null) {
              const list = periodMarks.get(unit.subjectIndex) ?? [];
              list.push(Number(value));
              periodMarks.set(unit.subjectIndex, list);
            }
          }
          if (value === null) continue;
          rows.push({ pupil_id: input.pupilIds[p] as number, subject_id: unit.subjectId, year_id: input.yearId, period_id: ids[pi] as number, kind: 'period', value });
        }
      });
      const atEnd = classOn(calendar.endsOn);
      if (!atEnd) continue;
      for (const unit of input.curriculum[atEnd.index] ?? []) {
        let value: string | null = null;
        if (!unit.subject.graded) value = 'зач';
        else if (unit.subject.key === 'pe' && pupil.peExempt) value = 'осв';
        else {
          const list = periodMarks.get(unit.subjectIndex) ?? [];
          if (list.length > 0) value = String(Math.floor(list.reduce((a, b) => a + b, 0) / list.length + 0.5));
        }
        if (value === null) continue;
        rows.push({ pupil_id: input.pupilIds[p] as number, subject_id: unit.subjectId, year_id: input.yearId, period_id: null, kind: 'year', value });
      }
    }
    await insertBatches(db, job, 'final_mark', rows);
    counts.finalMarks += rows.length;
  }
}
