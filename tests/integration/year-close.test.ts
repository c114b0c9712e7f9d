import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../common/api/contract';
import { DECISIONS } from '../../common/api/year-contract';
import { openInitializedApp, type TestApp } from '../support/app';
import { completeYearMarks } from '../support/year-marks';

/**
 * The year close through the dispatcher (issue 6, «Must show»): on a demo school with complete
 * year marks the preview decides every pupil, the close moves them into the next year (opened by
 * the close), graduates leave with «окончил», the orders continue the order book, a missing mark
 * blocks until a decision is made, and a second close changes nothing.
 */

type AdminApp = TestApp & { adminSession: string };
let t: AdminApp;
let yearId: number;
let preview: Result<'year.closePreview'>;
let ordersBefore: Result<'orders.list'>;
let victimId = 0;

const YEAR = '2025/2026';
const ENDS_ON = '2026-05-26';

function tableCounts(): Record<string, number> {
  const tables = t.app.opened.raw
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'audit_log' order by name")
    .all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (t.app.opened.raw.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]));
}

const call = <M extends Parameters<AdminApp['call']>[0]>(method: M, params: Parameters<AdminApp['call']>[1] & object) => t.call(method, params as never, t.adminSession);

async function pupilsOf(classLabel: string, date: string): Promise<number[]> {
  const { classes } = await t.call('classes.list', { date }, t.adminSession);
  const cls = classes.find((c) => c.label === classLabel);
  if (!cls) return [];
  const found = await t.call('pupils.search', { classId: cls.id, date, limit: 5000 }, t.adminSession);
  return found.rows.map((r) => r.id);
}

beforeAll(async () => {
  // Early June: the year is over, the administrator closes it.
  t = await openInitializedApp({ now: () => new Date('2026-06-05T09:00:00') });
  await t.call('demo.generate', { seed: 3, pupils: 150, year: YEAR }, t.adminSession);
  completeYearMarks(t.app.opened.raw, YEAR);
  const { years } = await t.call('years.list', {}, t.adminSession);
  yearId = years.find((y) => y.name === YEAR)!.id;
  ordersBefore = await t.call('orders.list', { yearLabel: YEAR }, t.adminSession);
}, 120_000);
afterAll(async () => t?.close());

