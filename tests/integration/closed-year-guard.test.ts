import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../common/api/contract';
import type { ApiResponse } from '../../common/api/errors';
import { writeJournalReport } from '../../bench/journal-report-writer';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';
import { dataDigest } from '../support/data-tables';

/**
 * The closed-year guard, walked over the whole contract: every write method is either
 * YEAR_BOUND — a sample call into the closed year, refused through the dispatcher with the
 * Russian message and no change to any data table — or YEAR_FREE, with the reason it cannot
 * touch a school year's data. The year is closed by setting the flag directly (the close itself
 * is tested elsewhere); «reopen» then makes the same writes possible again.
 */

const YEAR = '2025/2026';
const CLOSED = /Учебный год 2025\/2026 закрыт/;
/** The words of the database guard's refusal (migration 008), as opposed to a handler's own check. */
const BY_GUARD = /его данные только для чтения, изменить .+ нельзя\. Если нужно исправить, администратор может отменить закрытие года\./;

let clock = new Date('2026-05-20T03:00:00Z');
let t: TestApp & { adminSession: string };

interface Scene {
  yearId: number;
  classes: { '5А': number; '5Б': number };
  subjects: { math: number; russian: number; english: number };
  pupils: { orlova: number; sokolov: number; zaitsev: number };
  zaitsevAdmission: number;
  teacherId: number;
  secretary: { id: number; session: string };
}
let s: Scene;

interface Call {
  method: MethodName;
  params: unknown;
  as?: 'admin' | 'secretary';
}

interface Sample {
  what: string;
  /** Year-free writes the sample needs first (done before the data are compared). */
  prepare?: () => Promise<void>;
  call: () => Call;
  /** More of the refusal's wording than «Учебный год 2025/2026 закрыт». */
  says?: RegExp;
  /** Instead of a refusal: the call succeeds and must not change anything. */
  check?: (result: unknown) => void;
  /** The same call is valid in an open year: after «reopen» it must succeed. */
  afterReopen?: boolean;
}

const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8').toString('base64');

const calendar = (yearId = s.yearId) => ({
  yearId,
  startsOn: '2025-09-01',
  endsOn: '2026-05-31',
  periods: [
    { scheme: 'quarters', number: 1, name: '1 четверть', startsOn: '2025-09-01', endsOn: '2025-10-24' },
    { scheme: 'quarters', number: 2, name: '2 четверть', startsOn: '2025-11-05', endsOn: '2025-12-26' },
    { scheme: 'quarters', number: 3, name: '3 четверть', startsOn: '2026-01-12', endsOn: '2026-03-20' },
    { scheme: 'quarters', number: 4, name: '4 четверть', startsOn: '2026-03-30', endsOn: '2026-05-31' },
    { scheme: 'halves', number: 1, name: '1 полугодие', startsOn: '2025-09-01', endsOn: '2025-12-26' },
    { scheme: 'halves', number: 2, name: '2 полугодие', startsOn: '2026-01-12', endsOn: '2026-05-31' },
  ],
  holidays: [
    { name: 'Осенние каникулы', startsOn: '2025-10-25', endsOn: '2025-11-04' },
    { name: 'Зимние каникулы', startsOn: '2025-12-27', endsOn: '2026-01-11' },
    { name: 'Весенние каникулы', startsOn: '2026-03-21', endsOn: '2026-03-29' },
  ],
});

/**
 * Write methods whose call can touch a school year's data, with a sample call that does, into
 * the closed year. Several samples where one method reaches several kinds of data.
 */
