import { dayOf, monthOf, ruDate, yearOf, schoolYearLabelOf, workdayOnOrAfter, type Day, type SchoolCalendar } from './calendar';
import { alphabetLetter, compareRu } from './names';
import type { PeoplePlan, PupilPlan } from './people';
import { OTHER_SCHOOLS, OTHER_TOWNS } from './places';
import type { Random } from './random';
import type { ClassPlan } from './school';

/**
 * The movement of pupils: admissions (years ago into the 1st class, or later from another
 * school), a few newcomers, leavers and class transfers during the year, the orders behind them
 * numbered per school year, the alphabet book, and the class memberships of the year.
 *
 * Dates: an event's date is the date of its order and the first day of the new state. A
 * membership runs from its first day to its last day in the class, so a leaver's or a
 * transferred pupil's membership ends on the day BEFORE the event (`to_date = event_date − 1`).
 */

export type OrderKind = 'admission' | 'class_transfer' | 'expulsion';

export interface OrderPlan {
  index: number;
  label: string;
  seq: number;
  number: string;
  day: Day;
  kind: OrderKind;
  title: string;
  body: string;
}

export interface EventPlan {
  index: number;
  pupil: number;
  kind: 'admission' | 'class_transfer' | 'leave';
  day: Day;
  order: number;
  fromClass: number | null;
  toClass: number | null;
  reason: string | null;
  place: string | null;
}

export interface MembershipPlan {
  pupil: number;
  classIndex: number;
  from: Day;
  to: Day | null;
  startEvent: number | null;
  endEvent: number | null;
  /** The group of the class for split subjects: 1 or 2, or 0 when the class is not split. */
  group: 0 | 1 | 2;
}

export interface MovementPlan {
  orders: OrderPlan[];
  events: EventPlan[];
  memberships: MembershipPlan[];
  /** Pupil indexes in the order of the alphabet book (admission date, order, name). */
  bookOrder: number[];
  alphabet: { letter: string; number: number }[];
  counters: { letter: string; lastNumber: number }[];
  /** The day each pupil's family signed the consents. */
  admissionDay: Day[];
}

export const LEAVE_REASONS = [
  'перевод в другую образовательную организацию',
  'смена места жительства',
  'получение образования в форме семейного образования',
  'по состоянию здоровья',
  'иное',
] as const;

interface Admission {
  pupil: number;
  day: Day;
  parallel: number;
  from: string | null;
  intoCurrentClass: boolean;
}

interface Leave {
  pupil: number;
  day: Day;
  reason: (typeof LEAVE_REASONS)[number];
  place: string;
}

interface Transfer {
  pupil: number;
  day: Day;
  fromClass: number;
  toClass: number;
}

/** How many newcomers, leavers and class transfers a school of that size has in a year. */
export function movementCounts(pupils: number, classes: readonly ClassPlan[]): { midYear: number; leavers: number; transfers: number } {
  const parallelsWithTwo = new Set(classes.filter((c) => c.letter === 'Б').map((c) => c.parallel)).size;
  return {
    midYear: pupils >= 20 ? Math.max(1, Math.round(pupils * 0.01)) : 0,
    leavers: pupils >= 20 ? Math.max(1, Math.round(pupils * 0.015)) : 0,
    transfers: parallelsWithTwo === 0 ? 0 : pupils >= 1000 ? 2 : 1,
  };
}

/** The classes newcomers join during the year, in proportion to class sizes. */
export function pickMidYearClasses(rng: Random, classes: readonly ClassPlan[], count: number): number[] {
  const weighted = classes.map((c) => [c.index, Math.max(1, c.startSize)] as const);
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) out.push(rng.weighted(weighted));
  return out;
}

function pickDay(rng: Random, days: readonly Day[], from: Day, to: Day): Day {
  const candidates = days.filter((d) => d >= from && d <= to);
  return candidates.length > 0 ? rng.pick(candidates) : rng.pick(days);
}

function arrivedFrom(rng: Random, pupil: PupilPlan): string {
  const verb = pupil.gender === 'м' ? 'прибыл' : 'прибыла';
  return `${verb} из ${rng.pick(OTHER_SCHOOLS)}`;
}

function fio(p: PupilPlan): string {
  return p.middleName ? `${p.lastName} ${p.firstName} ${p.middleName}` : `${p.lastName} ${p.firstName}`;
}

