import type { TestApp } from './app';

export interface SmallSchool {
  yearId: number;
  closedYearId: number;
  classes: Record<'5А' | '5Б' | '6А' | '4А-old' | '6А-next', number>;
}

/**
 * A minimal register for contingent tests: the closed year 2024/2025 (class 4А), the open year
 * 2025/2026 (5А, 5Б, 6А) and the next year 2026/2027 (6А). Written directly: the year set-up
 * screens come with a later issue.
 */
export async function smallSchool(t: TestApp): Promise<SmallSchool> {
  const db = t.app.db;
  const year = async (name: string, starts: string, ends: string, closed: number) =>
    (await db.insertInto('school_year').values({ name, starts_on: starts, ends_on: ends, closed }).returning('id').executeTakeFirstOrThrow()).id;
  // Created open and closed once its class exists: a closed year's rows are read-only (migration 008).
  const closedYearId = await year('2024/2025', '2024-09-02', '2025-05-26', 0);
  const yearId = await year('2025/2026', '2025-09-01', '2026-05-26', 0);
  const nextYearId = await year('2026/2027', '2026-09-01', '2027-05-25', 0);
  const cls = async (yearOf: number, parallel: number, letter: string) =>
    (await db.insertInto('school_class').values({ year_id: yearOf, parallel, letter, period_scheme: 'quarters' }).returning('id').executeTakeFirstOrThrow()).id;
  const oldClass = await cls(closedYearId, 4, 'А');
  await db.updateTable('school_year').set({ closed: 1 }).where('id', '=', closedYearId).execute();
  return {
    yearId,
    closedYearId,
    classes: {
      '4А-old': oldClass,
      '5А': await cls(yearId, 5, 'А'),
      '5Б': await cls(yearId, 5, 'Б'),
      '6А': await cls(yearId, 6, 'А'),
      '6А-next': await cls(nextYearId, 6, 'А'),
    },
  };
}

/** A valid СНИЛС from a 9-digit body (above the exempt range). */
export function validSnils(body: string): string {
  const digits = body.split('').map(Number);
  const sum = digits.reduce((s, d, i) => s + d * (9 - i), 0);
  let check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101;
  if (check === 100) check = 0;
  return body + String(check).padStart(2, '0');
}
