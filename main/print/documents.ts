import { ApiError } from '../../common/api/errors';
import { ORDER_KIND_LABELS } from '../../common/api/contingent';
import { classLabel, compareRu, comparePeople, fileNumber } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import type {
  AlphabetBookData,
  AlphabetEntry,
  AlphabetPeriod,
  ClassListData,
  DocumentMeta,
  ExtractSubject,
  MarksExtractData,
  OrderData,
  OrderPupilRow,
  SchoolHeader,
} from '../../templates/types';
import { readSchool } from '../handlers/school';

/**
 * Loaders of the printed documents: they read the register and build the templates' plain data.
 * Movement events that were cancelled ("внесено ошибочно") and the cancelling events themselves
 * never appear in print.
 */

export interface Loaded<T> {
  data: T;
  meta: DocumentMeta;
  /** A file name without the extension, safe on Windows. */
  baseName: string;
  /** Audit subject: what the printout is about. */
  entity: string;
  entityId: number | string | null;
}

/** Ids of events cancelled by a counter-event ("внесено ошибочно"): never printed. */
function cancelledEventIds(db: Db) {
  return db
    .selectFrom('movement_event as c')
    .select('c.cancels_event_id')
    .where('c.kind', '=', 'cancellation')
    .where('c.cancels_event_id', 'is not', null)
    .$narrowType<{ cancels_event_id: number }>();
}

export function fullName(p: { last_name: string; first_name: string; middle_name: string | null }): string {
  return [p.last_name, p.first_name, p.middle_name].filter((part) => part && part.trim() !== '').join(' ');
}

/** «И. О. Фамилия» from «Фамилия Имя Отчество». */
export function initialsFirst(fullNameText: string): string {
  const parts = fullNameText.trim().split(/\s+/).filter(Boolean);
  const [last, ...rest] = parts;
  if (!last) return '';
  const initials = rest.map((p) => `${p[0]?.toUpperCase() ?? ''}.`).join(' ');
  return initials ? `${initials} ${last}` : last;
}