describe('year close on the demo school', () => {
  it('previews a decision for every pupil in a class on the last day, with next classes and numbered orders', async () => {
    preview = await call('year.closePreview', { yearId });
    expect(preview.blockers).toEqual([]);
    const onLastDay = await t.call('pupils.search', { date: ENDS_ON, limit: 5000 }, t.adminSession);
    expect(preview.decisions.map((d) => d.pupilId).sort((a, b) => a - b)).toEqual(onLastDay.rows.map((r) => r.id).sort((a, b) => a - b));
    for (const d of preview.decisions) {
      expect(DECISIONS).toContain(d.decision);
      const parallel = Number(/^\d+/.exec(d.class)![0]);
      if (d.decision === 'graduated') expect([9, 11]).toContain(parallel);
      if (parallel === 11) expect(['graduated', 'repeat']).toContain(d.decision);
      if (d.decision === 'promoted' || d.decision === 'conditional') expect(d.nextClass).toBe(`${parallel + 1}${d.class.replace(/^\d+/, '')}`);
      if (d.decision === 'conditional') expect(d.subjects.length).toBeGreaterThan(0);
    }
    expect(preview.totals.graduated).toBeGreaterThan(0);
    expect(preview.nextYear).toEqual({ name: '2026/2027', exists: false });
    expect(preview.nextClasses.find((c) => c.label === '6А')?.sources.some((s) => s.from === '5А')).toBe(true);
    // Orders continue the closing year's order book: the next numbers after the last one.
    const lastSeq = Math.max(0, ...ordersBefore.orders.map((o) => Number(/^\d+/.exec(o.number)?.[0] ?? 0)));
    expect(preview.orders.map((o) => o.number)).toEqual(preview.orders.map((_, i) => `${lastSeq + i + 1}-у`));
    expect(preview.orders.every((o) => o.date === ENDS_ON)).toBe(true);
    expect(preview.orders.reduce((s, o) => s + o.pupils, 0)).toBe(preview.decisions.length);
  });

  it('a pupil without a year mark blocks the close (naming the pupil and the subject) until a decision is made', async () => {
    const victim = preview.decisions.find((d) => d.class === '5А' && d.decision === 'promoted')!;
    victimId = victim.pupilId;
    const mark = t.app.opened.raw
      .prepare("select f.id, s.name from final_mark f join subject s on s.id = f.subject_id where f.pupil_id = ? and f.year_id = ? and f.kind = 'year' order by s.sort_order limit 1")
      .get(victim.pupilId, yearId) as { id: number; name: string };
    t.app.opened.raw.prepare('delete from final_mark where id = ?').run(mark.id);

    const blocked = await call('year.closePreview', { yearId });
    expect(blocked.blockers).toEqual([{ pupilId: victim.pupilId, pupil: victim.pupil, class: '5А', subject: mark.name, reason: `нет годовой отметки по предмету «${mark.name}»` }]);
    expect(blocked.decisions.find((d) => d.pupilId === victim.pupilId)?.proposed).toBeNull();

    const before = tableCounts();
    const refused = await t.refuse('year.close', { yearId }, t.adminSession);
    expect(refused.code).toBe('refused');
    expect(refused.message).toContain(victim.pupil);
    expect(refused.message).toContain(mark.name);
    expect(refused.message).toContain('примите решение вручную');
    expect(tableCounts()).toEqual(before);

    const decided = await call('year.decide', { yearId, pupilId: victim.pupilId, decision: 'promoted' });
    expect(decided).toMatchObject({ pupilId: victim.pupilId, decision: 'promoted', explicit: true, nextClass: '6А' });
    expect((await call('year.closePreview', { yearId })).blockers).toEqual([]);
  });

  it('validates decisions: «окончил» only in 9 and 11, debt subjects from the curriculum, pupils of the year; null clears', async () => {
    const fifth = preview.decisions.find((d) => d.class.startsWith('5') && d.decision === 'promoted' && !d.explicit && d.pupilId !== victimId)!;
    const graduated = await t.refuse('year.decide', { yearId, pupilId: fifth.pupilId, decision: 'graduated' }, t.adminSession);
    expect(graduated.code).toBe('invalid_params');
    expect(graduated.message).toContain('только в 9 и 11');

    const eleventh = preview.decisions.find((d) => d.class.startsWith('11'))!;
    expect((await t.refuse('year.decide', { yearId, pupilId: eleventh.pupilId, decision: 'promoted' }, t.adminSession)).message).toContain('последний');

    const foreign = t.app.opened.raw
      .prepare('select id from subject where id not in (select subject_id from curriculum where class_id = ?) limit 1')
      .get(fifth.classId) as { id: number } | undefined;
    if (foreign) {
      const refused = await t.refuse('year.decide', { yearId, pupilId: fifth.pupilId, decision: 'conditional', subjectIds: [foreign.id] }, t.adminSession);
      expect(refused.message).toContain('не входят в учебный план класса');
    }
    const outsider = t.app.opened.raw
      .prepare("select id from pupil where id not in (select m.pupil_id from class_membership m where m.from_date <= ? and (m.to_date is null or m.to_date >= ?)) limit 1")
      .get(ENDS_ON, ENDS_ON) as { id: number } | undefined;
    if (outsider) expect((await t.refuse('year.decide', { yearId, pupilId: outsider.id, decision: 'promoted' }, t.adminSession)).code).toBe('refused');

    const own = t.app.opened.raw.prepare('select subject_id as id from curriculum where class_id = ? limit 1').get(fifth.classId) as { id: number };
    const conditional = await call('year.decide', { yearId, pupilId: fifth.pupilId, decision: 'conditional', subjectIds: [own.id] });
    expect(conditional).toMatchObject({ decision: 'conditional', explicit: true, subjects: [expect.any(String)] });
    const noDebt = await t.refuse('year.decide', { yearId, pupilId: fifth.pupilId, decision: 'conditional' }, t.adminSession);
    expect(noDebt.fields).toEqual({ subjectIds: 'укажите предметы задолженности' });
    const cleared = await call('year.decide', { yearId, pupilId: fifth.pupilId, decision: null });
    expect(cleared).toMatchObject({ decision: fifth.decision, explicit: false });

    const audit = await t.call('audit.list', { limit: 20 }, t.adminSession);
    const decisions = audit.rows.filter((e) => e.method === 'year.decide');
    expect(decisions.length).toBeGreaterThanOrEqual(3);
    expect(decisions[0]).toMatchObject({ entity: 'year_decision', details: { yearId, pupilId: fifth.pupilId, decision: null } });
  });

  let repeater: { pupilId: number; class: string };
  let result: Result<'year.close'>;

  it('closes the year: snapshot, orders, movement, next year with its classes', async () => {
    const seventh = preview.decisions.find((d) => d.class === '7А' && d.decision === 'promoted')!;
    await call('year.decide', { yearId, pupilId: seventh.pupilId, decision: 'repeat' });
    repeater = { pupilId: seventh.pupilId, class: seventh.class };
    const planned = await call('year.closePreview', { yearId });

    result = await call('year.close', { yearId });
    expect(result.changed).toBe(true);
    expect(result.snapshot).toMatch(/snapshots[\\/]before-close-2025-2026-.*\.db$/);
    expect(existsSync(result.snapshot!)).toBe(true);
    expect(result.nextYear).toMatchObject({ name: '2026/2027', created: true });
    expect(result.totals).toEqual(planned.totals);
    expect(result.orders.map((o) => ({ kind: o.kind, number: o.number, date: o.date, title: o.title, pupils: o.pupils }))).toEqual(planned.orders);

    const years = (await t.call('years.list', {}, t.adminSession)).years;
    expect(years.find((y) => y.name === YEAR)?.closed).toBe(true);

    // The orders are in the book of the closing year, right after the ones it had.
    const after = await t.call('orders.list', { yearLabel: YEAR }, t.adminSession);
    expect(after.orders.slice(0, ordersBefore.orders.length).map((o) => o.id)).toEqual(ordersBefore.orders.map((o) => o.id));
    expect(after.orders.slice(ordersBefore.orders.length).map((o) => o.number)).toEqual(planned.orders.map((o) => o.number));

    const audit = await t.call('audit.list', { limit: 5 }, t.adminSession);
    const entry = audit.rows.find((e) => e.method === 'year.close');
    expect(entry).toMatchObject({ entity: 'school_year', entityId: String(yearId), details: { year: YEAR, changed: true, orderIds: result.orders.map((o) => o.id) } });
  });

  it('every promoted 5А pupil is in 6А of the new year; repeaters stay in their parallel', async () => {
    const nextStart = (await t.call('years.list', {}, t.adminSession)).years.find((y) => y.name === '2026/2027')!.startsOn;
    const promoted5A = preview.decisions.filter((d) => d.class === '5А' && (d.decision === 'promoted' || d.decision === 'conditional')).map((d) => d.pupilId);
    expect(promoted5A.length).toBeGreaterThan(0);
    const in6A = await pupilsOf('6А', nextStart);
    for (const id of promoted5A) expect(in6A).toContain(id);
    expect(await pupilsOf('7А', nextStart)).toContain(repeater.pupilId);
    const card = await t.call('pupils.get', { id: repeater.pupilId }, t.adminSession);
    expect(card.events.at(-1)).toMatchObject({ kind: 'repeat', fromClass: '7А', toClass: '7А', order: result.orders.find((o) => o.kind === 'repeat')!.number });
  });

  it('every 11th-class graduate has left with «окончил»', async () => {
    const graduates = preview.decisions.filter((d) => d.class.startsWith('11') && d.decision === 'graduated');
    expect(graduates.length).toBeGreaterThan(0);
    const graduation = result.orders.find((o) => o.kind === 'graduation')!;
    for (const g of graduates) {
      const card = await t.call('pupils.get', { id: g.pupilId }, t.adminSession);
      expect(card.class).toBeNull();
      expect(card.events.at(-1)).toMatchObject({ kind: 'graduation', kindLabel: 'Выпуск', note: 'окончил', order: graduation.number, fromClass: g.class, toClass: null, date: ENDS_ON });
      const later = t.app.opened.raw.prepare("select count(*) as n from class_membership where pupil_id = ? and (to_date is null or to_date > ?)").get(g.pupilId, ENDS_ON) as { n: number };
      expect(later.n).toBe(0);
    }
  });

  it('the movement report of the new year starts from the close\'s numbers', async () => {
    const next = (await t.call('years.list', {}, t.adminSession)).years.find((y) => y.name === '2026/2027')!;
    const report = await t.call('movement.report', { from: next.startsOn, to: next.startsOn }, t.adminSession);
    const planned = preview.decisions.length - preview.totals.graduated;
    expect(report.totals.start).toBe(planned);
    const sixA = report.classes.find((c) => c.class === '6А');
    const expected6A = preview.decisions.filter((d) => d.nextClass === '6А' && d.pupilId !== repeater.pupilId).length + (repeater.class === '6А' ? 1 : 0);
    expect(sixA?.start).toBe(expected6A);
    // Every ending and every created row is recorded for «reopen».
    const rows = t.app.opened.raw.prepare('select table_name as t, count(*) as n from year_close_row where year_id = ? group by table_name').all(yearId) as { t: string; n: number }[];
    const byTable = Object.fromEntries(rows.map((r) => [r.t, r.n]));
    expect(byTable.movement_event).toBe(preview.decisions.length);
    expect(byTable.class_membership).toBe(planned);
    expect(byTable.pupil_order).toBe(result.orders.length);
    expect(byTable.school_year).toBe(1);
    const endings = t.app.opened.raw.prepare('select count(*) as n from year_close_ending where year_id = ?').get(yearId) as { n: number };
    expect(endings.n).toBe(preview.decisions.length);
  });

  it('a second close changes nothing', async () => {
    const before = tableCounts();
    const again = await call('year.close', { yearId });
    expect(again.changed).toBe(false);
    expect(again.orders.map((o) => o.id)).toEqual(result.orders.map((o) => o.id));
    expect(again.totals).toEqual(result.totals);
    expect(tableCounts()).toEqual(before);

    // The preview of the closed year shows what the close did.
    const shown = await call('year.closePreview', { yearId });
    expect(shown).toMatchObject({ closed: true, blockers: [], totals: result.totals });
    expect(shown.orders).toEqual(result.orders.map(({ id: _id, ...o }) => o));
    expect(shown.decisions.length).toBe(preview.decisions.length);
    expect((await t.refuse('year.decide', { yearId, pupilId: repeater.pupilId, decision: null }, t.adminSession)).message).toContain('закрыт');
  });
});