/** «обучающегося» / «обучающуюся»: the accusative agrees with the pupil; the name follows a colon, undeclined. */
function pupilWord(p: PupilPlan): string {
  return p.gender === 'м' ? 'обучающегося' : 'обучающуюся';
}

function byName(a: PupilPlan, b: PupilPlan): number {
  return compareRu(a.lastName, b.lastName) || compareRu(a.firstName, b.firstName) || compareRu(a.middleName ?? '', b.middleName ?? '') || a.index - b.index;
}

function className(cls: ClassPlan): string {
  return `${cls.parallel} «${cls.letter}»`;
}

export function planMovement(
  rng: Random,
  calendar: SchoolCalendar,
  classes: readonly ClassPlan[],
  people: PeoplePlan,
  counts: { leavers: number; transfers: number },
): MovementPlan {
  const y = calendar.firstYear;
  const { pupils } = people;
  const schoolDays = calendar.schoolDays(false);

  // Admission dates of 1st classes: the big order after the first stage of applications
  // (early July), then smaller ones through the summer; 10th classes: three orders a summer.
  const firstClassDays = (a: number): Day[] => [7, 17, 31, 45, 59].map((d) => workdayOnOrAfter(dayOf(a, 6, 26) + d));
  const tenthDays = (a: number): Day[] => [3, 20, 58].map((d) => workdayOnOrAfter(dayOf(a, 6, 30) + d));

  const admissions: Admission[] = pupils.map((pupil) => {
    const p = pupil.parallel;
    if (pupil.midYear) {
      return { pupil: pupil.index, day: pickDay(rng, schoolDays, dayOf(y, 9, 15), dayOf(y + 1, 4, 30)), parallel: p, from: arrivedFrom(rng, pupil), intoCurrentClass: true };
    }
    if (p >= 10 && rng.chance(0.3)) {
      const a = y - (p - 10);
      return { pupil: pupil.index, day: rng.pick(tenthDays(a)), parallel: 10, from: arrivedFrom(rng, pupil), intoCurrentClass: p === 10 };
    }
    if (p >= 2 && rng.chance(Math.min(0.3, 0.035 * (p - 1)))) {
      const k = rng.int(2, Math.min(p, 9));
      const a = y - (p - k);
      const day = k === p ? workdayOnOrAfter(rng.int(dayOf(y, 8, 15), dayOf(y, 8, 29))) : workdayOnOrAfter(rng.int(dayOf(a, 8, 20), dayOf(a + 1, 5, 20)));
      return { pupil: pupil.index, day, parallel: k, from: arrivedFrom(rng, pupil), intoCurrentClass: k === p };
    }
    const a = y - p + 1;
    const days = firstClassDays(a);
    const day = rng.chance(0.7) ? (days[0] as Day) : rng.pick(days.slice(1));
    return { pupil: pupil.index, day, parallel: 1, from: null, intoCurrentClass: p === 1 };
  });

  // Leavers and class transfers: distinct pupils, none of them a newcomer of this year.
  const taken = new Set<number>(pupils.filter((p) => p.midYear).map((p) => p.index));
  const candidates = pupils.filter((p) => !p.midYear).map((p) => p.index);
  const pickPupil = (filter: (p: PupilPlan) => boolean): PupilPlan | null => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const p = pupils[rng.pick(candidates)] as PupilPlan;
      if (!taken.has(p.index) && filter(p)) {
        taken.add(p.index);
        return p;
      }
    }
    return null;
  };
  const leaves: Leave[] = [];
  for (let i = 0; i < counts.leavers && candidates.length > 0; i += 1) {
    const pupil = pickPupil(() => true);
    if (!pupil) break;
    const reason = rng.weighted<(typeof LEAVE_REASONS)[number]>([
      [LEAVE_REASONS[0], 50],
      [LEAVE_REASONS[1], 25],
      [LEAVE_REASONS[2], 10],
      [LEAVE_REASONS[3], 5],
      [LEAVE_REASONS[4], 10],
    ]);
    const place =
      reason === LEAVE_REASONS[0]
        ? rng.pick(OTHER_SCHOOLS)
        : reason === LEAVE_REASONS[1]
          ? rng.pick(OTHER_TOWNS)
          : reason === LEAVE_REASONS[2]
            ? 'семейное образование, г. Красноярск'
            : reason === LEAVE_REASONS[3]
              ? 'КГБОУ «Красноярская школа № 1» (обучение на дому)'
              : 'г. Красноярск';
    leaves.push({ pupil: pupil.index, day: pickDay(rng, schoolDays, dayOf(y, 9, 20), dayOf(y + 1, 5, 15)), reason, place });
  }
  const transfers: Transfer[] = [];
  for (let i = 0; i < counts.transfers; i += 1) {
    const pupil = pickPupil((p) => classes.some((c) => c.parallel === p.parallel && c.index !== p.classIndex));
    if (!pupil) break;
    const targets = classes.filter((c) => c.parallel === pupil.parallel && c.index !== pupil.classIndex);
    transfers.push({ pupil: pupil.index, day: pickDay(rng, schoolDays, dayOf(y, 10, 1), dayOf(y + 1, 3, 20)), fromClass: pupil.classIndex, toClass: rng.pick(targets).index });
  }

  // Orders: admissions grouped by date; each leave and transfer its own order.
  interface Draft {
    day: Day;
    kind: OrderKind;
    pupils: number[];
    rank: number;
  }
  const drafts = new Map<string, Draft>();
  const orderKeyOfAdmission = new Map<number, string>();
  for (const a of admissions) {
    const key = `a${a.day}`;
    const draft = drafts.get(key) ?? { day: a.day, kind: 'admission', pupils: [], rank: 0 };
    draft.pupils.push(a.pupil);
    drafts.set(key, draft);
    orderKeyOfAdmission.set(a.pupil, key);
  }
  for (const t of transfers) drafts.set(`t${t.pupil}`, { day: t.day, kind: 'class_transfer', pupils: [t.pupil], rank: 1 });
  for (const l of leaves) drafts.set(`l${l.pupil}`, { day: l.day, kind: 'expulsion', pupils: [l.pupil], rank: 2 });

  const sortedDrafts = [...drafts.entries()].sort(
    ([ka, a], [kb, b]) => a.day - b.day || a.rank - b.rank || (a.pupils[0] ?? 0) - (b.pupils[0] ?? 0) || (ka < kb ? -1 : 1),
  );
  const seqByLabel = new Map<string, number>();
  const orderIndexByKey = new Map<string, number>();
  const admissionOf = new Map(admissions.map((a) => [a.pupil, a]));
  const leaveOf = new Map(leaves.map((l) => [l.pupil, l]));
  const transferOf = new Map(transfers.map((t) => [t.pupil, t]));
  const orders: OrderPlan[] = sortedDrafts.map(([key, draft], index) => {
    const label = schoolYearLabelOf(draft.day);
    const seq = (seqByLabel.get(label) ?? 0) + 1;
    seqByLabel.set(label, seq);
    orderIndexByKey.set(key, index);
    const members = draft.pupils.map((i) => pupils[i] as PupilPlan).sort(byName);
    const { title, body } = orderText(draft.kind, draft.day, members, classes, admissionOf, leaveOf, transferOf);
    return { index, label, seq, number: `${seq}-у`, day: draft.day, kind: draft.kind, title, body };
  });

  // The alphabet book: in admission order (date, order number), by name within an order.
  const orderOfPupil = (i: number): number => orderIndexByKey.get(orderKeyOfAdmission.get(i) as string) as number;
  const bookOrder = pupils
    .map((p) => p.index)
    .sort((a, b) => orderOfPupil(a) - orderOfPupil(b) || byName(pupils[a] as PupilPlan, pupils[b] as PupilPlan));
  const alphabet = new Array<{ letter: string; number: number }>(pupils.length);
  const last = new Map<string, number>();
  for (const i of bookOrder) {
    const letter = alphabetLetter((pupils[i] as PupilPlan).lastName);
    const number = (last.get(letter) ?? 0) + 1;
    last.set(letter, number);
    alphabet[i] = { letter, number };
  }
  const counters = [...last.entries()].map(([letter, lastNumber]) => ({ letter, lastNumber })).sort((a, b) => compareRu(a.letter, b.letter));

  // Events: every pupil's admission (in book order), then transfers and leaves by date.
  const events: EventPlan[] = [];
  const admissionEvent = new Map<number, number>();
  for (const i of bookOrder) {
    const a = admissionOf.get(i) as Admission;
    admissionEvent.set(i, events.length);
    events.push({
      index: events.length,
      pupil: i,
      kind: 'admission',
      day: a.day,
      order: orderOfPupil(i),
      fromClass: null,
      toClass: a.intoCurrentClass ? (pupils[i] as PupilPlan).classIndex : null,
      reason: null,
      place: a.from,
    });
  }
  const dated = [
    ...transfers.map((t) => ({ day: t.day, pupil: t.pupil, transfer: t, leave: null as Leave | null })),
    ...leaves.map((l) => ({ day: l.day, pupil: l.pupil, transfer: null as Transfer | null, leave: l })),
  ].sort((a, b) => a.day - b.day || a.pupil - b.pupil);
  const endEvent = new Map<number, number>();
  for (const d of dated) {
    endEvent.set(d.pupil, events.length);
    if (d.transfer) {
      events.push({
        index: events.length,
        pupil: d.pupil,
        kind: 'class_transfer',
        day: d.day,
        order: orderIndexByKey.get(`t${d.pupil}`) as number,
        fromClass: d.transfer.fromClass,
        toClass: d.transfer.toClass,
        reason: 'по заявлению родителей (законных представителей)',
        place: null,
      });
    } else if (d.leave) {
      events.push({
        index: events.length,
        pupil: d.pupil,
        kind: 'leave',
        day: d.day,
        order: orderIndexByKey.get(`l${d.pupil}`) as number,
        fromClass: (pupils[d.pupil] as PupilPlan).classIndex,
        toClass: null,
        reason: d.leave.reason,
        place: d.leave.place,
      });
    }
  }

  // Memberships of the year, and the two halves of split classes (by the class list at the start).
  const memberships: MembershipPlan[] = [];
  const groupSizes = new Map<number, [number, number]>();
  const startLists = new Map<number, PupilPlan[]>();
  for (const p of pupils) {
    if (p.midYear) continue;
    const list = startLists.get(p.classIndex) ?? [];
    list.push(p);
    startLists.set(p.classIndex, list);
  }
  const startGroup = new Map<number, 1 | 2>();
  for (const [classIndex, list] of startLists) {
    list.sort(byName);
    const half = Math.ceil(list.length / 2);
    list.forEach((p, i) => startGroup.set(p.index, i < half ? 1 : 2));
    groupSizes.set(classIndex, [half, list.length - half]);
  }
  const joinGroup = (classIndex: number): 1 | 2 => {
    const sizes = groupSizes.get(classIndex) ?? [0, 0];
    const group = sizes[0] <= sizes[1] ? 1 : 2;
    if (group === 1) sizes[0] += 1;
    else sizes[1] += 1;
    groupSizes.set(classIndex, sizes);
    return group;
  };
  const groupIn = (classIndex: number, group: 1 | 2): 0 | 1 | 2 => ((classes[classIndex] as ClassPlan).split ? group : 0);

  for (const i of bookOrder) {
    const p = pupils[i] as PupilPlan;
    const a = admissionOf.get(i) as Admission;
    const startEvent = a.intoCurrentClass ? (admissionEvent.get(i) as number) : null;
    const from = p.midYear ? a.day : calendar.startsOn;
    const firstGroup = p.midYear ? joinGroup(p.classIndex) : (startGroup.get(i) ?? 1);
    const t = transferOf.get(i);
    const l = leaveOf.get(i);
    if (t) {
      const ev = endEvent.get(i) as number;
      memberships.push({ pupil: i, classIndex: p.classIndex, from, to: t.day - 1, startEvent, endEvent: ev, group: groupIn(p.classIndex, firstGroup) });
      memberships.push({ pupil: i, classIndex: t.toClass, from: t.day, to: null, startEvent: ev, endEvent: null, group: groupIn(t.toClass, joinGroup(t.toClass)) });
    } else if (l) {
      memberships.push({ pupil: i, classIndex: p.classIndex, from, to: l.day - 1, startEvent, endEvent: endEvent.get(i) as number, group: groupIn(p.classIndex, firstGroup) });
    } else {
      memberships.push({ pupil: i, classIndex: p.classIndex, from, to: null, startEvent, endEvent: null, group: groupIn(p.classIndex, firstGroup) });
    }
  }

  return {
    orders,
    events,
    memberships,
    bookOrder,
    alphabet,
    counters,
    admissionDay: pupils.map((p) => (admissionOf.get(p.index) as Admission).day),
  };
}

