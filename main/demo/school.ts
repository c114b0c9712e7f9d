import { dayOf, type Day, type SchoolCalendar } from './calendar';
import { SPECIALITY_POSITIONS, SPLIT_MIN_PUPILS, SUBJECTS, hoursIn, teacherSpeciality, type Speciality, type SubjectDef } from './curriculum';
import { mobilePhone, organisationInn } from './documents';
import { patronymic, pickAdultName, pickSurname, surnameFor, translit, type Gender } from './names';
import { schoolAddress } from './places';
import type { Random } from './random';

/** The school card, its classes and staff, and who teaches what: all planned in memory first. */

export const CLASS_LETTERS = ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'И', 'К', 'Л'] as const;

/** Relative size of each parallel (10th and 11th are smaller: many leave after the 9th). */
const PARALLEL_WEIGHTS = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.85, 0.8] as const;

const PUPILS_PER_CLASS = 26;

export interface SchoolCard {
  number: number;
  name: string;
  shortName: string;
  address: string;
  phone: string;
  email: string;
  inn: string;
  domain: string;
}

export function planSchoolCard(rng: Random): SchoolCard {
  const number = rng.int(2, 158);
  const phone = `+7 (391) 2${rng.digits(2)}-${rng.digits(2)}-${rng.digits(2)}`;
  return {
    number,
    name: `МБОУ «Средняя школа № ${number}»`,
    shortName: `МБОУ СШ № ${number}`,
    address: schoolAddress(rng),
    phone,
    email: `sch${number}@mailkrsk.ru`,
    inn: organisationInn(rng),
    domain: `sch${number}-krsk.ru`,
  };
}

export interface ClassPlan {
  index: number;
  parallel: number;
  letter: string;
  scheme: 'quarters' | 'halves';
  /** Pupils on the first day of the year. */
  startSize: number;
  /** Split into groups for the subjects that split. */
  split: boolean;
  teacher: number;
  name: string;
}

/** Spreads `total` over weights by the largest remainder, so the parts add up exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

/** Classes 1–11 with as many letters per parallel as the pupils need (~26 each, at most 10). */
export function planClasses(startPupils: number): ClassPlan[] {
  const perParallel = apportion(startPupils, PARALLEL_WEIGHTS);
  const classes: ClassPlan[] = [];
  perParallel.forEach((count, i) => {
    const parallel = i + 1;
    const n = Math.min(CLASS_LETTERS.length, Math.max(1, Math.round(count / PUPILS_PER_CLASS)));
    const sizes = apportion(count, new Array<number>(n).fill(1));
    sizes.forEach((size, k) => {
      const letter = CLASS_LETTERS[k] as string;
      classes.push({
        index: classes.length,
        parallel,
        letter,
        scheme: parallel >= 10 ? 'halves' : 'quarters',
        startSize: size,
        split: size >= SPLIT_MIN_PUPILS,
        teacher: -1,
        name: `${parallel}${letter}`,
      });
    });
  });
  return classes;
}

export interface StaffPlan {
  index: number;
  lastName: string;
  firstName: string;
  middleName: string;
  gender: Gender;
  position: string;
  speciality: Speciality | null;
  phone: string | null;
  email: string | null;
}

/** One teaching load: a subject in a class, for the whole class (group 0) or one of its two groups. */
export interface Assignment {
  classIndex: number;
  subject: SubjectDef;
  subjectIndex: number;
  hours: number;
  group: 0 | 1 | 2;
  teacher: number;
}

export interface StaffPlanResult {
  staff: StaffPlan[];
  director: StaffPlan;
  assignments: Assignment[];
  /** Teachers who may stand in for a teacher (same speciality first). */
  substitutes: Map<number, number[]>;
}

const TARGET_LOAD = 25;

class StaffFactory {
  readonly staff: StaffPlan[] = [];
  private readonly names = new Set<string>();

  constructor(
    private readonly rng: Random,
    private readonly domain: string,
  ) {}

  add(position: string, speciality: Speciality | null, femaleShare: number): StaffPlan {
    const gender: Gender = this.rng.chance(femaleShare) ? 'ж' : 'м';
    let lastName = '';
    let firstName = '';
    let middleName = '';
    do {
      lastName = surnameFor(pickSurname(this.rng), gender);
      firstName = pickAdultName(this.rng, gender);
      middleName = patronymic(pickAdultName(this.rng, 'м'), gender);
    } while (this.names.has(`${lastName} ${firstName} ${middleName}`));
    this.names.add(`${lastName} ${firstName} ${middleName}`);
    const person: StaffPlan = {
      index: this.staff.length,
      lastName,
      firstName,
      middleName,
      gender,
      position,
      speciality,
      phone: this.rng.chance(0.9) ? mobilePhone(this.rng) : null,
      email: `${translit(lastName)}.${translit(firstName)[0] ?? ''}${translit(middleName)[0] ?? ''}@${this.domain}`,
    };
    this.staff.push(person);
    return person;
  }
}

/**
 * The director, deputies, a psychologist and a social pedagogue, then teachers: one primary
 * teacher per class 1–4 (its class teacher, teaching its primary subjects), and subject teachers
 * with loads of about 25 hours a week, each teaching a run of classes; the two groups of a split
 * class go to two different teachers where there are two.
 */