/** A file name safe on Windows, macOS and Linux: no reserved characters, no trailing dots. */
export function safeFileName(name: string): string {
  const cleaned = [...name]
    .map((ch) => (ch.charCodeAt(0) < 32 ? ' ' : ch))
    .join('')
    .replace(/[<>:"/\\|?*«»]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '');
  return (cleaned || 'Документ').slice(0, 120);
}

async function schoolHeader(db: Db): Promise<SchoolHeader & { fullName: string }> {
  const school = await readSchool(db);
  return {
    name: school.name || 'Образовательная организация',
    fullName: school.name,
    address: school.address,
    directorShort: initialsFirst(school.directorName),
  };
}

function meta(school: { name: string }, title: string, subject: string, keywords: string[]): DocumentMeta {
  return { title, author: school.name, subject, keywords: ['Канцелярия', ...keywords] };
}



async function classLabels(db: Db, ids: Iterable<number | null>): Promise<Map<number, string>> {
  const wanted = [...new Set([...ids].filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('school_class').select(['id', 'parallel', 'letter']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, classLabel(r.parallel, r.letter)]));
}

function joinText(...parts: (string | null | undefined)[]): string | null {
  const list = parts.filter((p): p is string => Boolean(p && p.trim()));
  return list.length > 0 ? list.join('; ') : null;
}

// ---- Order ----

export async function loadOrder(db: Db, orderId: number): Promise<Loaded<OrderData>> {
  const order = await db.selectFrom('pupil_order').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (!order) throw new ApiError('not_found', 'Приказ не найден: возможно, он удалён или номер указан неверно. Обновите список приказов.');
  const school = await schoolHeader(db);
  const events = await db
    .selectFrom('movement_event as e')
    .innerJoin('pupil as p', 'p.id', 'e.pupil_id')
    .where('e.order_id', '=', orderId)
    .where('e.kind', '!=', 'cancellation')
    .where('e.id', 'not in', cancelledEventIds(db))
    .select([
      'e.id',
      'e.kind',
      'e.from_class_id',
      'e.to_class_id',
      'e.reason',
      'e.place',
      'e.note',
      'p.last_name',
      'p.first_name',
      'p.middle_name',
      'p.birth_date',
      'p.alphabet_letter',
      'p.alphabet_number',
    ])
    .execute();
  const labels = await classLabels(db, events.flatMap((e) => [e.from_class_id, e.to_class_id]));
  const label = (id: number | null): string | null => (id === null ? null : (labels.get(id) ?? null));
  const sorted = [...events].sort(
    (a, b) => comparePeople({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }, { lastName: b.last_name, firstName: b.first_name, middleName: b.middle_name }) || a.id - b.id,
  );
  const pupils: OrderPupilRow[] = sorted.map((e) => {
    const from = label(e.from_class_id);
    const to = label(e.to_class_id);
    const cls = from && to && from !== to ? `${from} → ${to}` : (to ?? from);
    let detail: string | null;
    if (e.kind === 'admission') detail = joinText(e.place, e.note);
    else if (e.kind === 'leave' || e.kind === 'graduation') detail = joinText(e.place, e.reason, e.note);
    else detail = joinText(e.reason, e.place, e.note);
    return {
      fio: fullName(e),
      birthDate: e.birth_date,
      fileNumber: fileNumber(e.alphabet_letter, e.alphabet_number),
      classLabel: cls,
      detail,
    };
  });
  const detailHeading = order.kind === 'admission' ? 'Откуда прибыл' : order.kind === 'expulsion' || order.kind === 'graduation' ? 'Куда выбыл, причина' : 'Основание, примечание';
  const title = `Приказ от ${order.order_date.split('-').reverse().join('.')} № ${order.number} «${order.title}»`;
  return {
    data: {
      school,
      number: order.number,
      date: order.order_date,
      title: order.title,
      body: order.body,
      detailHeading,
      pupils,
    },
    meta: meta(school, title, `Приказ по контингенту ${ORDER_KIND_LABELS[order.kind]}`, ['приказ', order.number, order.year_label]),
    baseName: safeFileName(`Приказ ${order.number} от ${order.order_date.split('-').reverse().join('.')}`),
    entity: 'pupil_order',
    entityId: order.id,
  };
}

// ---- Alphabet book ----

export async function loadAlphabetBook(db: Db, letter: string | undefined, today: string): Promise<Loaded<AlphabetBookData>> {
  const school = await schoolHeader(db);
  const only = letter ? letter.toUpperCase() : null;
  if (only !== null && !/^[А-ЯЁ]$/.test(only)) {
    throw new ApiError('invalid_params', 'Буква алфавитной книги — одна русская буква, например «К».', { letter: 'одна русская буква' });
  }
  let pupilQuery = db
    .selectFrom('pupil')
    .select(['id', 'last_name', 'first_name', 'middle_name', 'birth_date', 'reg_address', 'live_address', 'alphabet_letter', 'alphabet_number'])
    .where('alphabet_letter', 'is not', null)
    .where('alphabet_number', 'is not', null);
  if (only !== null) pupilQuery = pupilQuery.where('alphabet_letter', '=', only);
  const pupils = await pupilQuery.execute();
  const ids = pupils.map((p) => p.id);

  const guardians = ids.length
    ? await db
        .selectFrom('pupil_guardian as pg')
        .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
        .select(['pg.pupil_id', 'pg.kinship', 'g.id', 'g.last_name', 'g.first_name', 'g.middle_name', 'g.phone'])
        .where('pg.pupil_id', 'in', ids)
        .orderBy('pg.pupil_id')
        .orderBy('g.id')
        .execute()
    : [];
  const events = ids.length
    ? await db
        .selectFrom('movement_event as e')
        .leftJoin('pupil_order as o', 'o.id', 'e.order_id')
        .select(['e.id', 'e.pupil_id', 'e.kind', 'e.event_date', 'e.to_class_id', 'e.from_class_id', 'e.place', 'e.reason', 'o.number as order_number', 'o.order_date'])
        .where('e.pupil_id', 'in', ids)
        .where('e.kind', 'in', ['admission', 'leave', 'graduation'])
        .where('e.id', 'not in', cancelledEventIds(db))
        .orderBy('e.event_date')
        .orderBy('e.id')
        .execute()
    : [];
  // The first class the register knows, for admissions made before the app's first year.
  const firstClasses = ids.length
    ? await db
        .selectFrom('class_membership as m')
        .innerJoin('school_class as c', 'c.id', 'm.class_id')
        .select(['m.pupil_id', 'm.from_date', 'c.parallel', 'c.letter'])
        .where('m.pupil_id', 'in', ids)
        .orderBy('m.from_date')
        .orderBy('m.id')
        .execute()
    : [];
  const labels = await classLabels(db, events.map((e) => e.to_class_id));

  const guardiansOf = new Map<number, AlphabetEntry['guardians']>();
  for (const g of guardians) {
    const list = guardiansOf.get(g.pupil_id) ?? [];
    list.push({ fio: fullName(g), kinship: g.kinship, phone: g.phone });
    guardiansOf.set(g.pupil_id, list);
  }
  const eventsOf = new Map<number, typeof events>();
  for (const e of events) {
    const list = eventsOf.get(e.pupil_id) ?? [];
    list.push(e);
    eventsOf.set(e.pupil_id, list);
  }
  const firstClassOf = new Map<number, string>();
  for (const m of firstClasses) if (!firstClassOf.has(m.pupil_id)) firstClassOf.set(m.pupil_id, classLabel(m.parallel, m.letter));

  const entries = new Map<string, AlphabetEntry[]>();
  for (const p of pupils) {
    const periods: AlphabetPeriod[] = [];
    for (const e of eventsOf.get(p.id) ?? []) {
      const ref = { date: e.order_date ?? e.event_date, number: e.order_number ?? null };
      if (e.kind === 'admission') {
        const known = e.to_class_id !== null ? (labels.get(e.to_class_id) ?? null) : null;
        const later = known === null && periods.length === 0 ? (firstClassOf.get(p.id) ?? null) : null;
        periods.push({ admission: ref, classLabel: known ?? later, classIsLater: known === null && later !== null, arrivedFrom: e.place, leave: null, leftTo: null });
      } else {
        const open = periods.at(-1);
        const leftTo = joinText(e.place, e.reason ?? (e.kind === 'graduation' ? 'окончание обучения' : null));
        if (open && open.leave === null) {
          open.leave = ref;
          open.leftTo = leftTo;
        } else {
          periods.push({ admission: null, classLabel: null, classIsLater: false, arrivedFrom: null, leave: ref, leftTo });
        }
      }
    }
    const entry: AlphabetEntry = {
      number: p.alphabet_number as number,
      fileNumber: fileNumber(p.alphabet_letter, p.alphabet_number) ?? '',
      fio: fullName(p),
      birthDate: p.birth_date,
      address: p.live_address ?? p.reg_address,
      guardians: guardiansOf.get(p.id) ?? [],
      periods: periods.length > 0 ? periods : [{ admission: null, classLabel: null, classIsLater: false, arrivedFrom: null, leave: null, leftTo: null }],
    };
    const key = p.alphabet_letter as string;
    const list = entries.get(key) ?? [];
    list.push(entry);
    entries.set(key, list);
  }
  const letters = [...entries.entries()]
    .sort(([a], [b]) => compareRu(a, b))
    .map(([l, list]) => ({ letter: l, entries: list.sort((a, b) => a.number - b.number) }));
  const title = only ? `Алфавитная книга записи обучающихся, буква «${only}»` : 'Алфавитная книга записи обучающихся';
  return {
    data: { school, printedOn: today, onlyLetter: only, letters },
    meta: meta(school, title, 'Алфавитная книга записи обучающихся', ['алфавитная книга', 'контингент', ...(only ? [only] : [])]),
    baseName: safeFileName(only ? `Алфавитная книга, буква ${only}` : 'Алфавитная книга'),
    entity: 'alphabet_book',
    entityId: only,
  };
}

// ---- Class list ----

async function yearOfClass(db: Db, classId: number) {
  const row = await db
    .selectFrom('school_class as c')
    .innerJoin('school_year as y', 'y.id', 'c.year_id')
    .leftJoin('staff as s', 's.id', 'c.class_teacher_id')
    .select(['c.id', 'c.parallel', 'c.letter', 'c.period_scheme', 'y.id as year_id', 'y.name as year_name', 'y.starts_on', 'y.ends_on', 's.last_name', 's.first_name', 's.middle_name'])
    .where('c.id', '=', classId)
    .executeTakeFirst();
  return row ?? null;
}

/** Today, kept inside the year: before it → its first day, after it → its last day. */
function clampToYear(day: string, year: { starts_on: string; ends_on: string }): string {
  if (day < year.starts_on) return year.starts_on;
  if (day > year.ends_on) return year.ends_on;
  return day;
}

export async function loadClassList(db: Db, classId: number, date: string | undefined, today: string): Promise<Loaded<ClassListData>> {
  const cls = await yearOfClass(db, classId);
  if (!cls) throw new ApiError('not_found', 'Класс не найден: возможно, он удалён. Обновите список классов.');
  const school = await schoolHeader(db);
  const day = date ?? clampToYear(today, cls);
  const rows = await db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name', 'p.birth_date', 'p.alphabet_letter', 'p.alphabet_number'])
    .where('m.class_id', '=', classId)
    .where('m.from_date', '<=', day)
    .where((eb) => eb.or([eb('m.to_date', 'is', null), eb('m.to_date', '>=', day)]))
    .distinct()
    .execute();
  rows.sort(
    (a, b) =>
      comparePeople({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }, { lastName: b.last_name, firstName: b.first_name, middleName: b.middle_name }) ||
      a.id - b.id,
  );
  const label = classLabel(cls.parallel, cls.letter);
  const teacher = cls.last_name ? fullName({ last_name: cls.last_name, first_name: cls.first_name ?? '', middle_name: cls.middle_name }) : null;
  const title = `Список ${label} класса на ${day.split('-').reverse().join('.')}`;
  return {
    data: {
      school,
      classLabel: label,
      yearName: cls.year_name,
      teacher,
      date: day,
      pupils: rows.map((r) => ({ fio: fullName(r), birthDate: r.birth_date, fileNumber: fileNumber(r.alphabet_letter, r.alphabet_number) })),
    },
    meta: meta(school, title, `Список обучающихся ${label} класса, ${cls.year_name} учебный год`, ['список класса', label, cls.year_name]),
    baseName: safeFileName(`Список ${label} класса на ${day.split('-').reverse().join('.')}`),
    entity: 'school_class',
    entityId: cls.id,
  };
}

// ---- Extract of current marks ----

const MONTHS = ['янв.', 'февр.', 'март', 'апр.', 'май', 'июнь', 'июль', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'];

function monthsBetween(from: string, to: string): { key: string; label: string }[] {
  const out: { key: string; label: string }[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endKey = to.slice(0, 7);
  for (let guard = 0; guard < 24; guard += 1) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > endKey) break;
    out.push({ key, label: MONTHS[m - 1] ?? key });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export async function loadMarksExtract(db: Db, pupilId: number, date: string | undefined, today: string): Promise<Loaded<MarksExtractData>> {
  const pupil = await db
    .selectFrom('pupil')
    .select(['id', 'last_name', 'first_name', 'middle_name', 'birth_date', 'alphabet_letter', 'alphabet_number'])
    .where('id', '=', pupilId)
    .executeTakeFirst();
  if (!pupil) throw new ApiError('not_found', 'Обучающийся не найден: возможно, запись удалена. Обновите список обучающихся.');
  const school = await schoolHeader(db);

  // The day: given, else the day before leaving (for a leaver), else today.
  const lastMembership = await db
    .selectFrom('class_membership as m')
    .innerJoin('school_class as c', 'c.id', 'm.class_id')
    .select(['m.class_id', 'm.from_date', 'm.to_date', 'c.year_id'])
    .where('m.pupil_id', '=', pupilId)
    .orderBy('m.from_date', 'desc')
    .orderBy('m.id', 'desc')
    .executeTakeFirst();
  let day = date ?? today;
  if (!date && lastMembership?.to_date && lastMembership.to_date < day) day = lastMembership.to_date;

  const year =
    (await db.selectFrom('school_year').selectAll().where('starts_on', '<=', day).where('ends_on', '>=', day).executeTakeFirst()) ??
    (await db.selectFrom('school_year').selectAll().where('starts_on', '<=', day).orderBy('starts_on', 'desc').limit(1).executeTakeFirst());
  if (!year) throw new ApiError('not_found', 'На эту дату нет учебного года в программе: выписку составить не из чего. Проверьте дату.');
  const upTo = day > year.ends_on ? year.ends_on : day;

  // The class on the day, else the last class of the year before the day.
  const membership = await db
    .selectFrom('class_membership as m')
    .innerJoin('school_class as c', 'c.id', 'm.class_id')
    .select(['c.id', 'c.parallel', 'c.letter', 'c.period_scheme'])
    .where('m.pupil_id', '=', pupilId)
    .where('c.year_id', '=', year.id)
    .where('m.from_date', '<=', upTo)
    .orderBy('m.from_date', 'desc')
    .orderBy('m.id', 'desc')
    .executeTakeFirst();

  const periods = membership
    ? await db
        .selectFrom('period')
        .select(['id', 'name', 'starts_on', 'ends_on'])
        .where('year_id', '=', year.id)
        .where('scheme', '=', membership.period_scheme)
        .orderBy('number')
        .execute()
    : [];

  const marks = await db
    .selectFrom('mark as k')
    .innerJoin('lesson as l', 'l.id', 'k.lesson_id')
    .select(['l.subject_id', 'l.lesson_date', 'k.value', 'k.id'])
    .where('k.pupil_id', '=', pupilId)
    .where('l.lesson_date', '>=', year.starts_on)
    .where('l.lesson_date', '<=', upTo)
    .orderBy('l.lesson_date')
    .orderBy('l.lesson_number')
    .orderBy('k.id')
    .execute();
  const finals = await db
    .selectFrom('final_mark')
    .select(['subject_id', 'period_id', 'kind', 'value'])
    .where('pupil_id', '=', pupilId)
    .where('year_id', '=', year.id)
    .where('kind', 'in', ['period', 'year'])
    .execute();
  const absences = await db
    .selectFrom('attendance as a')
    .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
    .select(['l.subject_id', 'a.code'])
    .where('a.pupil_id', '=', pupilId)
    .where('l.lesson_date', '>=', year.starts_on)
    .where('l.lesson_date', '<=', upTo)
    .execute();
  // Lessons the pupil was due at: the class's lessons while a member (a group's only for its members).
  const lessonCount = await db
    .selectFrom('lesson as l')
    .innerJoin('class_membership as m', (join) => join.onRef('m.class_id', '=', 'l.class_id').on('m.pupil_id', '=', pupilId))
    .select((eb) => eb.fn.count<number>('l.id').distinct().as('n'))
    .where('l.lesson_date', '>=', year.starts_on)
    .where('l.lesson_date', '<=', upTo)
    .whereRef('l.lesson_date', '>=', 'm.from_date')
    .where((eb) => eb.or([eb('m.to_date', 'is', null), eb('m.to_date', '>=', eb.ref('l.lesson_date'))]))
    .where((eb) =>
      eb.or([
        eb('l.group_id', 'is', null),
        eb.exists(eb.selectFrom('group_member as g').select('g.pupil_id').whereRef('g.group_id', '=', 'l.group_id').where('g.pupil_id', '=', pupilId)),
      ]),
    )
    .executeTakeFirstOrThrow();

  // Subjects: the class's curriculum, plus any subject with marks.
  const subjectIds = new Set<number>([...marks.map((m) => m.subject_id), ...finals.map((f) => f.subject_id)]);
  if (membership) {
    const curriculum = await db.selectFrom('curriculum').select('subject_id').where('class_id', '=', membership.id).execute();
    for (const c of curriculum) subjectIds.add(c.subject_id);
  }
  const subjects = subjectIds.size
    ? await db.selectFrom('subject').select(['id', 'name', 'sort_order']).where('id', 'in', [...subjectIds]).orderBy('sort_order').orderBy('name').execute()
    : [];
  const periodIds = new Set(periods.filter((p) => p.starts_on <= upTo).map((p) => p.id));
  const bySubject = new Map<number, ExtractSubject>(
    subjects.map((s) => [s.id, { name: s.name, marksByMonth: {}, periodMarks: {}, yearMark: null, missed: 0 }]),
  );
  for (const m of marks) {
    const s = bySubject.get(m.subject_id);
    if (!s) continue;
    const key = m.lesson_date.slice(0, 7);
    (s.marksByMonth[key] ??= []).push(m.value);
  }
  const yearEnded = upTo >= year.ends_on;
  const periodEnd = new Map(periods.map((p) => [p.id, p.ends_on]));
  for (const f of finals) {
    const s = bySubject.get(f.subject_id);
    if (!s) continue;
    if (f.kind === 'period' && f.period_id !== null && periodIds.has(f.period_id) && (periodEnd.get(f.period_id) ?? '9999') <= upTo) {
      s.periodMarks[f.period_id] = f.value;
    } else if (f.kind === 'year' && yearEnded) {
      s.yearMark = f.value;
    }
  }
  const attendance = { lessons: Number(lessonCount.n), missed: 0, sick: 0, excused: 0, unexcused: 0, late: 0 };
  for (const a of absences) {
    if (a.code === 'О') {
      attendance.late += 1;
      continue;
    }
    attendance.missed += 1;
    if (a.code === 'Б') attendance.sick += 1;
    else if (a.code === 'У') attendance.excused += 1;
    else attendance.unexcused += 1;
    const s = bySubject.get(a.subject_id);
    if (s) s.missed += 1;
  }
  const label = membership ? classLabel(membership.parallel, membership.letter) : null;
  const fio = fullName(pupil);
  const title = `Выписка текущих отметок: ${fio}`;
  return {
    data: {
      school,
      pupil: { fio, birthDate: pupil.birth_date, fileNumber: fileNumber(pupil.alphabet_letter, pupil.alphabet_number) },
      classLabel: label,
      yearName: year.name,
      from: year.starts_on,
      date: upTo,
      issuedOn: today,
      periods: periods.map((p) => ({ id: p.id, name: p.name })),
      months: monthsBetween(year.starts_on, upTo),
      subjects: subjects.map((s) => bySubject.get(s.id) as ExtractSubject),
      attendance,
    },
    // The PDF's metadata travels with the file: no names in it beyond the title the user sees.
    meta: meta(school, title, 'Выписка текущих отметок и результатов промежуточной аттестации', ['выписка', 'отметки', year.name]),
    baseName: safeFileName(`Выписка отметок ${pupil.last_name} ${pupil.first_name[0] ?? ''}.${pupil.middle_name ? ` ${pupil.middle_name[0]}.` : ''}`),
    entity: 'pupil',
    entityId: pupil.id,
  };
}