const YEAR_BOUND: Partial<Record<MethodName, Sample[]>> = {
  'movement.admit': [
    {
      what: 'admission into a class of the closed year',
      call: () => ({
        method: 'movement.admit',
        params: { order: { date: '2026-05-25' }, classId: s.classes['5А'], pupil: { lastName: 'Белова', firstName: 'Дарья', middleName: null, birthDate: '2014-11-02', gender: 'ж', snils: null } },
      }),
    },
  ],
  'movement.transfer': [{ what: 'transfer between classes of the closed year', call: () => ({ method: 'movement.transfer', params: { pupilId: s.pupils.sokolov, toClassId: s.classes['5Б'], order: { date: '2026-05-25' } } }) }],
  'movement.leave': [
    {
      // Dated after the year's last day, so no handler check stops it: the database guard does
      // (the pupil's class, where the leaving is recorded from, belongs to the closed year).
      what: 'leaving from a class of the closed year, in the summer',
      call: () => ({ method: 'movement.leave', params: { pupilId: s.pupils.orlova, order: { date: '2026-06-20' }, reason: 'смена места жительства', place: 'г. Ачинск' } }),
      says: /изменить движение обучающихся нельзя/,
      afterReopen: true,
    },
  ],
  'movement.cancel': [{ what: 'cancelling an admission of the closed year', call: () => ({ method: 'movement.cancel', params: { eventId: s.zaitsevAdmission, reason: 'внесено по ошибке' } }) }],
  'exchange.import': [
    {
      what: 'lessons file dated in the closed year',
      call: () => ({
        method: 'exchange.import',
        params: { fileName: 'уроки.csv', profile: 'lessons', dryRun: false, contentBase64: csv(['Класс;Предмет;Дата;Тема урока', '5А;Математика;21.05.2026;Повторение']) },
      }),
      says: /изменить уроки нельзя/,
    },
    {
      // No dates in the file: in the summer its year is the one just ended (the closed one).
      what: 'final marks file of the closed year',
      call: () => ({
        method: 'exchange.import',
        params: { fileName: 'итоговые.csv', profile: 'final-marks', dryRun: false, contentBase64: csv(['Класс;Фамилия;Имя;Дата рождения;Предмет;Год', '5А;Орлова;Мария;12.04.2014;Русский язык;4']) },
      }),
      says: /изменить итоговые отметки нельзя/,
      afterReopen: true,
    },
    {
      what: 'journal report (marks) of the closed year',
      call: () => ({ method: 'exchange.import', params: { fileName: 'журнал.xlsx', profile: 'journal-report', dryRun: false, contentBase64: journalReport } }),
      says: /изменить оценки нельзя/,
      afterReopen: true,
    },
  ],
  'years.saveCalendar': [{ what: 'calendar of the closed year', call: () => ({ method: 'years.saveCalendar', params: calendar() }) }],
  'classes.save': [
    {
      what: 'a new class in the closed year',
      call: () => ({ method: 'classes.save', params: { yearId: s.yearId, parallel: 5, letter: 'В', periodScheme: 'quarters', classTeacherId: null } }),
      afterReopen: true,
    },
  ],
  'classes.delete': [{ what: 'deleting a class of the closed year', call: () => ({ method: 'classes.delete', params: { classId: s.classes['5Б'] } }) }],
  'curriculum.save': [
    {
      what: 'curriculum of a class of the closed year',
      call: () => ({ method: 'curriculum.save', params: { classId: s.classes['5Б'], rows: [{ subjectId: s.subjects.math, hoursPerWeek: 4, teacherId: s.teacherId }], groups: [] } }),
      afterReopen: true,
    },
  ],
  'years.applyDraft': [
    {
      what: 'a draft of the «Структура года» panel for the closed year (curriculum of 5Б)',
      call: () => ({
        method: 'years.applyDraft',
        params: {
          yearId: s.yearId,
          draft: {
            curriculum: [
              {
                key: 'c5b',
                id: s.classes['5Б'],
                parallel: '5',
                letter: 'Б',
                curriculum: [{ key: 'r1', subjectId: String(s.subjects.math), hours: '3', teacherId: String(s.teacherId) }],
                groups: [],
              },
            ],
          },
        },
      }),
      afterReopen: true,
    },
  ],
  'year.decide': [{ what: 'a decision in the closed year', call: () => ({ method: 'year.decide', params: { yearId: s.yearId, pupilId: s.pupils.sokolov, decision: 'repeat', subjectIds: [] } }) }],
  'year.close': [
    {
      what: 'closing the closed year again',
      call: () => ({ method: 'year.close', params: { yearId: s.yearId } }),
      // The spec: a second close answers changed:false and writes nothing.
      check: (result) => expect(result).toMatchObject({ year: YEAR, changed: false }),
    },
  ],
  'users.revertSince': [
    {
      what: "reverting a disclosed account's admission into the closed year",
      prepare: async () => {
        await t.call('users.disclose', { id: s.secretary.id, since: '2026-05-01T00:00:00Z' }, t.adminSession);
      },
      call: () => ({ method: 'users.revertSince', params: { id: s.secretary.id, dryRun: false } }),
      // Each change is reverted on its own: this one is listed as refused, with the reason.
      check: (result) => {
        const r = result as { reverted: number[]; conflicts: { reason: string }[] };
        expect(r.reverted).toEqual([]);
        expect(r.conflicts).toHaveLength(1);
        expect(r.conflicts[0]!.reason).toMatch(CLOSED);
      },
    },
  ],
};

