import type { Insertable } from 'kysely';
import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import type { ConsentTable, GroupMemberTable, PupilGuardianTable, StudyGroupTable } from '../../db/schema';
import type { Job } from '../jobs/registry';
import { buildCalendar, isoDay, type Day } from './calendar';
import { planConsents, consentTemplates } from './consents';
import { SUBJECTS, hoursIn } from './curriculum';
import { writeJournal, type CurriculumUnit } from './journal';
import { movementCounts, pickMidYearClasses, planMovement } from './movement';
import { kinshipOf, planPeople, type GuardianPlan, type PupilPlan } from './people';
import { Random } from './random';
import { asOfDay, directorFullName, planClasses, planSchoolCard, planStaff, type ClassPlan } from './school';
import { Progress, insertBatches } from './writer';

/**
 * The demo school: a realistic register and a full year of journal data, the same for the same
 * seed, byte for byte (no Math.random, no clock: timestamps are derived from the year's dates).
 * Everything is planned in memory first (small), then written with multi-row inserts; the
 * journal is generated and written class by class. `db` is the dispatcher's write transaction:
 * a refusal, an error or a cancel leaves the register as it was.
 */

export interface DemoOptions {
  seed: number;
  /** 10‥3000, newcomers of the year included. */
  pupils: number;
  /** Like '2025/2026'. */
  year: string;
}

export type DemoCounts = Record<
  'classes' | 'staff' | 'subjects' | 'pupils' | 'guardians' | 'orders' | 'lessons' | 'marks' | 'attendance' | 'finalMarks' | 'consents',
  number
>;

const STAGES = [
  ['Проверка базы', 1],
  ['Школа, календарь и сотрудники', 2],
  ['Ученики', 3],
  ['Родители', 3],
  ['Приказы и движение', 3],
  ['Согласия', 2],
  ['Уроки и отметки', 86],
] as const;

/** 09:00 in Krasnoyarsk (UTC+7) of a day: the moment a record of that day was made. */
function stamp(day: Day): string {
  return `${isoDay(day)}T02:00:00.000Z`;
}

async function ensureEmpty(db: Db): Promise<void> {
  const pupil = await db.selectFrom('pupil').select('id').limit(1).executeTakeFirst();
  const year = await db.selectFrom('school_year').select('id').limit(1).executeTakeFirst();
  const cls = await db.selectFrom('school_class').select('id').limit(1).executeTakeFirst();
  if (pupil || year || cls) {
    throw new ApiError(
      'refused',
      'Демонстрационную школу можно создать только в пустой базе: в ней уже есть обучающиеся или классы. Создайте новую базу.',
    );
  }
}

