import { describe, expect, it } from 'vitest';
import { backupsToKeep } from '../../main/backup/rotation';

const b = (createdAt: string, name = `school-${createdAt}`) => ({ name, createdAt });
const sorted = (set: Set<string>) => [...set].sort();

describe('backupsToKeep', () => {
  const now = new Date('2026-11-24T10:00:00Z');

  it('keeps the N newest when no monthly copies are asked for', () => {
    const list = [b('2026-11-20T10:00:00Z'), b('2026-11-21T10:00:00Z'), b('2026-11-22T10:00:00Z'), b('2026-11-23T10:00:00Z')];
    expect(sorted(backupsToKeep(list, { keepLatest: 2, keepMonthly: 0 }, now))).toEqual(['school-2026-11-22T10:00:00Z', 'school-2026-11-23T10:00:00Z']);
  });

  it('keeps nothing dated when both counts are 0', () => {
    expect(backupsToKeep([b('2026-11-20T10:00:00Z')], { keepLatest: 0, keepMonthly: 0 }, now).size).toBe(0);
  });

  it('with several copies a day, keeps the newest of the month and the N newest by time', () => {
    const list = [b('2026-11-24T08:00:00Z'), b('2026-11-24T09:00:00Z'), b('2026-11-24T09:30:00Z'), b('2026-11-23T23:59:59Z')];
    expect(sorted(backupsToKeep(list, { keepLatest: 1, keepMonthly: 1 }, now))).toEqual(['school-2026-11-24T09:30:00Z']);
    expect(sorted(backupsToKeep(list, { keepLatest: 2, keepMonthly: 1 }, now))).toEqual(['school-2026-11-24T09:00:00Z', 'school-2026-11-24T09:30:00Z']);
  });

  it('keeps the newest copy of each of the last M months, the current month counting, across gaps', () => {
    const list = [
      b('2026-11-02T10:00:00Z'),
      b('2026-11-01T10:00:00Z'),
      b('2026-09-30T23:00:00Z'), // newest of September
      b('2026-09-01T10:00:00Z'),
      // no October, no August
      b('2026-07-15T10:00:00Z'),
      b('2025-12-31T10:00:00Z'), // 11 months before November 2026: outside a 3-month window
    ];
    expect(sorted(backupsToKeep(list, { keepLatest: 0, keepMonthly: 3 }, now))).toEqual(['school-2026-09-30T23:00:00Z', 'school-2026-11-02T10:00:00Z']);
    // A year's window reaches December 2025 (months Dec 2025 … Nov 2026).
    expect(sorted(backupsToKeep(list, { keepLatest: 0, keepMonthly: 12 }, now))).toEqual([
      'school-2025-12-31T10:00:00Z',
      'school-2026-07-15T10:00:00Z',
      'school-2026-09-30T23:00:00Z',
      'school-2026-11-02T10:00:00Z',
    ]);
  });

  it('counts months in UTC and across a year boundary', () => {
    const jan = new Date('2027-01-05T00:00:00Z');
    const list = [b('2026-12-31T23:30:00Z'), b('2027-01-01T00:30:00Z'), b('2026-12-01T00:00:00Z')];
    expect(sorted(backupsToKeep(list, { keepLatest: 0, keepMonthly: 2 }, jan))).toEqual(['school-2026-12-31T23:30:00Z', 'school-2027-01-01T00:30:00Z']);
    expect(sorted(backupsToKeep(list, { keepLatest: 0, keepMonthly: 1 }, jan))).toEqual(['school-2027-01-01T00:30:00Z']);
  });

  it('never removes copies dated after now (clock skew) nor copies without a readable date', () => {
    const list = [b('2027-03-01T10:00:00Z'), b('2026-11-24T10:00:01Z'), { name: 'odd', createdAt: 'not a date' }, b('2026-11-01T10:00:00Z'), b('2026-10-01T10:00:00Z')];
    expect(sorted(backupsToKeep(list, { keepLatest: 1, keepMonthly: 0 }, now))).toEqual(['odd', 'school-2026-11-01T10:00:00Z', 'school-2026-11-24T10:00:01Z', 'school-2027-03-01T10:00:00Z']);
  });

  it('keeps everything when there are fewer copies than the policy allows', () => {
    const list = [b('2026-11-20T10:00:00Z'), b('2026-01-20T10:00:00Z')];
    expect(backupsToKeep(list, { keepLatest: 10, keepMonthly: 12 }, now).size).toBe(2);
  });

  it('does not depend on input order; equal times are ordered by name', () => {
    const list = [b('2026-11-20T10:00:00Z', 'a'), b('2026-11-20T10:00:00Z', 'b'), b('2026-11-19T10:00:00Z', 'c')];
    const one = backupsToKeep(list, { keepLatest: 1, keepMonthly: 0 }, now);
    const two = backupsToKeep([...list].reverse(), { keepLatest: 1, keepMonthly: 0 }, now);
    expect(sorted(one)).toEqual(['b']);
    expect(sorted(two)).toEqual(['b']);
  });
});