/** Write methods that cannot touch a school year's data, each with the reason. */
const YEAR_FREE: Partial<Record<MethodName, string>> = {
  // Printing for the archive reads a (usually closed) year and writes only the archive register.
  'archive.preview': 'prints a draft PDF into the data folder; reads the year, writes no year data',
  'archive.discardDraft': 'removes a draft PDF file only; no year data is touched',
  'archive.seal': 'writes the archive register (archive_volume) only; the year data is read, never changed',
  'archive.verify': 'reads the archive files and the register; changes nothing',
  'archive.destructionAct': 'prints the act from the archive register; changes no year data',
  'archive.destroy': 'marks archive volumes destroyed and removes their files; no year data is touched',
  'archive.sealYear': 'prints and seals volumes: reads the year, writes the archive register only',
  'backup.run': 'writes encrypted backup files into the target folders and a row of the backup history; no year data',
  'backup.inspect': 'reads and verifies a backup file; changes nothing but the audit log',
  'backup.setUpPassphrase': 'creates the backup key pair (table backup_key); no year data',
  'backup.changePassphrase': 'rewraps the backup private key under a new passphrase; no year data',
  'backup.replaceKey': 'replaces the backup key pair; no year data',
  'backup.restore': 'replaces the whole register with a verified backup (the previous one kept aside); writes no year data of its own',
  'archive.syncMirror': 'copies verified archive files into the second-copy folder; no year data, no register change',
  'school.update': 'the school card (name, address, director) belongs to no year',
  'settings.update': 'settings of the program belong to no year',
  'users.create': 'user accounts belong to no year',
  'users.update': 'user accounts belong to no year',
  'users.lock': 'user accounts belong to no year',
  'users.unlock': 'user accounts belong to no year',
  'users.resetPassword': 'user accounts belong to no year',
  'users.disclose': 'marks an account disclosed and locks it; reverting its changes is users.revertSince (YEAR_BOUND)',
  'demo.generate': 'creates a demo school only in an empty register (refused once any year exists), so never into a closed year',
  'pupils.update': "a pupil's personal data (name, documents, addresses) outlive the years; class history is movement.*",
  'guardians.link': 'guardians belong to no year',
  'guardians.update': 'guardians belong to no year',
  'guardians.unlink': 'guardians belong to no year',
  'codes.import': 'access codes belong to pupils and guardians, not to a year',
  'codes.generate': 'access codes belong to pupils and guardians, not to a year',
  'codes.print': 'marks codes issued: access codes belong to no year',
  'codes.mark': 'access codes belong to pupils and guardians, not to a year',
  'codes.reissue': 'access codes belong to pupils and guardians, not to a year',
  'consentTemplates.save': 'texts of consents belong to no year',
  'consents.record': 'consents are documents of a person, not of a year',
  'consents.withdraw': 'consents are documents of a person, not of a year',
  'consents.destroy': 'erases personal fields of a person; movement history and marks stay untouched',
  'subjects.save': 'the list of subjects is shared by all years (a year uses it through its curriculum)',
  'staff.save': 'staff cards are shared by all years (a year uses them as class and subject teachers)',
  'years.open': 'creates a new year; copying the structure from a closed year only reads it (checked below)',
  'year.reopen': 'the one write allowed on a closed year (closed 1 → 0 first); tested in year-reopen.test.ts and below',
};

