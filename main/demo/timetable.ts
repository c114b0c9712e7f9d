import type { Random } from './random';

/**
 * A fixed weekly timetable of one class: each subject's hours spread over Monday–Friday (at most
 * one lesson of a subject a day until every day has one), no day longer than `maxPerDay`, lesson
 * numbers from 1 with two lessons of one subject on a day placed back to back.
 */

export interface TimetableEntry {
  /** Index of the entry in the class's curriculum. */
  entry: number;
  hours: number;
}

/** For each weekday (0 = Monday … 4 = Friday), the curriculum entry of lessons 1, 2, 3… */
export type Timetable = number[][];

export function buildTimetable(rng: Random, entries: readonly TimetableEntry[], maxPerDay: number): Timetable {
  const days: number[][] = [[], [], [], [], []];
  const sorted = [...entries].sort((a, b) => b.hours - a.hours || a.entry - b.entry);
  for (const { entry, hours } of sorted) {
    for (let h = 0; h < hours; h += 1) {
      const order = [0, 1, 2, 3, 4]
        .map((d) => ({ d, same: (days[d] as number[]).filter((e) => e === entry).length, load: (days[d] as number[]).length, tie: rng.next() }))
        .filter((x) => x.load < maxPerDay)
        .sort((a, b) => a.same - b.same || a.load - b.load || a.tie - b.tie);
      const target = order[0] ?? { d: h % 5 };
      (days[target.d] as number[]).push(entry);
    }
  }
  return days.map((list) => {
    rng.shuffle(list);
    // Keep a subject's two lessons of a day together.
    const out: number[] = [];
    for (const e of list) {
      const at = out.lastIndexOf(e);
      if (at >= 0) out.splice(at + 1, 0, e);
      else out.push(e);
    }
    return out;
  });
}