export async function generateDemoSchool(db: Db, options: DemoOptions, job: Job): Promise<DemoCounts> {
  if (!Number.isInteger(options.pupils) || options.pupils < 10 || options.pupils > 3000) {
    throw new ApiError('invalid_params', 'Число обучающихся демонстрационной школы — от 10 до 3000.', { pupils: 'от 10 до 3000' });
  }
  const calendar = buildCalendar(options.year);
  const progress = new Progress(job, STAGES);
  progress.report('Проверка базы', 0);
  await ensureEmpty(db);
  await job.checkpoint();

  // ---- The plan (in memory) ----
  const seed = options.seed >>> 0;
  const stream = (label: string) => Random.derive(seed, label);
  const asOf = asOfDay(calendar);
  const card = planSchoolCard(stream('school'));
  const midYear = movementCounts(options.pupils, []).midYear;
  const classes = planClasses(options.pupils - midYear);
  const { leavers, transfers } = movementCounts(options.pupils, classes);
  const staffPlan = planStaff(stream('staff'), classes, card.domain);
  const people = planPeople(stream('people'), classes, pickMidYearClasses(stream('newcomers'), classes, midYear), calendar.firstYear, asOf);
  const movement = planMovement(stream('movement'), calendar, classes, people, { leavers, transfers });
  const consents = planConsents(stream('consents'), calendar, people, movement.admissionDay);
  const registerStamp = stamp(calendar.startsOn - 7);

  // ---- School, calendar, staff, subjects, classes ----
  progress.report('Школа, календарь и сотрудники', 0);
  const schoolRow = {
    name: card.name,
    short_name: card.shortName,
    address: card.address,
    director_name: directorFullName(staffPlan.director),
    phone: card.phone,
    email: card.email,
    inn: card.inn,
    updated_at: registerStamp,
  };
  await db
    .insertInto('school')
    .values({ id: 1, ...schoolRow })
    .onConflict((oc) => oc.column('id').doUpdateSet(schoolRow))
    .execute();

  const year = await db
    .insertInto('school_year')
    .values({ name: calendar.label, starts_on: isoDay(calendar.startsOn), ends_on: isoDay(calendar.endsOn), closed: 0, closed_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const periodRows = await db
    .insertInto('period')
    .values(
      [...calendar.quarters, ...calendar.halves].map((p) => ({
        year_id: year.id,
        scheme: p.scheme,
        number: p.number,
        name: p.name,
        starts_on: isoDay(p.startsOn),
        ends_on: isoDay(p.endsOn),
      })),
    )
    .returning(['id', 'scheme', 'number'])
    .execute();
  const periodId = (scheme: string, number: number): number => periodRows.find((r) => r.scheme === scheme && r.number === number)?.id as number;
  const periodIds = {
    quarters: calendar.quarters.map((p) => periodId('quarters', p.number)),
    halves: calendar.halves.map((p) => periodId('halves', p.number)),
  };
  await db
    .insertInto('holiday')
    .values(calendar.holidays.map((h) => ({ year_id: year.id, name: h.name, starts_on: isoDay(h.startsOn), ends_on: isoDay(h.endsOn) })))
    .execute();

  const subjectRows = await db
    .insertInto('subject')
    .values(SUBJECTS.map((s, i) => ({ name: s.name, short_name: s.shortName, part: s.part, sort_order: (i + 1) * 10 })))
    .returning(['id', 'name'])
    .execute();
  const subjectIdByName = new Map(subjectRows.map((r) => [r.name, r.id]));
  const subjectIds = SUBJECTS.map((s) => subjectIdByName.get(s.name) as number);

  // Staff one row at a time (a few dozen): names may repeat, so ids come back per row.
  const staffIds: number[] = [];
  for (const s of staffPlan.staff) {
    const row = await db
      .insertInto('staff')
      .values({ last_name: s.lastName, first_name: s.firstName, middle_name: s.middleName, position: s.position, phone: s.phone, email: s.email, active: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    staffIds.push(row.id);
  }
  const staffId = (index: number): number => staffIds[index] as number;
  await job.checkpoint();

  const classRows = await db
    .insertInto('school_class')
    .values(
      classes.map((c) => ({
        year_id: year.id,
        parallel: c.parallel,
        letter: c.letter,
        period_scheme: c.scheme,
        class_teacher_id: staffId(c.teacher),
      })),
    )
    .returning(['id', 'parallel', 'letter'])
    .execute();
  const classIdByName = new Map(classRows.map((r) => [`${r.parallel}${r.letter}`, r.id]));
  const classIds = classes.map((c) => classIdByName.get(c.name) as number);

  // Curriculum (the teacher of the whole class, or of group 1), and the groups of split subjects.
  const curriculumRows = [];
  const groupRows: Insertable<StudyGroupTable>[] = [];
  for (const cls of classes) {
    for (let s = 0; s < SUBJECTS.length; s += 1) {
      const subject = SUBJECTS[s];
      if (!subject || hoursIn(subject, cls.parallel) <= 0) continue;
      const loads = staffPlan.assignments.filter((a) => a.classIndex === cls.index && a.subjectIndex === s);
      curriculumRows.push({
        class_id: classIds[cls.index] as number,
        subject_id: subjectIds[s] as number,
        hours_per_week: hoursIn(subject, cls.parallel),
        teacher_id: staffId(loads[0]?.teacher ?? -1),
      });
      for (const a of loads) {
        if (a.group === 0) continue;
        groupRows.push({ class_id: classIds[cls.index] as number, subject_id: subjectIds[s] as number, name: `${a.group} группа`, teacher_id: staffId(a.teacher) });
      }
    }
  }
  await insertBatches(db, job, 'curriculum', curriculumRows);
  const groupIdByKey = new Map<string, number>();
  for (let i = 0; i < groupRows.length; i += 500) {
    const returned = await db
      .insertInto('study_group')
      .values(groupRows.slice(i, i + 500))
      .returning(['id', 'class_id', 'subject_id', 'name'])
      .execute();
    for (const r of returned) groupIdByKey.set(`${r.class_id}|${r.subject_id}|${r.name}`, r.id);
  }
  const groupId = (classIndex: number, subjectIndex: number, group: number): number =>
    groupIdByKey.get(`${classIds[classIndex]}|${subjectIds[subjectIndex]}|${group} группа`) as number;
  await job.checkpoint();

  // ---- Pupils, in the order of the alphabet book ----
  progress.report('Ученики', 0);
  const pupilIds = new Array<number>(people.pupils.length);
  for (let i = 0; i < movement.bookOrder.length; i += 500) {
    const chunk = movement.bookOrder.slice(i, i + 500).map((index) => people.pupils[index] as PupilPlan);
    const returned = await db
      .insertInto('pupil')
      .values(
        chunk.map((p) => ({
          last_name: p.lastName,
          first_name: p.firstName,
          middle_name: p.middleName,
          birth_date: isoDay(p.birth),
          gender: p.gender,
          snils: p.snils,
          doc_kind: p.doc.kind,
          doc_series: p.doc.series,
          doc_number: p.doc.number,
          doc_issued_by: p.doc.issuedBy,
          doc_issued_on: isoDay(p.doc.issuedOn),
          reg_address: p.regAddress,
          live_address: p.liveAddress,
          phone: p.phone,
          email: p.email,
          alphabet_letter: movement.alphabet[p.index]?.letter ?? null,
          alphabet_number: movement.alphabet[p.index]?.number ?? null,
          created_at: p.midYear ? stamp(movement.admissionDay[p.index] as Day) : registerStamp,
          updated_at: p.midYear ? stamp(movement.admissionDay[p.index] as Day) : registerStamp,
        })),
      )
      .returning(['id', 'snils'])
      .execute();
    const idBySnils = new Map(returned.map((r) => [r.snils, r.id]));
    for (const p of chunk) pupilIds[p.index] = idBySnils.get(p.snils) as number;
    await job.checkpoint();
    progress.report('Ученики', (i + chunk.length) / movement.bookOrder.length);
  }
  await insertBatches(
    db,
    job,
    'alphabet_counter',
    movement.counters.map((c) => ({ letter: c.letter, last_number: c.lastNumber })),
  );

  // ---- Guardians (siblings share the same rows) ----
  progress.report('Родители', 0);
  const guardianIds = new Array<number>(people.guardians.length);
  const familyStamp = (family: number): string => {
    const f = people.families[family];
    const newcomer = f?.children.every((c) => people.pupils[c]?.midYear) ?? false;
    return newcomer ? stamp(Math.min(...(f?.children ?? []).map((c) => movement.admissionDay[c] as Day))) : registerStamp;
  };
  for (let i = 0; i < people.guardians.length; i += 500) {
    const chunk = people.guardians.slice(i, i + 500);
    const returned = await db
      .insertInto('guardian')
      .values(
        chunk.map((g) => ({
          last_name: g.lastName,
          first_name: g.firstName,
          middle_name: g.middleName,
          birth_date: isoDay(g.birth),
          snils: g.snils,
          doc_kind: 'passport' as const,
          doc_series: g.doc.series,
          doc_number: g.doc.number,
          doc_issued_by: g.doc.issuedBy,
          doc_issued_on: isoDay(g.doc.issuedOn),
          reg_address: g.regAddress,
          live_address: g.liveAddress,
          phone: g.phone,
          email: g.email,
          created_at: familyStamp(g.family),
          updated_at: familyStamp(g.family),
        })),
      )
      .returning(['id', 'snils'])
      .execute();
    const idBySnils = new Map(returned.map((r) => [r.snils, r.id]));
    for (const g of chunk) guardianIds[g.index] = idBySnils.get(g.snils) as number;
    await job.checkpoint();
    progress.report('Родители', (i + chunk.length) / people.guardians.length);
  }
  const links: Insertable<PupilGuardianTable>[] = [];
  for (const family of people.families) {
    for (const c of family.children) {
      const pupil = people.pupils[c] as PupilPlan;
      for (const g of family.guardians) {
        const guardian = people.guardians[g] as GuardianPlan;
        links.push({
          pupil_id: pupilIds[c] as number,
          guardian_id: guardianIds[g] as number,
          kinship: kinshipOf(guardian, pupil, asOf),
          authority_doc: guardian.authorityDoc,
        });
      }
    }
  }
  await insertBatches(db, job, 'pupil_guardian', links);

  // ---- Orders, movement events, memberships, group members ----
  progress.report('Приказы и движение', 0);
  const signedBy = `${staffPlan.director.lastName} ${staffPlan.director.firstName[0]}. ${staffPlan.director.middleName[0]}.`;
  const orderIds = new Array<number>(movement.orders.length);
  for (let i = 0; i < movement.orders.length; i += 500) {
    const chunk = movement.orders.slice(i, i + 500);
    const returned = await db
      .insertInto('pupil_order')
      .values(
        chunk.map((o) => ({
          year_label: o.label,
          seq: o.seq,
          number: o.number,
          order_date: isoDay(o.day),
          kind: o.kind,
          title: o.title,
          body: o.body,
          signed_by: signedBy,
          created_at: stamp(o.day),
        })),
      )
      .returning(['id', 'year_label', 'number'])
      .execute();
    const idByKey = new Map(returned.map((r) => [`${r.year_label}|${r.number}`, r.id]));
    for (const o of chunk) orderIds[o.index] = idByKey.get(`${o.label}|${o.number}`) as number;
    await job.checkpoint();
  }
  const eventIds = new Array<number>(movement.events.length);
  for (let i = 0; i < movement.events.length; i += 500) {
    const chunk = movement.events.slice(i, i + 500);
    const returned = await db
      .insertInto('movement_event')
      .values(
        chunk.map((e) => ({
          pupil_id: pupilIds[e.pupil] as number,
          order_id: orderIds[e.order] as number,
          kind: e.kind,
          event_date: isoDay(e.day),
          from_class_id: e.fromClass === null ? null : (classIds[e.fromClass] as number),
          to_class_id: e.toClass === null ? null : (classIds[e.toClass] as number),
          reason: e.reason,
          place: e.place,
          cancels_event_id: null,
          note: null,
          created_at: stamp(e.day),
          created_by: null,
        })),
      )
      .returning(['id', 'pupil_id', 'kind'])
      .execute();
    // A pupil has at most one event of each kind here.
    const idByKey = new Map(returned.map((r) => [`${r.pupil_id}|${r.kind}`, r.id]));
    for (const e of chunk) eventIds[e.index] = idByKey.get(`${pupilIds[e.pupil]}|${e.kind}`) as number;
    await job.checkpoint();
  }
  progress.report('Приказы и движение', 0.6);
  await insertBatches(
    db,
    job,
    'class_membership',
    movement.memberships.map((m) => ({
      pupil_id: pupilIds[m.pupil] as number,
      class_id: classIds[m.classIndex] as number,
      from_date: isoDay(m.from),
      to_date: m.to === null ? null : isoDay(m.to),
      start_event_id: m.startEvent === null ? null : (eventIds[m.startEvent] as number),
      end_event_id: m.endEvent === null ? null : (eventIds[m.endEvent] as number),
    })),
  );
  const members: Insertable<GroupMemberTable>[] = [];
  for (const m of movement.memberships) {
    if (m.group === 0) continue;
    const cls = classes[m.classIndex] as ClassPlan;
    SUBJECTS.forEach((subject, s) => {
      if (subject.split && hoursIn(subject, cls.parallel) > 0) members.push({ group_id: groupId(m.classIndex, s, m.group), pupil_id: pupilIds[m.pupil] as number });
    });
  }
  await insertBatches(db, job, 'group_member', members);

  // ---- Consents ----
  progress.report('Согласия', 0);
  const templates = consentTemplates(card);
  const templateRows = await db
    .insertInto('consent_template')
    .values(
      // Structured texts (ст. 9 ч. 4 part by part); the legacy free-text body stays empty.
      templates.map((t) => ({
        purpose: t.purpose,
        version: 1,
        title: t.title,
        body: '',
        purpose_text: t.purposeText,
        data_list: t.dataList,
        actions_text: t.actionsText,
        processor_text: t.processorText,
        term_text: t.termText,
        categories_json: t.categories === null ? null : JSON.stringify(t.categories),
        created_at: registerStamp,
        created_by: null,
      })),
    )
    .returning(['id', 'purpose'])
    .execute();
  const templateId = new Map(templateRows.map((r) => [r.purpose, r.id]));
  const consentRows: Insertable<ConsentTable>[] = consents.map((c) => ({
    subject_kind: c.subjectKind,
    pupil_id: c.pupil === null ? null : (pupilIds[c.pupil] as number),
    guardian_id: c.guardian === null ? null : (guardianIds[c.guardian] as number),
    purpose: c.purpose,
    status: c.status,
    decided_on: isoDay(c.day),
    template_id: templateId.get(c.purpose) as number,
    signed_by_guardian_id: c.signedByGuardian === null ? null : (guardianIds[c.signedByGuardian] as number),
    signed_by_pupil: c.signedByPupil ? 1 : 0,
    categories_json: c.categories === null ? null : JSON.stringify(c.categories),
    scan: null,
    scan_mime: null,
    created_at: stamp(c.day),
  }));
  await insertBatches(db, job, 'consent', consentRows);

  // ---- The year's journal ----
  progress.report('Уроки и отметки', 0);
  const curriculum: CurriculumUnit[][] = classes.map((cls) => {
    const units: CurriculumUnit[] = [];
    SUBJECTS.forEach((subject, s) => {
      const hours = hoursIn(subject, cls.parallel);
      if (hours <= 0) return;
      const loads = staffPlan.assignments.filter((a) => a.classIndex === cls.index && a.subjectIndex === s);
      units.push({
        subject,
        subjectIndex: s,
        subjectId: subjectIds[s] as number,
        hours,
        groups: loads.map((a) => ({ groupId: a.group === 0 ? null : groupId(cls.index, s, a.group), group: a.group, teacherId: staffId(a.teacher) })),
      });
    });
    return units;
  });
  const substitutes = new Map<number, number[]>();
  for (const [teacher, list] of staffPlan.substitutes) substitutes.set(staffId(teacher), list.map(staffId));
  const journal = await writeJournal({
    db,
    job,
    progress,
    stage: 'Уроки и отметки',
    seed,
    calendar,
    yearId: year.id,
    periodIds,
    classes,
    classIds,
    pupils: people.pupils,
    pupilIds,
    memberships: movement.memberships,
    curriculum,
    substitutes,
  });
  progress.finish('Уроки и отметки');

  return {
    classes: classes.length,
    staff: staffPlan.staff.length,
    subjects: SUBJECTS.length,
    pupils: people.pupils.length,
    guardians: people.guardians.length,
    orders: movement.orders.length,
    lessons: journal.lessons,
    marks: journal.marks,
    attendance: journal.attendance,
    finalMarks: journal.finalMarks,
    consents: consentRows.length,
  };
}
