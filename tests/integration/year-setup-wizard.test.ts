import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName, Params, Result } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { calendarOf, classesOf, defaultCalendar, draftOf, emptyClass, newKey, rollForward, type DraftClass, type YearDraft } from '../../common/domain/year-draft';
import { classesRequest, curriculumRequest, newYearRequest, type NewYearInput } from '../../common/api/year-draft-contract';
import { openInitializedApp, type TestApp } from '../support/app';
import { dataDigest } from '../support/data-tables';

/**
 * The «Открыть учебный год» wizard and the «Структура года» panel, through the calls the window
 * makes (renderer/src/screens/year/commit.ts: one years.applyDraft each, built by the requests of
 * common/api/year-draft-contract.ts) against the real
 * dispatcher: the wizard's preview of the copied structure is what years.open makes (so an
 * untouched wizard writes nothing after the open), whatever the administrator changed in the
 * draft is what the year holds afterwards, and a refusal of any part — the last one too —
 * leaves the register exactly as it was: no year, no class, no audit entry.
 */

type AdminApp = TestApp & { adminSession: string };

let t: AdminApp;
let calls: MethodName[];

/** The window's client over the dispatcher: records every method called, refusals thrown as ApiError. */
function client() {
  return {
    invoke: async <M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> => {
      calls.push(method);
      const response = await t.app.dispatch({ method, params, sessionId: t.adminSession });
      if (!response.ok) throw new ApiError(response.error.code, response.error.message, response.error.fields);
      return response.result as Result<M>;
    },
  };
}