let journalReport = '';

async function dispatch(c: Call): Promise<ApiResponse<unknown>> {
  return t.app.dispatch({ method: c.method, params: c.params, sessionId: c.as === 'secretary' ? s.secretary.session : t.adminSession });
}

async function buildScene(): Promise<Scene> {
  const db = t.app.db;
  const teacherId = (await db.insertInto('staff').values({ last_name: 'Сорокина', first_name: 'Ирина', middle_name: 'Павловна', position: 'учитель' }).returning('id').executeTakeFirstOrThrow()).id;
  const subject = async (name: string, short: string, order: number) =>
    (await db.insertInto('subject').values({ name, short_name: short, part: 'federal', sort_order: order }).returning('id').executeTakeFirstOrThrow()).id;
  const subjects = { math: await subject('Математика', 'Мат', 1), russian: await subject('Русский язык', 'Рус', 2), english: await subject('Английский язык', 'Англ', 3) };
  const year = async (name: string, startsOn: string, endsOn: string) =>
    (await db.insertInto('school_year').values({ name, starts_on: startsOn, ends_on: endsOn, closed: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  const yearId = await year(YEAR, '2025-09-01', '2026-05-31');
  const cal = calendar(yearId);
  for (const p of cal.periods) await db.insertInto('period').values({ year_id: yearId, scheme: p.scheme as 'quarters' | 'halves', number: p.number, name: p.name, starts_on: p.startsOn, ends_on: p.endsOn }).execute();
  for (const h of cal.holidays) await db.insertInto('holiday').values({ year_id: yearId, name: h.name, starts_on: h.startsOn, ends_on: h.endsOn }).execute();
  const cls = async (yearOf: number, parallel: number, letter: string, teacher: number | null) =>
    (await db.insertInto('school_class').values({ year_id: yearOf, parallel, letter, period_scheme: 'quarters', class_teacher_id: teacher }).returning('id').executeTakeFirstOrThrow()).id;
  const classes = { '5А': await cls(yearId, 5, 'А', teacherId), '5Б': await cls(yearId, 5, 'Б', null) };
  for (const [subjectId, hours] of [[subjects.math, 5], [subjects.russian, 5], [subjects.english, 3]] as const) {
    await db.insertInto('curriculum').values({ class_id: classes['5А'], subject_id: subjectId, hours_per_week: hours, teacher_id: teacherId }).execute();
  }
  await db.insertInto('curriculum').values({ class_id: classes['5Б'], subject_id: subjects.math, hours_per_week: 5, teacher_id: teacherId }).execute();
  const groupId = (await db.insertInto('study_group').values({ class_id: classes['5А'], subject_id: subjects.english, name: 'Группа 1', teacher_id: teacherId }).returning('id').executeTakeFirstOrThrow()).id;

  // Pupils through the API: orders, movement events and memberships as the program makes them.
  const first = await t.call(
    'movement.admit',
    { order: { date: '2025-09-01' }, classId: classes['5А'], pupil: { lastName: 'Орлова', firstName: 'Мария', middleName: null, birthDate: '2014-04-12', gender: 'ж', snils: null } },
    t.adminSession,
  );
  const second = await t.call(
    'movement.admit',
    { order: { id: first.orderId }, classId: classes['5А'], date: '2025-09-01', pupil: { lastName: 'Соколов', firstName: 'Илья', middleName: null, birthDate: '2014-07-03', gender: 'м', snils: null } },
    t.adminSession,
  );
  await t.call('users.create', { login: 'sekretar', fullName: 'Петрова Ольга Ивановна', role: 'secretary', password: 'secretary-secret' }, t.adminSession);
  const login = await t.call('auth.login', { login: 'sekretar', password: 'secretary-secret' });
  const third = await t.call(
    'movement.admit',
    { order: { id: first.orderId }, classId: classes['5Б'], date: '2025-09-01', pupil: { lastName: 'Зайцев', firstName: 'Павел', middleName: null, birthDate: '2014-09-21', gender: 'м', snils: null } },
    login.sessionId,
  );
  await db.insertInto('group_member').values({ group_id: groupId, pupil_id: first.pupilId }).execute();

  // A lesson with a mark and an absence, final marks and an explicit decision.
  const lessonId = (await db.insertInto('lesson').values({ class_id: classes['5А'], subject_id: subjects.math, lesson_date: '2026-05-12', topic: 'Дроби', teacher_id: teacherId }).returning('id').executeTakeFirstOrThrow()).id;
  await db.insertInto('mark').values({ lesson_id: lessonId, pupil_id: first.pupilId, value: '5' }).execute();
  await db.insertInto('attendance').values({ lesson_id: lessonId, pupil_id: second.pupilId, code: 'Н' }).execute();
  for (const [pupilId, value] of [[first.pupilId, '5'], [second.pupilId, '4']] as const) {
    await db.insertInto('final_mark').values({ pupil_id: pupilId, subject_id: subjects.math, year_id: yearId, period_id: null, kind: 'year', value }).execute();
  }
  await db.insertInto('year_decision').values({ year_id: yearId, pupil_id: second.pupilId, decision: 'promoted', subject_ids: '[]', decided_by: null, decided_at: clock.toISOString() }).execute();

  journalReport = (
    await writeJournalReport({
      year: YEAR,
      classLabel: '5А',
      period: { from: '2025-09-01', to: '2026-05-31' },
      subjects: ['Математика'],
      // The day of the existing lesson only: the import adds a mark to it, no lesson.
      days: ['2026-05-12'],
      pupils: [{ lastName: 'Орлова', firstName: 'Мария', middleName: null, cells: new Map([['Математика', new Map([['2026-05-12', '5 4']])]]) }],
    })
  ).bytes.toString('base64');

  return {
    yearId,
    classes,
    subjects,
    pupils: { orlova: first.pupilId, sokolov: second.pupilId, zaitsev: third.pupilId },
    zaitsevAdmission: third.eventId,
    teacherId,
    secretary: { id: (await t.call('users.list', {}, t.adminSession)).users.find((u) => u.login === 'sekretar')!.id, session: login.sessionId },
  };
}

beforeAll(async () => {
  t = await openInitializedApp({ now: () => clock });
  s = await buildScene();
  // The summer after the year: closed by setting the flag directly (the close is tested elsewhere).
  clock = new Date('2026-06-15T03:00:00Z');
  t.app.opened.raw.prepare('update school_year set closed = 1, closed_at = ? where id = ?').run(clock.toISOString(), s.yearId);
  // Weeks later the screens are locked after inactivity: both users sign back in.
  await t.call('auth.unlockScreen', { password: ADMIN.password }, t.adminSession);
  await t.call('auth.unlockScreen', { password: 'secretary-secret' }, s.secretary.session);
});
afterAll(async () => t?.close());

describe('the closed-year guard, over every write method of the contract', () => {
  it('has every write method classified: year-bound with a sample call, or year-free with the reason', () => {
    const writes = Object.entries(contract)
      .filter(([, def]) => def.access === 'write' || def.access === 'job')
      .map(([method]) => method);
    const unclassified = writes.filter((m) => !(m in YEAR_BOUND) && !(m in YEAR_FREE));
    expect(
      unclassified,
      'New write methods must be classified in tests/integration/closed-year-guard.test.ts: add each to YEAR_BOUND with a sample call into the closed year ' +
        '(refused with «Учебный год … закрыт» and no data change) or to YEAR_FREE with the reason it cannot touch a school year’s data.',
    ).toEqual([]);
    expect(writes.filter((m) => m in YEAR_BOUND && m in YEAR_FREE), 'a method in both tables').toEqual([]);
    expect([...Object.keys(YEAR_BOUND), ...Object.keys(YEAR_FREE)].filter((m) => !writes.includes(m)), 'entries that are not write methods of the contract').toEqual([]);
    for (const [method, reason] of Object.entries(YEAR_FREE)) expect(reason!.length, method).toBeGreaterThan(20);
    for (const [method, samples] of Object.entries(YEAR_BOUND)) expect(samples!.length, method).toBeGreaterThan(0);
  });

  for (const [method, samples] of Object.entries(YEAR_BOUND)) {
    for (const sample of samples!) {
      it(`${method}: ${sample.what} — refused, nothing changed`, async () => {
        await sample.prepare?.();
        const before = dataDigest(t.app.opened.raw);
        const response = await dispatch(sample.call());
        if (sample.check) {
          expect(response.ok, JSON.stringify(response)).toBe(true);
          if (response.ok) sample.check(response.result);
        } else {
          expect(response.ok, `${method} was not refused: ${JSON.stringify(response).slice(0, 600)}`).toBe(false);
          if (!response.ok) {
            expect(response.error.code, response.error.message).toBe('refused');
            expect(response.error.message).toMatch(CLOSED);
            if (sample.says) {
              expect(response.error.message).toMatch(sample.says);
              expect(response.error.message).toMatch(BY_GUARD);
            }
          }
        }
        const after = dataDigest(t.app.opened.raw);
        expect(after.counts).toEqual(before.counts);
        expect(after.sha256).toBe(before.sha256);
      });
    }
  }

  it('cannot reach the closed year through the demo: it fills only an empty register', async () => {
    const before = dataDigest(t.app.opened.raw);
    const refused = await t.refuse('demo.generate', { seed: 1, pupils: 10, year: YEAR }, t.adminSession);
    expect(refused.message).toMatch(/только в пустой базе/);
    expect(dataDigest(t.app.opened.raw)).toEqual(before);
  });

  it('leaves other years writable: the next year opened as a copy of the closed one, then a class added to it', async () => {
    const opened = await t.call('years.open', { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-05-31', copyFromYearId: s.yearId }, t.adminSession);
    expect(opened.copied).toMatchObject({ classes: expect.any(Number) as number });
    expect(opened.copied!.classes).toBeGreaterThan(0);
    const saved = await t.call('classes.save', { yearId: opened.yearId, parallel: 6, letter: 'В', periodScheme: 'quarters', classTeacherId: null }, t.adminSession);
    expect(saved).toMatchObject({ label: '6В' });
  });

  it('after «reopen» the year is writable again: the same calls succeed', async () => {
    const reopened = await t.call('year.reopen', { yearId: s.yearId }, t.adminSession);
    expect(reopened).toMatchObject({ year: YEAR, changed: true });
    const again = Object.entries(YEAR_BOUND).flatMap(([method, samples]) => samples!.filter((x) => x.afterReopen).map((x) => ({ method, sample: x })));
    expect(again.length).toBeGreaterThanOrEqual(2);
    for (const { method, sample } of again) {
      const before = dataDigest(t.app.opened.raw);
      const response = await dispatch(sample.call());
      expect(response.ok, `${method} (${sample.what}) after reopen: ${JSON.stringify(response)}`).toBe(true);
      expect(dataDigest(t.app.opened.raw).sha256, `${method} changed nothing`).not.toBe(before.sha256);
    }
  });
});
