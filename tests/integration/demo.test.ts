import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../common/api/contract';
import { isValidSnils } from '../../common/domain/snils';
import type { Database } from '../../db/schema';
import { openInitializedApp, type TestApp } from '../support/app';

type AdminApp = TestApp & { adminSession: string };

const PARAMS = { seed: 1, pupils: 200, year: '2025/2026' } as const;

async function count(t: TestApp, table: keyof Database): Promise<number> {
  const row = await t.app.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const ALL_TABLES: (keyof Database)[] = [
  'school', 'school_year', 'period', 'holiday', 'staff', 'school_class', 'subject', 'curriculum', 'study_group', 'group_member',
  'pupil', 'alphabet_counter', 'guardian', 'pupil_guardian', 'pupil_order', 'movement_event', 'class_membership',
  'consent_template', 'consent', 'lesson', 'mark', 'attendance', 'final_mark', 'audit_log',
];

async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ALL_TABLES) out[table] = await count(t, table);
  return out;
}

/** A digest of everything the generator writes (the audit log aside: it carries the clock). */
async function digest(t: TestApp): Promise<string> {
  const hash = createHash('sha256');
  for (const table of ALL_TABLES) {
    if (table === 'audit_log') continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1, 2`.execute(t.app.db);
    hash.update(`${table}\n`);
    for (const row of rows.rows) hash.update(`${JSON.stringify(row)}\n`);
  }
  return hash.digest('hex');
}

async function pupilList(t: TestApp) {
  return t.app.db.selectFrom('pupil').select(['last_name', 'first_name', 'middle_name', 'snils', 'birth_date']).orderBy('id').execute();
}

describe('demo school (200 pupils)', () => {
  let t: AdminApp;
  let result: Result<'demo.generate'>;

  beforeAll(async () => {
    t = await openInitializedApp();
    result = await t.call('demo.generate', PARAMS, t.adminSession);
  });
  afterAll(async () => {
    await t.close();
  });

  it('returns counts consistent with the tables', async () => {
    const c = result.counts;
    expect(result.year).toBe('2025/2026');
    expect(c.pupils).toBe(200);
    expect(await count(t, 'school_class')).toBe(c.classes);
    expect(await count(t, 'staff')).toBe(c.staff);
    expect(await count(t, 'subject')).toBe(c.subjects);
    expect(await count(t, 'pupil')).toBe(c.pupils);
    expect(await count(t, 'guardian')).toBe(c.guardians);
    expect(await count(t, 'pupil_order')).toBe(c.orders);
    expect(await count(t, 'lesson')).toBe(c.lessons);
    expect(await count(t, 'mark')).toBe(c.marks);
    expect(await count(t, 'attendance')).toBe(c.attendance);
    expect(await count(t, 'final_mark')).toBe(c.finalMarks);
    expect(await count(t, 'consent')).toBe(c.consents);
    for (const key of ['guardians', 'orders', 'lessons', 'marks', 'attendance', 'finalMarks', 'consents'] as const) {
      expect(c[key], key).toBeGreaterThan(0);
    }
  });

  it('fills the school card, the year with its periods and holidays', async () => {
    const school = await t.app.db.selectFrom('school').selectAll().executeTakeFirstOrThrow();
    expect(school.name).toMatch(/^МБОУ «Средняя школа № \d+»$/);
    expect(school.address).toMatch(/г\. Красноярск/);
    expect(school.inn).toMatch(/^24\d{8}$/);
    expect(school.director_name.split(' ')).toHaveLength(3);

    const years = await t.app.db.selectFrom('school_year').selectAll().execute();
    expect(years).toHaveLength(1);
    expect(years[0]).toMatchObject({ name: '2025/2026', starts_on: '2025-09-01', ends_on: '2026-05-26', closed: 0 });
    const periods = await t.app.db.selectFrom('period').selectAll().orderBy('scheme').orderBy('number').execute();
    expect(periods.map((p) => `${p.scheme} ${p.number} ${p.name}`)).toEqual([
      'halves 1 1 полугодие',
      'halves 2 2 полугодие',
      'quarters 1 1 четверть',
      'quarters 2 2 четверть',
      'quarters 3 3 четверть',
      'quarters 4 4 четверть',
    ]);
    const holidays = await t.app.db.selectFrom('holiday').select('name').execute();
    expect(holidays.map((h) => h.name).sort()).toEqual(
      ['Весенние каникулы', 'Дополнительные каникулы для 1 классов', 'Зимние каникулы', 'Осенние каникулы'].sort(),
    );
  });

  it('has classes 1–11, each with its own class teacher and the right period scheme', async () => {
    const classes = await t.app.db.selectFrom('school_class').selectAll().execute();
    expect([...new Set(classes.map((c) => c.parallel))].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(classes.every((c) => c.class_teacher_id !== null)).toBe(true);
    expect(new Set(classes.map((c) => c.class_teacher_id)).size).toBe(classes.length);
    for (const c of classes) expect(c.period_scheme).toBe(c.parallel >= 10 ? 'halves' : 'quarters');
    const curriculum = await t.app.db.selectFrom('curriculum').selectAll().execute();
    expect(curriculum.every((row) => row.teacher_id !== null && row.hours_per_week > 0)).toBe(true);
  });

  it('gives every pupil and guardian a valid, unique СНИЛС above the exempt range', async () => {
    const pupils = await t.app.db.selectFrom('pupil').select('snils').execute();
    const guardians = await t.app.db.selectFrom('guardian').select('snils').execute();
    const all = [...pupils, ...guardians].map((r) => r.snils ?? '');
    expect(all.every((s) => /^\d{11}$/.test(s) && isValidSnils(s) && Number(s.slice(0, 9)) > 1_001_998)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives pupils documents by age and guardians by family, siblings sharing them', async () => {
    const pupils = await t.app.db.selectFrom('pupil').selectAll().execute();
    for (const p of pupils) {
      expect(p.doc_series).toMatch(p.doc_kind === 'passport' ? /^\d{4}$/ : /^[IVX]+-[А-Я]{2}$/);
      expect(p.doc_number).toMatch(/^\d{6}$/);
    }
    const links = await t.app.db.selectFrom('pupil_guardian').selectAll().execute();
    expect(new Set(links.map((l) => l.pupil_id)).size).toBe(pupils.length);
    const perGuardian = new Map<number, number>();
    for (const l of links) perGuardian.set(l.guardian_id, (perGuardian.get(l.guardian_id) ?? 0) + 1);
    expect(Math.max(...perGuardian.values())).toBeGreaterThanOrEqual(2);
    for (const l of links) {
      if (l.kinship === 'опекун' || l.kinship === 'попечитель') expect(l.authority_doc).toMatch(/опеки/);
      else expect(l.authority_doc).toBeNull();
    }
  });

  it('keeps 1st classes without marks and writes valid final marks elsewhere', async () => {
    const firstMarks = await t.app.db
      .selectFrom('mark')
      .innerJoin('lesson', 'lesson.id', 'mark.lesson_id')
      .innerJoin('school_class', 'school_class.id', 'lesson.class_id')
      .where('school_class.parallel', '=', 1)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(firstMarks.n)).toBe(0);
    const firstFinals = await t.app.db
      .selectFrom('final_mark')
      .innerJoin('class_membership', 'class_membership.pupil_id', 'final_mark.pupil_id')
      .innerJoin('school_class', 'school_class.id', 'class_membership.class_id')
      .where('school_class.parallel', '=', 1)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(firstFinals.n)).toBe(0);
    const firstLessons = await t.app.db
      .selectFrom('lesson')
      .innerJoin('school_class', 'school_class.id', 'lesson.class_id')
      .where('school_class.parallel', '=', 1)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(firstLessons.n)).toBeGreaterThan(0);

    const markValues = await t.app.db.selectFrom('mark').select('value').distinct().execute();
    expect(markValues.map((m) => m.value).sort()).toEqual(['2', '3', '4', '5']);
    const finals = await t.app.db.selectFrom('final_mark').select(['value', 'kind', 'period_id']).execute();
    expect(finals.every((f) => ['2', '3', '4', '5', 'зач', 'осв'].includes(f.value))).toBe(true);
    expect(finals.every((f) => (f.kind === 'period') === (f.period_id !== null))).toBe(true);
    expect(finals.some((f) => f.kind === 'year')).toBe(true);
  });

  it('writes attendance and marks only for members of the class or group on the day', async () => {
    const outsiders = await sql<{ n: number }>`
      select count(*) as n from (
        select pupil_id, lesson_id from mark union all select pupil_id, lesson_id from attendance
      ) x join lesson l on l.id = x.lesson_id
      where not exists (
        select 1 from class_membership m
        where m.pupil_id = x.pupil_id and m.class_id = l.class_id
          and m.from_date <= l.lesson_date and (m.to_date is null or m.to_date >= l.lesson_date))
      or (l.group_id is not null and not exists (
        select 1 from group_member g where g.group_id = l.group_id and g.pupil_id = x.pupil_id))`.execute(t.app.db);
    expect(Number(outsiders.rows[0]?.n)).toBe(0);
    const groupLessons = await t.app.db.selectFrom('lesson').where('group_id', 'is not', null).select('id').limit(1).execute();
    expect(groupLessons).toHaveLength(1);
    const weekend = await sql<{ n: number }>`select count(*) as n from lesson where strftime('%w', lesson_date) in ('0', '6')`.execute(t.app.db);
    expect(Number(weekend.rows[0]?.n)).toBe(0);
  });

  it('numbers the alphabet book per letter and keeps the counters in step', async () => {
    const pupils = await t.app.db.selectFrom('pupil').select(['last_name', 'alphabet_letter', 'alphabet_number']).execute();
    const seen = new Set<string>();
    const max = new Map<string, number>();
    for (const p of pupils) {
      expect(p.alphabet_letter).toBe(p.last_name[0]);
      const key = `${p.alphabet_letter}/${p.alphabet_number}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      max.set(p.alphabet_letter ?? '', Math.max(max.get(p.alphabet_letter ?? '') ?? 0, p.alphabet_number ?? 0));
    }
    const counters = await t.app.db.selectFrom('alphabet_counter').selectAll().execute();
    expect(Object.fromEntries(counters.map((c) => [c.letter, c.last_number]))).toEqual(Object.fromEntries(max));
    // Numbers run 1..n on each page, with no gaps.
    for (const [letter, n] of max) expect(pupils.filter((p) => p.alphabet_letter === letter)).toHaveLength(n);
  });

  it('backs every pupil with an admission order and dates the year movement consistently', async () => {
    const admissions = await t.app.db
      .selectFrom('movement_event')
      .innerJoin('pupil_order', 'pupil_order.id', 'movement_event.order_id')
      .where('movement_event.kind', '=', 'admission')
      .select(['movement_event.pupil_id', 'movement_event.event_date', 'pupil_order.order_date', 'pupil_order.kind'])
      .execute();
    expect(new Set(admissions.map((a) => a.pupil_id)).size).toBe(200);
    expect(admissions.every((a) => a.kind === 'admission' && a.event_date === a.order_date)).toBe(true);

    const orders = await t.app.db.selectFrom('pupil_order').selectAll().orderBy('id').execute();
    const byLabel = new Map<string, number[]>();
    for (const o of orders) {
      const month = Number(o.order_date.slice(5, 7));
      const first = Number(o.order_date.slice(0, 4)) - (month >= 9 ? 0 : 1);
      expect(o.year_label).toBe(`${first}/${first + 1}`);
      expect(o.number).toBe(`${o.seq}-у`);
      byLabel.set(o.year_label, [...(byLabel.get(o.year_label) ?? []), o.seq]);
    }
    for (const seqs of byLabel.values()) expect([...seqs].sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i + 1));
    expect(orders.some((o) => o.kind === 'expulsion')).toBe(true);

    const leaves = await t.app.db
      .selectFrom('movement_event as e')
      .innerJoin('class_membership as m', 'm.end_event_id', 'e.id')
      .where('e.kind', '=', 'leave')
      .select(['e.event_date', 'e.reason', 'm.to_date'])
      .execute();
    expect(leaves.length).toBeGreaterThan(0);
    for (const l of leaves) {
      const dayBefore = new Date(Date.parse(`${l.event_date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect(l.to_date).toBe(dayBefore);
      expect(l.reason).toBeTruthy();
    }
    const open = await t.app.db.selectFrom('class_membership').where('to_date', 'is', null).select('pupil_id').execute();
    expect(open.length).toBe(200 - leaves.length);
    expect(new Set(open.map((m) => m.pupil_id)).size).toBe(open.length);
  });

  it('records consents for every pupil and guardian', async () => {
    const consents = await t.app.db.selectFrom('consent').selectAll().execute();
    const pupilData = consents.filter((c) => c.purpose === 'pupil_data');
    expect(new Set(pupilData.map((c) => c.pupil_id)).size).toBe(200);
    expect(pupilData.every((c) => c.status === 'given' && c.signed_by_guardian_id !== null)).toBe(true);
    expect(pupilData.some((c) => c.signed_by_pupil === 1)).toBe(true);
    const guardians = await count(t, 'guardian');
    expect(consents.filter((c) => c.purpose === 'guardian_data')).toHaveLength(guardians);
    const electronic = consents.filter((c) => c.purpose === 'electronic_results');
    expect(electronic).toHaveLength(guardians);
    expect(electronic.filter((c) => c.status === 'given').length).toBeGreaterThan(guardians * 0.85);
    const distribution = consents.filter((c) => c.purpose === 'distribution' && c.status === 'given');
    expect(distribution.every((c) => (JSON.parse(c.categories_json ?? '[]') as string[]).includes('фамилия и имя'))).toBe(true);
    expect(await count(t, 'consent_template')).toBe(4);
  });

  it('logs the run once, and refuses a second run without changing anything', async () => {
    const before = await tableCounts(t);
    const logged = await t.app.db.selectFrom('audit_log').select('method').where('method', '=', 'demo.generate').execute();
    expect(logged).toHaveLength(1);

    const refused = await t.refuse('demo.generate', PARAMS, t.adminSession);
    expect(refused.code).toBe('refused');
    expect(refused.message).toMatch(/только в пустой базе/);
    expect(await tableCounts(t)).toEqual(before);
  });
});

describe('demo school determinism and cancel', () => {
  const opened: TestApp[] = [];
  afterAll(async () => {
    for (const t of opened) await t.close();
  });
  async function fresh(): Promise<AdminApp> {
    const t = await openInitializedApp();
    opened.push(t);
    return t;
  }

  it('gives the same school for the same seed, byte for byte, and another for another seed', async () => {
    const a = await fresh();
    const b = await fresh();
    const c = await fresh();
    await a.call('demo.generate', PARAMS, a.adminSession);
    await b.call('demo.generate', PARAMS, b.adminSession);
    await c.call('demo.generate', { ...PARAMS, seed: 2 }, c.adminSession);
    const listA = await pupilList(a);
    expect(await pupilList(b)).toEqual(listA);
    expect(await pupilList(c)).not.toEqual(listA);
    expect(await digest(b)).toBe(await digest(a));
  });

  it('rolls everything back when cancelled', async () => {
    const t = await fresh();
    const jobId = 'demo-cancel-test';
    const stages: string[] = [];
    let cancel: Promise<unknown> | null = null;
    const unsubscribe = t.app.events.subscribe((event, payload) => {
      if (event !== 'job.progress') return;
      const progress = payload as { jobId: string; stage: string };
      if (progress.jobId !== jobId) return;
      stages.push(progress.stage);
      cancel ??= t.call('jobs.cancel', { jobId }, t.adminSession);
    });
    const refused = await t.refuse('demo.generate', { ...PARAMS, jobId }, t.adminSession);
    unsubscribe();
    expect(await cancel).toEqual({ cancelled: true });
    expect(stages.length).toBeGreaterThan(0);
    expect(refused.code).toBe('cancelled');
    expect(await count(t, 'pupil')).toBe(0);
    expect(await count(t, 'school_year')).toBe(0);
    const logged = await t.app.db.selectFrom('audit_log').select('id').where('method', '=', 'demo.generate').execute();
    expect(logged).toHaveLength(0);
  });

  it('rolls back a run cancelled deep in the journal', async () => {
    const t = await fresh();
    const jobId = 'demo-cancel-late';
    let cancel: Promise<unknown> | null = null;
    const unsubscribe = t.app.events.subscribe((event, payload) => {
      const progress = payload as { jobId: string; stage: string; done: number };
      if (event === 'job.progress' && progress.jobId === jobId && progress.stage === 'Уроки и отметки' && progress.done < 1000) {
        cancel ??= t.call('jobs.cancel', { jobId }, t.adminSession);
      }
    });
    const refused = await t.refuse('demo.generate', { ...PARAMS, jobId }, t.adminSession);
    unsubscribe();
    expect(cancel).not.toBeNull();
    expect(refused.code).toBe('cancelled');
    for (const table of ['pupil', 'guardian', 'lesson', 'mark', 'school_class', 'staff', 'subject'] as const) {
      expect(await count(t, table), table).toBe(0);
    }
    // The school card keeps the name given at setup.
    expect((await t.app.db.selectFrom('school').select('name').executeTakeFirstOrThrow()).name).toBe('МБОУ СОШ № 1');
    // And the register is still empty enough for a new run.
    const again = await t.call('demo.generate', { ...PARAMS, pupils: 10 }, t.adminSession);
    expect(again.counts.pupils).toBe(10);
  });
});
