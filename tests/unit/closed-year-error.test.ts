import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { closedYearMessage, closedYearRefusal, closedYearTable } from '../../main/year/closed-year-error';

let opened: OpenedDatabase;
beforeEach(async () => {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened);
  // Two closed years and an open one, each with a class.
  for (const [id, name, from, to] of [
    [1, '2023/2024', '2023-09-01', '2024-05-31'],
    [2, '2024/2025', '2024-09-02', '2025-05-30'],
    [3, '2025/2026', '2025-09-01', '2026-05-31'],
  ] as const) {
    opened.raw.prepare('insert into school_year (id, name, starts_on, ends_on) values (?, ?, ?, ?)').run(id, name, from, to);
    opened.raw.prepare("insert into school_class (id, year_id, parallel, letter, period_scheme) values (?, ?, 5, 'А', 'quarters')").run(id, id);
  }
  opened.raw.prepare('update school_year set closed = 1 where id in (1, 2)').run();
});
afterEach(async () => opened.close());

/** The error SQLite raises for a write into a closed year's class (migration 008). */
function guardError(): unknown {
  try {
    opened.raw.prepare("insert into lesson (class_id, subject_id, lesson_date, topic) values (2, 1, '2025-01-15', 'Тема')").run();
  } catch (error) {
    return error;
  }
  throw new Error('the guard did not refuse the write');
}

describe('the closed-year refusal', () => {
  it('recognises only the guard’s errors, by table', () => {
    expect(closedYearTable(guardError())).toBe('lesson');
    expect(closedYearTable(new Error('closed_year:lesson'))).toBeNull();
    expect(closedYearTable(Object.assign(new Error('UNIQUE constraint failed: pupil.snils'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeNull();
    expect(closedYearTable(null)).toBeNull();
  });

  it('says what could not be changed, in which year, and what to do', () => {
    expect(closedYearMessage('mark', ['2025/2026'])).toBe(
      'Учебный год 2025/2026 закрыт: его данные только для чтения, изменить оценки нельзя. Если нужно исправить, администратор может отменить закрытие года.',
    );
    expect(closedYearMessage('attendance', [])).toMatch(/^Учебный год закрыт: данные закрытого года только для чтения, изменить посещаемость нельзя\./);
    expect(closedYearMessage('pupil_order', ['2023/2024', '2024/2025'])).toMatch(/^Учебный год закрыт \(закрытые годы: 2023\/2024, 2024\/2025\): .*изменить приказы нельзя/);
  });

  it('names the year the call was about when its parameters say, else every closed year', async () => {
    const error = guardError();
    expect((await closedYearRefusal(opened.db, error, { classId: 2 }))?.message).toMatch(/^Учебный год 2024\/2025 закрыт: его данные только для чтения, изменить уроки нельзя/);
    expect((await closedYearRefusal(opened.db, error, { yearId: 1 }))?.message).toMatch(/^Учебный год 2023\/2024 закрыт/);
    expect((await closedYearRefusal(opened.db, error, { fileName: 'уроки.csv' }))?.message).toMatch(/закрытые годы: 2023\/2024, 2024\/2025/);
    // An open year's id is no hint: the closed years are listed.
    expect((await closedYearRefusal(opened.db, error, { yearId: 3 }))?.message).toMatch(/закрытые годы: 2023\/2024, 2024\/2025/);
    expect(await closedYearRefusal(opened.db, new Error('другая ошибка'), {})).toBeNull();
    const refusal = await closedYearRefusal(opened.db, error, {});
    expect(refusal?.code).toBe('refused');
  });
});