describe('year close into a next year opened beforehand without its structure', () => {
  let s: AdminApp;
  let sYearId: number;
  let nextId: number;

  beforeAll(async () => {
    s = await openInitializedApp({ now: () => new Date('2026-06-05T09:00:00') });
    await s.call('demo.generate', { seed: 5, pupils: 60, year: YEAR }, s.adminSession);
    completeYearMarks(s.app.opened.raw, YEAR);
    sYearId = (await s.call('years.list', {}, s.adminSession)).years.find((y) => y.name === YEAR)!.id;
    // The next year exists with only its 1А, where a first grader is already admitted for September.
    nextId = (await s.call('years.open', { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-05-31' }, s.adminSession)).yearId;
    const firstA = await s.call('classes.save', { yearId: nextId, parallel: 1, letter: 'А', periodScheme: 'quarters', classTeacherId: null }, s.adminSession);
    await s.call(
      'movement.admit',
      { order: { date: '2026-09-01' }, classId: firstA.id, pupil: { lastName: 'Новикова', firstName: 'Алиса', middleName: 'Игоревна', birthDate: '2019-04-02', gender: 'ж' } },
      s.adminSession,
    );
  }, 120_000);
  afterAll(async () => s?.close());

  it('refuses an order date outside the year, then creates the missing classes with their curriculum and dates everything by the order date', async () => {
    const outside = await s.refuse('year.closePreview', { yearId: sYearId, orderDate: '2026-09-02' }, s.adminSession);
    expect(outside).toMatchObject({ code: 'invalid_params', fields: { orderDate: 'дата вне учебного года' } });

    const planned = await s.call('year.closePreview', { yearId: sYearId, orderDate: '2026-06-01' }, s.adminSession);
    expect(planned.nextYear).toEqual({ name: '2026/2027', exists: true });
    expect(planned.nextClasses.find((c) => c.label === '1А')).toMatchObject({ exists: true, pupils: 1, sources: [{ from: 'зачислены на новый год', pupils: 1 }] });
    expect(planned.nextClasses.find((c) => c.label === '6А')).toMatchObject({ exists: false });

    const result = await s.call('year.close', { yearId: sYearId, orderDate: '2026-06-01' }, s.adminSession);
    expect(result.nextYear).toEqual({ id: nextId, name: '2026/2027', created: false });
    expect(result.orders.every((o) => o.date === '2026-06-01')).toBe(true);

    const raw = s.app.opened.raw;
    const created = raw
      .prepare("select c.parallel || c.letter as label from year_close_row r join school_class c on c.id = r.row_id where r.year_id = ? and r.table_name = 'school_class' order by c.parallel")
      .all(sYearId) as { label: string }[];
    const targets = planned.nextClasses.filter((c) => !c.exists).map((c) => c.label);
    expect(created.map((c) => c.label).sort()).toEqual([...targets].sort());
    const curriculum = raw.prepare("select count(*) as n from year_close_row where year_id = ? and table_name = 'curriculum'").get(sYearId) as { n: number };
    expect(curriculum.n).toBeGreaterThan(0);
    // The year itself was not made by the close: reopen must leave it.
    expect(raw.prepare("select count(*) as n from year_close_row where year_id = ? and table_name = 'school_year'").get(sYearId)).toEqual({ n: 0 });
    const dates = raw.prepare("select distinct event_date as d from movement_event e join year_close_row r on r.row_id = e.id and r.table_name = 'movement_event' where r.year_id = ?").all(sYearId);
    expect(dates).toEqual([{ d: '2026-06-01' }]);

    const report = await s.call('movement.report', { from: '2026-09-01', to: '2026-09-01' }, s.adminSession);
    expect(report.totals.start).toBe(planned.nextClasses.reduce((n, c) => n + c.pupils, 0));
  });
});