/** The refusal of a call that must fail. */
async function refusal(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the call was expected to be refused').toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** The audit entries of the draft's saves, by their titles (each step keeps its own). */
function draftAudit(): string[] {
  return (t.app.opened.raw.prepare("select action from audit_log where method = 'years.applyDraft' order by id").all() as { action: string }[]).map((r) => r.action);
}

/** Every data table and the audit log: a refused save must change neither. */
function registerState() {
  const audit = t.app.opened.raw.prepare('select count(*) as n from audit_log').get() as { n: number };
  return { data: dataDigest(t.app.opened.raw), audit: audit.n };
}

// The window's saves (renderer/src/screens/year/commit.ts), over the test's client.
const openYearWithDraft = (api: ReturnType<typeof client>, input: NewYearInput, draft: YearDraft) => api.invoke('years.applyDraft', newYearRequest(input, draft));
const saveClassesDraft = (api: ReturnType<typeof client>, yearId: number, classes: readonly DraftClass[]) => api.invoke('years.applyDraft', classesRequest(yearId, classes));
const saveCurriculumDraft = (api: ReturnType<typeof client>, yearId: number, classes: readonly DraftClass[]) =>
  api.invoke('years.applyDraft', curriculumRequest(yearId, classes));

const NEXT: NewYearInput = { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-05-31', copyFromYearId: null };

const NOW = new Date('2026-08-25T09:00:00Z');

beforeEach(async () => {
  t = await openInitializedApp({ now: () => NOW });
  await t.call('demo.generate', { seed: 7, pupils: 150, year: '2025/2026' }, t.adminSession);
  calls = [];
});
afterEach(async () => t.close());

async function source() {
  const { years } = await t.call('years.list', {}, t.adminSession);
  const year = years.find((y) => y.name === '2025/2026')!;
  const { staff } = await t.call('staff.list', {}, t.adminSession);
  return { year, structure: await t.call('years.get', { yearId: year.id }, t.adminSession), active: new Set(staff.filter((s) => s.active).map((s) => s.id)) };
}

/** What a draft says, without ids and keys: comparable with the saved year. */
function shape(d: YearDraft) {
  return {
    calendar: {
      startsOn: d.calendar.startsOn,
      endsOn: d.calendar.endsOn,
      periods: d.calendar.periods.map((p) => [p.scheme, p.number, p.name, p.startsOn, p.endsOn]),
      holidays: d.calendar.holidays.map((h) => [h.name, h.startsOn, h.endsOn]),
    },
    classes: d.classes
      .map((c) => ({
        label: `${c.parallel}${c.letter}`,
        scheme: c.periodScheme,
        teacher: c.classTeacherId,
        plan: c.curriculum.map((r) => [r.subjectId, r.hours, r.teacherId]).sort(),
        groups: c.groups.map((g) => [g.subjectId, g.name, g.teacherId, g.pupilIds]).sort(),
      }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  };
}

describe('the wizard of a new year', () => {
  it('shows exactly what «Скопировать структуру из» makes: an untouched draft writes nothing after years.open', async () => {
    const { year, structure, active } = await source();
    const draft = rollForward(structure, '2026-09-01', '2027-05-31', active);
    expect(draft.classes.find((c) => c.parallel === '6' && c.letter === 'А')?.classTeacherId).toBe(
      String(structure.classes.find((c) => c.label === '5А')!.classTeacherId),
    );

    const { yearId, structure: returned } = await openYearWithDraft(client(), { ...NEXT, copyFromYearId: year.id }, draft);

    // One call from the window; on the server, only the open wrote (one audit entry).
    expect(calls).toEqual(['years.applyDraft']);
    expect(draftAudit()).toEqual(['Открытие учебного года']);
    expect(returned).toEqual(await t.call('years.get', { yearId }, t.adminSession));
    const saved = await t.call('years.get', { yearId }, t.adminSession);
    expect(shape(draftOf(saved))).toEqual(shape(draft));
  });

  it('writes the changes made in the draft: calendar, a teacher swap, a dropped and a new class, a curriculum row', async () => {
    const { year, structure, active } = await source();
    const draft = rollForward(structure, '2026-09-01', '2027-05-31', active);
    const c6 = draft.classes.find((c) => c.parallel === '6' && c.letter === 'А')!;
    const c7 = draft.classes.find((c) => c.parallel === '7' && c.letter === 'А')!;
    const swapped = draft.classes.map((c) =>
      c === c6 ? { ...c, classTeacherId: c7.classTeacherId } : c === c7 ? { ...c, classTeacherId: c6.classTeacherId } : c,
    );
    const dropped = swapped.filter((c) => !(c.parallel === '11'));
    const added = { ...emptyClass('5', 'Д'), curriculum: [{ key: 'new-row', subjectId: String(structure.subjects[0]!.id), hours: '1,5', teacherId: '' }] };
    const q1 = draft.calendar.periods.findIndex((p) => p.scheme === 'quarters' && p.number === 1);
    const calendar = { ...draft.calendar, periods: draft.calendar.periods.map((p, i) => (i === q1 ? { ...p, name: '1-я четверть' } : p)) };
    const changed: YearDraft = { calendar, classes: [...dropped, added] };

    const { yearId } = await openYearWithDraft(client(), { ...NEXT, copyFromYearId: year.id }, changed);

    const saved = await t.call('years.get', { yearId }, t.adminSession);
    expect(shape(draftOf(saved))).toEqual(shape(changed));
    expect(saved.classes.find((c) => c.label === '6А')!.classTeacherId).toBe(Number(c7.classTeacherId));
    expect(saved.classes.find((c) => c.label === '7А')!.classTeacherId).toBe(Number(c6.classTeacherId));
    expect(draftAudit()).toEqual(expect.arrayContaining(['Открытие учебного года', 'Изменение дат, периодов и каникул учебного года', 'Удаление класса', 'Сохранение класса', 'Учебный план класса']));
    expect(calendarOf(saved).periods.find((p) => p.scheme === 'quarters' && p.number === 1)!.name).toBe('1-я четверть');
    expect(classesOf(saved).find((c) => c.parallel === '5' && c.letter === 'Д')!.curriculum.map((r) => r.hours)).toEqual(['1,5']);
  });

  it('without a source: the default calendar, holidays and classes typed in the wizard are what the new year holds', async () => {
    const { structure } = await source();
    const { staff } = await t.call('staff.list', {}, t.adminSession);
    const calendar = defaultCalendar('2026-09-01', '2027-05-31');
    // Quarters as the server proposes them have no gaps; the autumn holidays need one.
    const q1 = calendar.periods.findIndex((p) => p.scheme === 'quarters' && p.number === 1);
    calendar.periods[q1] = { ...calendar.periods[q1]!, endsOn: '2026-10-24' };
    calendar.holidays.push({ key: newKey('h'), id: null, name: 'Осенние каникулы', startsOn: '2026-10-25', endsOn: '2026-10-31' });
    const math = String(structure.subjects[0]!.id);
    const classes = [
      { ...emptyClass('1', 'А'), classTeacherId: String(staff[0]!.id), curriculum: [{ key: newKey('r'), subjectId: math, hours: '4', teacherId: String(staff[0]!.id) }] },
      { ...emptyClass('10', 'Б'), curriculum: [{ key: newKey('r'), subjectId: math, hours: '0,5', teacherId: '' }] },
    ];
    const draft: YearDraft = { calendar, classes };

    const { yearId } = await openYearWithDraft(client(), NEXT, draft);

    const saved = await t.call('years.get', { yearId }, t.adminSession);
    expect(shape(draftOf(saved))).toEqual(shape(draft));
    expect(saved.classes.find((c) => c.label === '10Б')!.periodScheme).toBe('halves');
  });
});

describe('a refused part of a draft leaves nothing written', () => {
  /** The class of the draft with the last curriculum row, and that row's index. */
  function lastRow(classes: readonly DraftClass[]): { cls: DraftClass; index: number } {
    const cls = [...classes].reverse().find((c) => c.curriculum.length > 0)!;
    return { cls, index: cls.curriculum.length - 1 };
  }
  const withHours = (classes: readonly DraftClass[], key: string, index: number, hours: string) =>
    classes.map((c) => (c.key === key ? { ...c, curriculum: c.curriculum.map((r, i) => (i === index ? { ...r, hours } : r)) } : c));

  it('the wizard: 20 hours in the last class’s last curriculum row — no year, no class, no audit entry; the error names the row', async () => {
    const { year, structure, active } = await source();
    const rolled = rollForward(structure, '2026-09-01', '2027-05-31', active);
    // Earlier parts that would write: a renamed quarter, a dropped and a new class.
    const q1 = rolled.calendar.periods.findIndex((p) => p.scheme === 'quarters' && p.number === 1);
    const calendar = { ...rolled.calendar, periods: rolled.calendar.periods.map((p, i) => (i === q1 ? { ...p, name: '1-я четверть' } : p)) };
    const classes = [...rolled.classes.filter((c) => c.parallel !== '2'), emptyClass('5', 'Д')];
    const { cls, index } = lastRow(classes);
    const bad: YearDraft = { calendar, classes: withHours(classes, cls.key, index, '20') };
    const before = registerState();

    const error = await refusal(openYearWithDraft(client(), { ...NEXT, copyFromYearId: year.id }, bad));

    expect(error.code).toBe('invalid_params');
    expect(Object.keys(error.fields ?? {})).toEqual([`curriculum.${cls.key}.rows.${index}.hoursPerWeek`]);
    expect(error.fields![`curriculum.${cls.key}.rows.${index}.hoursPerWeek`]).toMatch(/не больше 12 часов/);
    expect(error.message).toContain(`Учебный план ${cls.parallel}${cls.letter}`);
    expect(registerState()).toEqual(before);
    expect((await t.call('years.list', {}, t.adminSession)).years.map((y) => y.name)).toEqual(['2025/2026']);

    // Corrected, the same draft opens the year at once: there is no half-opened year to resume.
    const fixed: YearDraft = { calendar, classes: withHours(classes, cls.key, index, '2') };
    const { yearId } = await openYearWithDraft(client(), { ...NEXT, copyFromYearId: year.id }, fixed);
    expect(shape(draftOf(await t.call('years.get', { yearId }, t.adminSession)))).toEqual(shape(fixed));
  });

  it('the wizard: two classes with the same class teacher — refused at the second class, the opened year rolled back', async () => {
    const { year, structure, active } = await source();
    const draft = rollForward(structure, '2026-09-01', '2027-05-31', active);
    const c6 = draft.classes.find((c) => c.parallel === '6' && c.letter === 'А')!;
    const c7 = draft.classes.find((c) => c.parallel === '7' && c.letter === 'А')!;
    expect(c6.classTeacherId).not.toBe('');
    const bad: YearDraft = { ...draft, classes: draft.classes.map((c) => (c === c7 ? { ...c, classTeacherId: c6.classTeacherId } : c)) };
    const before = registerState();

    const error = await refusal(openYearWithDraft(client(), { ...NEXT, copyFromYearId: year.id }, bad));

    expect(error.fields?.[`classes.${c7.key}.classTeacherId`]).toMatch(/уже классный руководитель 6А/);
    expect(registerState()).toEqual(before);
  });

  it('the panel of an open year: a refused class of the list leaves the classes saved before it unsaved', async () => {
    const { year, structure } = await source();
    const current = classesOf(structure);
    const a5 = current.find((c) => c.parallel === '5' && c.letter === 'А')!;
    const fresh = emptyClass('5', 'Д');
    const clash = { ...emptyClass('5', 'Е'), classTeacherId: a5.classTeacherId };
    const before = registerState();

    const error = await refusal(saveClassesDraft(client(), year.id, [...current, fresh, clash]));

    expect(error.fields?.[`classes.${clash.key}.classTeacherId`]).toMatch(/уже классный руководитель 5А/);
    expect(registerState()).toEqual(before);

    // Without the clash both new classes are saved, in one call.
    const { structure: saved } = await saveClassesDraft(client(), year.id, [...current, fresh, { ...clash, classTeacherId: '' }]);
    expect(saved.classes.filter((c) => c.parallel === 5).map((c) => c.label)).toEqual(expect.arrayContaining(['5Д', '5Е']));
  });

  it('the panel of an open year: a curriculum with a refused last class writes none of the classes before it', async () => {
    const { year, structure } = await source();
    const current = classesOf(structure);
    const first = current.find((c) => c.curriculum.length > 0)!;
    const { cls, index } = lastRow(current);
    expect(cls.key).not.toBe(first.key);
    const changed = withHours(withHours(current, first.key, 0, first.curriculum[0]!.hours === '1' ? '2' : '1'), cls.key, index, '20');
    const before = registerState();

    const error = await refusal(saveCurriculumDraft(client(), year.id, changed));

    expect(Object.keys(error.fields ?? {})).toEqual([`curriculum.${cls.key}.rows.${index}.hoursPerWeek`]);
    expect(registerState()).toEqual(before);
  });

  it('refuses a request naming both a new year and an open one, and one naming neither', async () => {
    const { year } = await source();
    const both = await t.refuse('years.applyDraft', { open: { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-05-31' }, yearId: year.id, draft: {} }, t.adminSession);
    expect(both.code).toBe('invalid_params');
    expect(both.fields?.yearId).toMatch(/либо новый год/);
    const neither = await t.refuse('years.applyDraft', { draft: {} }, t.adminSession);
    expect(neither.code).toBe('invalid_params');
  });

  it('refuses a curriculum of a class of another year: nothing written, the error names the class of the draft', async () => {
    const { structure } = await source();
    const other = await t.call('years.open', { name: NEXT.name, startsOn: NEXT.startsOn, endsOn: NEXT.endsOn }, t.adminSession);
    const stranger = classesOf(structure).find((c) => c.curriculum.length > 0)!;
    const before = registerState();

    const error = await refusal(saveCurriculumDraft(client(), other.yearId, [withHours([stranger], stranger.key, 0, '1')[0]!]));

    expect(error.code).toBe('not_found');
    expect(Object.keys(error.fields ?? {})).toEqual([`curriculum.${stranger.key}`]);
    expect(registerState()).toEqual(before);
  });
});
