import { describe, expect, it } from 'vitest';
import { buildCalendar, isoDay, parseDay, schoolYearLabelOf, weekday } from '../../main/demo/calendar';
import { alphabetLetter, compareRu, patronymic, surnameFor } from '../../main/demo/names';
import { Random } from '../../main/demo/random';

describe('demo school calendar', () => {
  it('computes 2025/2026 after the federal calendar', () => {
    const c = buildCalendar('2025/2026');
    expect(isoDay(c.startsOn)).toBe('2025-09-01');
    expect(isoDay(c.endsOn)).toBe('2026-05-26');
    expect(c.quarters.map((q) => [isoDay(q.startsOn), isoDay(q.endsOn)])).toEqual([
      ['2025-09-01', '2025-10-24'],
      ['2025-11-03', '2025-12-26'],
      ['2026-01-12', '2026-03-20'],
      ['2026-03-30', '2026-05-26'],
    ]);
    expect(c.halves.map((h) => [isoDay(h.startsOn), isoDay(h.endsOn)])).toEqual([
      ['2025-09-01', '2025-12-26'],
      ['2026-01-12', '2026-05-26'],
    ]);
    expect(c.holidays.map((h) => h.name)).toEqual(['Осенние каникулы', 'Зимние каникулы', 'Дополнительные каникулы для 1 классов', 'Весенние каникулы']);
  });

  it('works for any year: holidays of 9 days from Saturday, school days on weekdays only', () => {
    for (const label of ['2019/2020', '2024/2025', '2026/2027', '2030/2031']) {
      const c = buildCalendar(label);
      for (const h of c.holidays) {
        expect(weekday(h.startsOn)).toBe(6);
        expect(weekday(h.endsOn)).toBe(7);
        if (h.name !== 'Зимние каникулы') expect(h.endsOn - h.startsOn + 1).toBe(9);
        else expect(h.endsOn - h.startsOn + 1).toBeGreaterThanOrEqual(14);
      }
      const days = c.schoolDays(false);
      expect(days.every((d) => weekday(d) <= 5)).toBe(true);
      expect(days.length).toBeGreaterThan(160);
      // 1st classes lose the weekdays of their February holidays (one may already be 23 February).
      expect(days.length - c.schoolDays(true).length).toBeGreaterThanOrEqual(4);
      expect(days.length - c.schoolDays(true).length).toBeLessThanOrEqual(5);
      // Sunday 1 September moves the start to Monday.
      if (label === '2019/2020') expect(isoDay(c.startsOn)).toBe('2019-09-02');
    }
  });

  it('refuses a malformed year', () => {
    expect(() => buildCalendar('2025/2027')).toThrow(/2025\/2026/);
    expect(() => buildCalendar('2025-2026')).toThrow();
  });

  it('numbers orders by school year September–August', () => {
    expect(schoolYearLabelOf(parseDay('2025-08-31'))).toBe('2024/2025');
    expect(schoolYearLabelOf(parseDay('2025-09-01'))).toBe('2025/2026');
  });
});

describe('demo names', () => {
  it('builds patronymics with the right endings', () => {
    const cases: [string, string, string][] = [
      ['Иван', 'Иванович', 'Ивановна'],
      ['Сергей', 'Сергеевич', 'Сергеевна'],
      ['Николай', 'Николаевич', 'Николаевна'],
      ['Евгений', 'Евгеньевич', 'Евгеньевна'],
      ['Юрий', 'Юрьевич', 'Юрьевна'],
      ['Дмитрий', 'Дмитриевич', 'Дмитриевна'],
      ['Игорь', 'Игоревич', 'Игоревна'],
      ['Илья', 'Ильич', 'Ильинична'],
      ['Никита', 'Никитич', 'Никитична'],
      ['Кузьма', 'Кузьмич', 'Кузьминична'],
      ['Лев', 'Львович', 'Львовна'],
      ['Павел', 'Павлович', 'Павловна'],
      ['Пётр', 'Петрович', 'Петровна'],
      ['Михаил', 'Михайлович', 'Михайловна'],
      ['Артём', 'Артёмович', 'Артёмовна'],
    ];
    for (const [father, son, daughter] of cases) {
      expect(patronymic(father, 'м')).toBe(son);
      expect(patronymic(father, 'ж')).toBe(daughter);
    }
  });

  it('gives surnames their female form', () => {
    expect(surnameFor('Иванов', 'ж')).toBe('Иванова');
    expect(surnameFor('Ёлкин', 'ж')).toBe('Ёлкина');
    expect(surnameFor('Жуковский', 'ж')).toBe('Жуковская');
    expect(surnameFor('Толстой', 'ж')).toBe('Толстая');
    expect(surnameFor('Черных', 'ж')).toBe('Черных');
    expect(surnameFor('Шевченко', 'ж')).toBe('Шевченко');
  });

  it('sorts the Russian way with Ё as its own letter after Е', () => {
    expect(['Ёлкин', 'Жуков', 'Егоров', 'Абрамов'].sort(compareRu)).toEqual(['Абрамов', 'Егоров', 'Ёлкин', 'Жуков']);
    expect(alphabetLetter('Ёлкина')).toBe('Ё');
  });
});

describe('seeded random', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = Random.derive(1, 'x');
    const b = Random.derive(1, 'x');
    const c = Random.derive(2, 'x');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    const r = new Random(7);
    for (let i = 0; i < 1000; i += 1) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
  });
});
