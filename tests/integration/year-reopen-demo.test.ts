import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInitializedApp, type TestApp } from '../support/app';
import { dumpDataTables } from '../support/data-tables';

/**
 * «Reopen» on a realistic register: the demo school (every class 1–11, groups with members,
 * leavers and transfers during the year, a full journal) is closed and reopened, and every data
 * table is back exactly as it was before the close.
 */

let t: TestApp & { adminSession: string };
beforeAll(async () => {
  // June after the demo year: the close's orders are dated its last day.
  t = await openInitializedApp({ now: () => new Date('2026-06-05T03:00:00Z') });
  await t.call('demo.generate', { seed: 3, pupils: 300, year: '2025/2026' }, t.adminSession);
});
afterAll(async () => t.close());

describe('reopen of the demo school', () => {
  it('restores every data table after a close that promoted, graduated and opened the next year', async () => {
    const yearId = (await t.call('years.list', {}, t.adminSession)).years.find((y) => y.name === '2025/2026')!.id;
    const before = dumpDataTables(t.app.opened.raw);
    const closed = await t.call('year.close', { yearId }, t.adminSession);
    expect(closed).toMatchObject({ changed: true, nextYear: { name: '2026/2027', created: true } });
    expect(closed.totals.graduated).toBeGreaterThan(0);
    expect(dumpDataTables(t.app.opened.raw)).not.toEqual(before);

    const reopened = await t.call('year.reopen', { yearId }, t.adminSession);
    expect(reopened.changed).toBe(true);
    expect(reopened.removed['movements']).toBe(closed.totals.promoted + closed.totals.conditional + closed.totals.repeat + closed.totals.graduated);
    const after = dumpDataTables(t.app.opened.raw);
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(Object.keys(after)).toEqual(Object.keys(before));
  });
});
