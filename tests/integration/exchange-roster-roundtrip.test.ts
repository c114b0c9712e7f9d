import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../common/api/contract';
import { openInitializedApp, type TestApp } from '../support/app';

/**
 * The roster export read back by the roster import: a school's list, exported and loaded into a
 * school that has the same year and classes but no pupils, gives the same pupils with the same
 * guardians — and exporting the receiving school gives the same file, cell for cell.
 */

const NOW = () => new Date('2026-03-16T10:00:00Z');
type App = TestApp & { adminSession: string };

let source: App;
let target: App;
let exported: Result<'exchange.export'>;

/** Every data row of the export as text cells, sorted (rows follow class and name order in both schools). */
async function rowsOf(file: Result<'exchange.export'>): Promise<{ headers: string[]; rows: string[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const headers: string[] = [];
  ws.getRow(1).eachCell((cell, col) => (headers[col - 1] = String(cell.value)));
  const rows: string[][] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(headers.map((_, i) => {
      const value = row.getCell(i + 1).value;
      return value instanceof Date ? value.toISOString().slice(0, 10) : value === null || value === undefined ? '' : String(value);
    }));
  });
  return { headers, rows };
}

/** Pupils with their guardians, by name and birth date, as the register holds them. */
async function registerOf(t: App, only?: ReadonlySet<number>) {
  const pupils = await t.app.db.selectFrom('pupil').select(['id', 'last_name', 'first_name', 'middle_name', 'birth_date', 'gender', 'snils', 'doc_kind', 'doc_series', 'doc_number', 'doc_issued_on', 'doc_issued_by', 'reg_address', 'live_address', 'phone', 'email']).execute();
  const links = await t.app.db
    .selectFrom('pupil_guardian as pg')
    .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
    .select(['pg.pupil_id', 'pg.kinship', 'g.last_name', 'g.first_name', 'g.middle_name', 'g.snils', 'g.phone', 'g.email'])
    .execute();
  return pupils
    .filter((p) => !only || only.has(p.id))
    .map(({ id, ...p }) => ({
      ...p,
      guardians: links
        .filter((l) => l.pupil_id === id)
        .map(({ pupil_id: _, ...g }) => g)
        .sort((a, b) => `${a.last_name} ${a.first_name}`.localeCompare(`${b.last_name} ${b.first_name}`, 'ru')),
    }))
    .sort((a, b) => `${a.last_name} ${a.first_name} ${a.birth_date}`.localeCompare(`${b.last_name} ${b.first_name} ${b.birth_date}`, 'ru'));
}

beforeAll(async () => {
  source = await openInitializedApp({ now: NOW });
  await source.call('demo.generate', { seed: 7, pupils: 120, year: '2025/2026' }, source.adminSession);
  exported = await source.call('exchange.export', { profile: 'roster' }, source.adminSession);

  target = await openInitializedApp({ now: NOW });
  const year = await source.app.db.selectFrom('school_year').selectAll().where('name', '=', '2025/2026').executeTakeFirstOrThrow();
  const yearId = (await target.app.db.insertInto('school_year').values({ name: year.name, starts_on: year.starts_on, ends_on: year.ends_on, closed: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  const classes = await source.app.db.selectFrom('school_class').select(['parallel', 'letter', 'period_scheme']).where('year_id', '=', year.id).execute();
  for (const c of classes) await target.app.db.insertInto('school_class').values({ year_id: yearId, ...c }).execute();
}, 60_000);
afterAll(async () => {
  await source.close();
  await target.close();
});

describe('roster export → roster import', () => {
  it('loads every exported pupil and guardian into an empty school, then exports the same list', async () => {
    const report = await target.call('exchange.import', { fileName: 'roster.xlsx', contentBase64: exported.contentBase64, profile: 'roster', dryRun: false }, target.adminSession);
    expect(report.rejected).toEqual([]);
    expect(report.counts.pupils).toEqual({ created: exported.rows, updated: 0, unchanged: 0 });
    expect(report.counts.guardians!.created).toBeGreaterThan(exported.rows);

    // The same people: every pupil of the export with the same fields and the same guardians.
    // (The demo gives at most two guardians per pupil, the number the export writes.)
    // Those in a class today are the ones exported (leavers of the demo stay behind).
    const inClasses = new Set((await source.call('pupils.search', { date: '2026-03-16', limit: 5000 }, source.adminSession)).rows.map((r) => r.id));
    expect(inClasses.size).toBe(exported.rows);
    const targetRegister = await registerOf(target);
    expect(targetRegister).toHaveLength(exported.rows);
    expect(targetRegister.every((p) => p.guardians.length > 0)).toBe(true);
    expect(targetRegister).toEqual(await registerOf(source, inClasses));

    // Siblings' shared guardians stay one person in the receiving school.
    const guardians = await target.app.db.selectFrom('guardian').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const links = await target.app.db.selectFrom('pupil_guardian').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(links.n)).toBe(report.counts.guardians!.created + report.counts.guardians!.updated);
    expect(Number(guardians.n)).toBe(report.counts.guardians!.created);

    // Exported again from the receiving school: the same file, cell for cell, except the
    // admission date of pupils admitted before the year (the register of the receiving school
    // starts with its year; the order number is kept).
    const again = await rowsOf(await target.call('exchange.export', { profile: 'roster' }, target.adminSession));
    const first = await rowsOf(exported);
    expect(again.headers).toEqual(first.headers);
    const dateColumn = first.headers.indexOf('Дата зачисления');
    const withoutDate = (rows: string[][]) => rows.map((r) => r.filter((_, i) => i !== dateColumn));
    expect(withoutDate(again.rows)).toEqual(withoutDate(first.rows));
  }, 60_000);

  it('changes nothing when the same file is loaded again', async () => {
    const report = await target.call('exchange.import', { fileName: 'roster.xlsx', contentBase64: exported.contentBase64, profile: 'roster', dryRun: false }, target.adminSession);
    expect(report.counts.pupils).toEqual({ created: 0, updated: 0, unchanged: exported.rows });
    expect(report.counts.guardians!.created + report.counts.guardians!.updated).toBe(0);
    expect(report.conflicts).toEqual([]);
  });
});
