import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInitializedApp, type TestApp } from '../support/app';

let t: TestApp & { adminSession: string };

beforeAll(async () => {
  t = await openInitializedApp();
  await t.call('demo.generate', { seed: 1, pupils: 400, year: '2025/2026' }, t.adminSession);
});
afterAll(async () => t.close());

describe('movement report on the demo school', () => {
  for (const [from, to] of [
    ['2025-09-01', '2026-05-26'],
    ['2025-11-10', '2026-02-15'],
  ] as const) {
    it(`reconciles every class with the events and the class lists, ${from} — ${to}`, async () => {
      const report = await t.call('movement.report', { from, to }, t.adminSession);
      expect(report.classes.length).toBeGreaterThan(10);
      for (const row of report.classes) {
        expect(row.start + row.arrived - row.left, row.class).toBe(row.end);
        const atStart = await t.call('pupils.search', { classId: row.classId, date: from, limit: 5000 }, t.adminSession);
        const atEnd = await t.call('pupils.search', { classId: row.classId, date: to, limit: 5000 }, t.adminSession);
        expect(atStart.total, `${row.class} on ${from}`).toBe(row.start);
        expect(atEnd.total, `${row.class} on ${to}`).toBe(row.end);
      }
      const arrivals = report.events.filter((e) => e.kind === 'admission' || (e.kind === 'class_transfer')).length;
      const departures = report.events.filter((e) => e.kind === 'leave' || e.kind === 'class_transfer').length;
      // Within the school year, every arrival and departure is an event with an order.
      if (from > '2025-09-01') {
        expect(report.totals.arrived).toBe(arrivals);
        expect(report.totals.left).toBe(departures);
      }
      expect(report.events.every((e) => e.order !== null)).toBe(true);
    });
  }

  it('shows the demo school\'s movement during the year', async () => {
    const report = await t.call('movement.report', { from: '2025-09-02', to: '2026-05-26' }, t.adminSession);
    const kinds = new Set(report.events.map((e) => e.kind));
    expect(kinds.has('admission')).toBe(true);
    expect(kinds.has('leave')).toBe(true);
    const leaver = report.events.find((e) => e.kind === 'leave')!;
    expect(leaver).toMatchObject({ fromClass: expect.stringMatching(/^\d{1,2}[А-Я]$/), place: expect.any(String), reason: expect.any(String) });
  });
});