export function planStaff(rng: Random, classes: ClassPlan[], domain: string): StaffPlanResult {
  const factory = new StaffFactory(rng, domain);
  const director = factory.add('директор', null, 0.6);
  const deputies = Math.max(1, Math.round(classes.length / 30));
  for (let i = 0; i < deputies; i += 1) factory.add('заместитель директора по учебно-воспитательной работе', null, 0.85);
  factory.add('заместитель директора по воспитательной работе', null, 0.9);
  if (classes.length >= 20) factory.add('заместитель директора по административно-хозяйственной работе', null, 0.4);
  factory.add('педагог-психолог', null, 0.95);
  if (classes.length >= 15) factory.add('социальный педагог', null, 0.95);

  const assignments: Assignment[] = [];
  const items = new Map<Speciality, Assignment[]>();
  for (const cls of classes) {
    SUBJECTS.forEach((subject, subjectIndex) => {
      const hours = hoursIn(subject, cls.parallel);
      if (hours <= 0) return;
      const speciality = teacherSpeciality(subject, cls.parallel);
      const groups: (0 | 1 | 2)[] = subject.split && cls.split ? [1, 2] : [0];
      for (const group of groups) {
        const a: Assignment = { classIndex: cls.index, subject, subjectIndex, hours, group, teacher: -1 };
        assignments.push(a);
        const list = items.get(speciality) ?? [];
        list.push(a);
        items.set(speciality, list);
      }
    });
  }

  // Primary classes: the class teacher teaches the class's primary subjects.
  const primaryTeacherOf = new Map<number, number>();
  for (const cls of classes) {
    if (cls.parallel > 4) continue;
    const teacher = factory.add(SPECIALITY_POSITIONS.primary, 'primary', 0.97);
    primaryTeacherOf.set(cls.index, teacher.index);
    cls.teacher = teacher.index;
  }
  for (const a of items.get('primary') ?? []) a.teacher = primaryTeacherOf.get(a.classIndex) ?? -1;

  const bySpeciality = new Map<Speciality, number[]>();
  const femaleShare: Partial<Record<Speciality, number>> = { pe: 0.45, safety: 0.2, informatics: 0.6, physics: 0.7, technology: 0.5 };
  for (const [speciality, list] of items) {
    if (speciality === 'primary') continue;
    const total = list.reduce((sum, a) => sum + a.hours, 0);
    const count = Math.max(1, Math.ceil(total / (TARGET_LOAD + 1)));
    const teachers: number[] = [];
    for (let i = 0; i < count; i += 1) teachers.push(factory.add(SPECIALITY_POSITIONS[speciality], speciality, femaleShare[speciality] ?? 0.88).index);
    bySpeciality.set(speciality, teachers);
    const load = new Map<number, number>(teachers.map((t) => [t, 0]));
    const target = total / count;
    let current = 0;
    const seconds: Assignment[] = [];
    for (const a of list) {
      if (a.group === 2) {
        seconds.push(a);
        continue;
      }
      const t = teachers[current] as number;
      a.teacher = t;
      load.set(t, (load.get(t) ?? 0) + a.hours);
      if ((load.get(t) ?? 0) >= target && current < teachers.length - 1) current += 1;
    }
    for (const a of seconds) {
      const first = list.find((b) => b.classIndex === a.classIndex && b.subjectIndex === a.subjectIndex && b.group === 1)?.teacher;
      let best = -1;
      for (const t of teachers) {
        if (t === first && teachers.length > 1) continue;
        if (best < 0 || (load.get(t) ?? 0) < (load.get(best) ?? 0)) best = t;
      }
      a.teacher = best;
      load.set(best, (load.get(best) ?? 0) + a.hours);
    }
  }

  // Class teachers of 5–11: distinct subject teachers, in a shuffled order.
  const subjectTeachers = factory.staff.filter((s) => s.speciality !== null && s.speciality !== 'primary').map((s) => s.index);
  rng.shuffle(subjectTeachers);
  let next = 0;
  const extraSpecialities: Speciality[] = ['history', 'russian', 'math', 'biology', 'geography'];
  for (const cls of classes) {
    if (cls.parallel <= 4) continue;
    if (next >= subjectTeachers.length) {
      // A very small school has fewer subject teachers than classes: hire one more.
      const speciality = extraSpecialities[next % extraSpecialities.length] as Speciality;
      const teacher = factory.add(SPECIALITY_POSITIONS[speciality], speciality, 0.88);
      subjectTeachers.push(teacher.index);
      bySpeciality.set(speciality, [...(bySpeciality.get(speciality) ?? []), teacher.index]);
    }
    cls.teacher = subjectTeachers[next] as number;
    next += 1;
  }

  const substitutes = new Map<number, number[]>();
  const primaryTeachers = [...primaryTeacherOf.values()];
  const allTeachers = factory.staff.filter((s) => s.speciality !== null).map((s) => s.index);
  for (const teacher of allTeachers) {
    const speciality = factory.staff[teacher]?.speciality;
    const same = (speciality === 'primary' ? primaryTeachers : (bySpeciality.get(speciality as Speciality) ?? [])).filter((t) => t !== teacher);
    substitutes.set(teacher, same.length > 0 ? same : allTeachers.filter((t) => t !== teacher));
  }

  return { staff: factory.staff, director, assignments, substitutes };
}

export function directorFullName(director: StaffPlan): string {
  return `${director.lastName} ${director.firstName} ${director.middleName}`;
}

/** The year's reference day for "now" in the demo: the last day of the school year. */
export function asOfDay(calendar: SchoolCalendar): Day {
  return calendar.endsOn;
}

/** The usual birth dates of a parallel in a year: 1st class in 2025 — born Sept 2017 to Nov 2018. */
export function birthWindow(firstYear: number, parallel: number): [Day, Day] {
  const cohort = firstYear - 6 - parallel;
  return [dayOf(cohort - 1, 9, 1), dayOf(cohort, 11, 30)];
}