const ADMISSION_PREAMBLE =
  'В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации», Порядком приёма на обучение ' +
  'по образовательным программам начального общего, основного общего и среднего общего образования, утверждённым приказом ' +
  'Министерства просвещения Российской Федерации от 02.09.2020 № 458, на основании заявлений родителей (законных представителей)';

function orderText(
  kind: OrderKind,
  day: Day,
  members: PupilPlan[],
  classes: readonly ClassPlan[],
  admissionOf: Map<number, Admission>,
  leaveOf: Map<number, Leave>,
  transferOf: Map<number, Transfer>,
): { title: string; body: string } {
  const first = members[0] as PupilPlan;
  if (kind === 'admission') {
    const parallels = new Set(members.map((m) => (admissionOf.get(m.index) as Admission).parallel));
    const only = parallels.size === 1 ? [...parallels][0] : null;
    const title = only ? `О зачислении в ${only} класс` : 'О зачислении обучающихся';
    const lines = members.map((m, i) => {
      const a = admissionOf.get(m.index) as Admission;
      const into = a.intoCurrentClass ? `${className(classes[m.classIndex] as ClassPlan)} класс` : `${a.parallel} класс`;
      const from = a.from ? `, ${a.from}` : '';
      return `${i + 1}) ${fio(m)}, ${ruDate(m.birth)} г. р., — в ${into}${from};`;
    });
    // Summer orders admit from 1 September; during the year, from the date of the order.
    const month = monthOf(day);
    const start = ruDate(month >= 6 && month <= 8 ? dayOf(yearOf(day), 9, 1) : day);
    return {
      title,
      body:
        `${ADMISSION_PREAMBLE}\nПРИКАЗЫВАЮ:\n1. Зачислить с ${start} следующих обучающихся:\n${lines.join('\n')}\n` +
        '2. Секретарю внести сведения об обучающихся в алфавитную книгу записи обучающихся и оформить личные дела.\n' +
        '3. Классным руководителям внести сведения в классные журналы.\n4. Контроль за исполнением приказа оставляю за собой.',
    };
  }
  if (kind === 'class_transfer') {
    const t = transferOf.get(first.index) as Transfer;
    return {
      title: 'О переводе обучающегося в другой класс',
      body:
        'На основании заявления родителя (законного представителя)\nПРИКАЗЫВАЮ:\n' +
        `1. Перевести с ${ruDate(t.day)} из ${className(classes[t.fromClass] as ClassPlan)} класса в ${className(classes[t.toClass] as ClassPlan)} класс ` +
        `${pupilWord(first)}: ${fio(first)}, ${ruDate(first.birth)} г. р.\n` +
        '2. Классным руководителям внести изменения в классные журналы и личное дело обучающегося.\n' +
        '3. Контроль за исполнением приказа оставляю за собой.',
    };
  }
  const l = leaveOf.get(first.index) as Leave;
  const cls = className(classes[first.classIndex] as ClassPlan);
  const transfer = l.reason === LEAVE_REASONS[0];
  const grounds = transfer
    ? 'На основании заявления родителя (законного представителя) об отчислении в порядке перевода, в соответствии с Порядком и условиями ' +
      'осуществления перевода обучающихся, утверждёнными приказом Министерства просвещения Российской Федерации от 06.04.2023 № 240,'
    : 'На основании заявления родителя (законного представителя),';
  return {
    title: transfer ? 'Об отчислении обучающегося в порядке перевода' : 'Об отчислении обучающегося',
    body:
      `${grounds}\nПРИКАЗЫВАЮ:\n` +
      `1. Отчислить с ${ruDate(l.day)} из ${cls} класса ${pupilWord(first)}: ${fio(first)}, ${ruDate(first.birth)} г. р. ` +
      `Причина: ${l.reason}; ${transfer ? 'принимающая организация' : 'место выбытия'}: ${l.place}.\n` +
      '2. Выдать родителю (законному представителю) личное дело обучающегося и выписку текущих отметок и результатов промежуточной аттестации, ' +
      'заверенную подписью директора и печатью.\n3. Внести запись о выбытии в алфавитную книгу записи обучающихся.\n' +
      '4. Контроль за исполнением приказа оставляю за собой.',
  };
}
