import { describe, expect, it } from 'vitest';
import { defaultScheme, planClasses } from '../../main/year/open';

describe('rolling classes forward', () => {
  const old = [
    { id: 1, parallel: 1, letter: 'А', period_scheme: 'quarters' as const, class_teacher_id: 10 },
    { id: 2, parallel: 5, letter: 'А', period_scheme: 'quarters' as const, class_teacher_id: 11 },
    { id: 3, parallel: 5, letter: 'Б', period_scheme: 'trimesters' as const, class_teacher_id: 12 },
    { id: 4, parallel: 6, letter: 'А', period_scheme: 'quarters' as const, class_teacher_id: 13 },
    { id: 5, parallel: 10, letter: 'А', period_scheme: 'halves' as const, class_teacher_id: null },
    { id: 6, parallel: 11, letter: 'А', period_scheme: 'halves' as const, class_teacher_id: 14 },
  ];

  it('moves (P, L) to (P+1, L) with scheme and active teacher, adds new 1st classes, drops the 11th', () => {
    const plan = planClasses(old, new Set([10, 11, 13, 14]));
    expect(plan.map((c) => `${c.parallel}${c.letter}:${c.scheme}:${String(c.teacherId)}:${String(c.curriculumFrom)}`)).toEqual([
      '1А:quarters:null:1',
      '2А:quarters:10:null',
      '6А:quarters:11:4',
      // No old 6Б: the curriculum comes from another 6th class; teacher 12 has left.
      '6Б:trimesters:null:4',
      '7А:quarters:13:null',
      '11А:halves:null:6',
    ]);
  });

  it('defaults to quarters for 1–9 and halves for 10–11', () => {
    expect([1, 9, 10, 11].map(defaultScheme)).toEqual(['quarters', 'quarters', 'halves', 'halves']);
  });
});
