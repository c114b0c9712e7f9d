import { describe, expect, it } from 'vitest';
import { classAtEndOf } from '../../main/print/journal/final-marks';
import { membershipNote } from '../../main/print/journal/roster';
import { cellText, groupHeading } from '../../main/print/journal/subjects';
import { subjectCounts, withCounts } from '../../main/print/ledgers/final-marks-counts';
import { monthsOfYear } from '../../main/print/ledgers/source';
import { dayOfMonth, monthSpans, splitEvenly } from '../../templates/journal/paging';

describe('cutting grids into pages', () => {
  it('uses the fewest pages and spreads the columns evenly', () => {
    expect(splitEvenly(0, 40)).toEqual([]);
    expect(splitEvenly(40, 40)).toEqual([[0, 40]]);
    expect(splitEvenly(41, 40)).toEqual([
      [0, 21],
      [21, 41],
    ]);
    expect(splitEvenly(133, 40)).toEqual([
      [0, 34],
      [34, 67],
      [67, 100],
      [100, 133],
    ]);
    for (let n = 1; n <= 300; n += 1) {
      const parts = splitEvenly(n, 40);
      expect(parts.length).toBe(Math.ceil(n / 40));
      expect(parts.at(-1)?.[1]).toBe(n);
      const sizes = parts.map(([a, b]) => b - a);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(40);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('groups the days under their months, short names over narrow runs', () => {
    expect(monthSpans(['2025-09-29', '2025-09-30', '2025-10-01', '2025-10-02', '2025-10-03', '2025-11-03'])).toEqual([
      { label: 'сент.', span: 2 },
      { label: 'октябрь', span: 3 },
      { label: 'нояб.', span: 1 },
    ]);
    expect(dayOfMonth('2025-09-01')).toBe('1');
    expect(dayOfMonth('2025-09-30')).toBe('30');
  });

  it('lists the months of a school year', () => {
    expect(monthsOfYear('2025-09-01', '2026-05-26')).toEqual(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05']);
  });
});

describe('journal cells and headings', () => {
  it('writes the attendance letter in lower case before the marks', () => {
    expect(cellText(undefined, undefined)).toBe('');
    expect(cellText('Н', undefined)).toBe('н');
    expect(cellText('Б', [])).toBe('б');
    expect(cellText(undefined, ['5', '4'])).toBe('5 4');
    expect(cellText('О', ['3'])).toBe('о 3');
  });

  it('names a group after its subject', () => {
    expect(groupHeading('Информатика', '1 группа')).toBe('Информатика (группа 1)');
    expect(groupHeading('Иностранный язык (английский)', '2 группа')).toBe('Иностранный язык (английский), группа 2');
    expect(groupHeading('Английский язык', 'Группа 2')).toBe('Английский язык (группа 2)');
    expect(groupHeading('Труд (технология)', 'девочки')).toBe('Труд (технология), девочки');
  });

  it('notes the dates of joining and leaving only inside the year', () => {
    const pupil = (spans: { from: string; to: string | null }[]) => ({ id: 1, lastName: 'А', firstName: 'Б', middleName: null, spans });
    expect(membershipNote(pupil([{ from: '2025-09-01', to: null }]), '2025-09-01', '2026-05-26')).toBeNull();
    expect(membershipNote(pupil([{ from: '2025-08-20', to: '2026-05-26' }]), '2025-09-01', '2026-05-26')).toBeNull();
    expect(membershipNote(pupil([{ from: '2025-10-20', to: null }]), '2025-09-01', '2026-05-26')).toBe('с 20.10.2025');
    expect(membershipNote(pupil([{ from: '2025-09-01', to: '2026-04-14' }]), '2025-09-01', '2026-05-26')).toBe('по 14.04.2026');
    expect(
      membershipNote(
        pupil([
          { from: '2025-09-01', to: '2025-11-10' },
          { from: '2026-02-01', to: null },
        ]),
        '2025-09-01',
        '2026-05-26',
      ),
    ).toBe('по 10.11.2025; с 01.02.2026');
  });

  it('gives a final mark to the class the pupil was in at the end of the span', () => {
    const q1 = { from: '2025-09-01', to: '2025-10-24' };
    const stayed = [{ classId: 5, from: '2025-09-01', to: null }];
    const moved = [
      { classId: 5, from: '2025-09-01', to: '2025-10-01' },
      { classId: 6, from: '2025-10-02', to: null },
    ];
    const left = [{ classId: 5, from: '2025-09-01', to: '2025-10-10' }];
    const later = [{ classId: 6, from: '2025-11-05', to: null }];
    expect(classAtEndOf(stayed, q1)).toBe(5);
    expect(classAtEndOf(moved, q1)).toBe(6);
    expect(classAtEndOf(left, q1)).toBe(5);
    expect(classAtEndOf(later, q1)).toBeNull();
  });
});

describe('ledger counts', () => {
  it('counts each value and the shares per subject', () => {
    const c = subjectCounts(['5', '5', '4', '3', '2', 'н/а', 'зач', 'осв', '']);
    expect(c).toMatchObject({ five: 2, four: 1, three: 1, two: 1, notCertified: 1 });
    expect(c.quality).toBeCloseTo(50);
    expect(c.success).toBeCloseTo((4 * 100) / 6);
    expect(subjectCounts(['зач', '']).quality).toBeNull();
  });

  it('counts the pupils of good standing in the class', () => {
    const table = withCounts({
      title: 'Годовые отметки',
      subjects: [
        { name: 'Математика', shortName: 'Матем.' },
        { name: 'Музыка', shortName: 'Музыка' },
      ],
      values: [
        ['5', 'зач'],
        ['4', '5'],
        ['3', '4'],
        ['2', '4'],
        ['', ''],
      ],
    });
    expect(table.pupilsWithMarks).toBe(4);
    expect(table.classQuality).toBeCloseTo(50);
    expect(table.classSuccess).toBeCloseTo(75);
    expect(table.counts.map((c) => c.five)).toEqual([1, 1]);
  });
});
