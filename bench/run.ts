import { mkdtempSync, rmSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import zlib from 'node:zlib';
import { readTable } from '../main/exchange/read';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../main/app';
import { appendAudit } from '../main/audit/log';
import { writeTransaction } from '../db/transaction';
import type { MethodName, Params, Result } from '../common/api/contract';
import { journalReportClassYear } from './exchange-journal-report';
import { printScenarios } from './print-volumes';
import { backupScenarios } from './backup';
import { closeYear } from '../main/year/close/execute';
import { reopenYear } from '../main/year/reopen';
import { takeSnapshot } from '../main/backup/snapshot';
import { completeYearMarks } from '../tests/support/year-marks';
import { buildZip } from '../tests/support/zip';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * `npm run bench`: named scenarios, one JSON line each with its figures. Timings are for
 * reading and comparing between runs on the same machine, never asserted by tests.
 */
interface Scenario {
  name: string;
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
}

interface BenchContext {
  app: App;
  dbPath: string;
  session: string;
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
}

function seconds(since: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - since) / 1e6) / 1000;
}

function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // no WAL file: nothing to add
    }
  }
  return total;
}

const PUPILS = Number(process.env.BENCH_PUPILS ?? 3000);

const scenarios: Scenario[] = [
  {
    name: `demo-school-${PUPILS}`,
    async run({ call, dbPath }) {
      const started = process.hrtime.bigint();
      const result = await call('demo.generate', { seed: 1, pupils: PUPILS, year: '2025/2026' });
      const elapsed = seconds(started);
      const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
      return { seconds: elapsed, rows, counts: result.counts, dbMiB: Math.round((fileBytes(dbPath) / 2 ** 20) * 10) / 10, targetSeconds: 60, ratioToTarget: Math.round((elapsed / 60) * 100) / 100 };
    },
  },
  {
    name: 'pupil-search-keystroke',
    async run({ call }) {
      // A secretary typing a surname: one call per keystroke, through the dispatcher.
      const keystrokes = ['с', 'см', 'сми', 'смир', 'смирн', 'к', 'ку', 'куз', 'ё', 'ел'];
      const rounds = 10;
      const times: number[] = [];
      let lastTotal = 0;
      for (let r = 0; r < rounds; r += 1) {
        for (const query of keystrokes) {
          const started = process.hrtime.bigint();
          lastTotal = (await call('pupils.search', { query, limit: 50 })).total;
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(times.length / 2)]!;
      const p95 = times[Math.floor(times.length * 0.95)]!;
      return { calls: times.length, p50Ms: Math.round(p50 * 10) / 10, p95Ms: Math.round(p95 * 10) / 10, targetMs: 50, ratioP95ToTarget: Math.round((p95 / 50) * 100) / 100, lastTotal };
    },
  },
  {
    name: 'class-list-and-movement-report',
    async run({ call }) {
      const classes = (await call('classes.list', { date: '2026-03-01' })).classes;
      const started = process.hrtime.bigint();
      for (const c of classes) await call('pupils.search', { classId: c.id, date: '2026-03-01', limit: 100 });
      const listMs = Number(process.hrtime.bigint() - started) / 1e6 / classes.length;
      const reportStarted = process.hrtime.bigint();
      const report = await call('movement.report', { from: '2025-09-01', to: '2026-05-26' });
      return { classes: classes.length, msPerClassList: Math.round(listMs * 10) / 10, reportMs: Math.round(Number(process.hrtime.bigint() - reportStarted) / 1e5) / 10, reportEvents: report.events.length };
    },
  },
  {
    name: 'codes-import-whole-school',
    async run({ app, call }) {
      // The regional list for the whole school: a code for every pupil and every guardian.
      const db = app.db;
      const rows = await db
        .selectFrom('class_membership as m')
        .innerJoin('school_class as c', 'c.id', 'm.class_id')
        .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
        .leftJoin('pupil_guardian as pg', 'pg.pupil_id', 'p.id')
        .leftJoin('guardian as g', 'g.id', 'pg.guardian_id')
        .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name', 'p.birth_date', 'c.parallel', 'c.letter', 'g.id as gid', 'g.last_name as gl', 'g.first_name as gf', 'g.middle_name as gm'])
        .where('m.from_date', '<=', '2026-03-02')
        .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', '2026-03-02')]))
        .execute();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Коды');
      ws.addRow(['Класс', 'Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Роль', 'Представитель', 'Код', 'Действует до']);
      const seenPupils = new Set<number>();
      let n = 0;
      const code = () => `B${String((n += 1)).padStart(9, '0')}`;
      for (const r of rows) {
        const base = [`${r.parallel}${r.letter}`, r.last_name, r.first_name, r.middle_name ?? '', r.birth_date.split('-').reverse().join('.')];
        if (!seenPupils.has(r.id)) {
          seenPupils.add(r.id);
          ws.addRow([...base, 'Обучающийся', '', code(), '30.06.2026']);
        }
        if (r.gid !== null) ws.addRow([...base, 'Родитель', [r.gl, r.gf, r.gm].filter(Boolean).join(' '), code(), '30.06.2026']);
      }
      const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
      const dryStarted = process.hrtime.bigint();
      const dry = await call('codes.import', { fileName: 'коды школы.xlsx', contentBase64: content, dryRun: true, encoding: 'auto' });
      const drySeconds = seconds(dryStarted);
      const started = process.hrtime.bigint();
      const done = await call('codes.import', { fileName: 'коды школы.xlsx', contentBase64: content, dryRun: false, encoding: 'auto' });
      const elapsed = seconds(started);
      const again = process.hrtime.bigint();
      const repeat = await call('codes.import', { fileName: 'коды школы.xlsx', contentBase64: content, dryRun: true, encoding: 'auto' });
      return {
        rows: n,
        pupils: seenPupils.size,
        drySeconds,
        seconds: elapsed,
        repeatDrySeconds: seconds(again),
        rowsPerSecond: Math.round(n / elapsed),
        created: done.counts.codes.created,
        rejected: done.rejected.length,
        // Expected: only the demo families that refused electronic access.
        rejectedReasons: [...new Set(dry.rejected.map((r) => r.reason))],
        unchangedOnRepeat: repeat.counts.codes.unchanged,
        targetSeconds: 30,
        ratioToTarget: Math.round((elapsed / 30) * 100) / 100,
      };
    },
  },
  {
    name: 'consent-destruction',
    async run({ app, call, dbPath }) {
      // One act of destruction on the whole school's file: the transaction, then the WAL
      // truncation and the VACUUM that make the old bytes leave the file.
      const given = await app.db
        .selectFrom('consent')
        .select('id')
        .where('purpose', '=', 'pupil_data')
        .where('status', '=', 'given')
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      const withdrawn = await call('consents.withdraw', { consentId: given.id, date: '2026-03-02' });
      const started = process.hrtime.bigint();
      const act = await call('consents.destroy', { consentId: withdrawn.consentId, actDate: '2026-03-02' });
      return { seconds: seconds(started), destroyedFields: act.destroyed.length, auditEntriesErased: act.auditEntriesErased, dbMiB: Math.round((fileBytes(dbPath) / 2 ** 20) * 10) / 10 };
    },
  },
  {
    name: 'exchange-roster-import',
    async run({ app, call }) {
      // The whole school's roster (exported from the demo school) into a school that has the
      // same year and classes but no pupils yet: every pupil admitted, every guardian created.
      const exported = await call('exchange.export', { profile: 'roster' });
      const bytes = Buffer.from(exported.contentBase64, 'base64');
      // Reading alone: the best of three loads (the first one also warms the spreadsheet library up).
      let readSeconds = Infinity;
      for (let i = 0; i < 3; i += 1) {
        const readStarted = process.hrtime.bigint();
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(bytes as unknown as ArrayBuffer);
        readSeconds = Math.min(readSeconds, seconds(readStarted));
      }

      const dir = mkdtempSync(join(tmpdir(), 'school-office-bench-import-'));
      const target = await createApp({ dbPath: join(dir, 'target.db'), now: app.now });
      try {
        const admin = await target.dispatch({ method: 'auth.setup', params: { schoolName: 'Приёмник', login: 'bench', fullName: 'Бенчмарк', password: 'bench-password' }, sessionId: null });
        if (!admin.ok) throw new Error(admin.error.message);
        const sessionId = (admin.result as { sessionId: string }).sessionId;
        const year = await app.db.selectFrom('school_year').selectAll().where('name', '=', '2025/2026').executeTakeFirstOrThrow();
        const yearId = (await target.db.insertInto('school_year').values({ name: year.name, starts_on: year.starts_on, ends_on: year.ends_on, closed: 0 }).returning('id').executeTakeFirstOrThrow()).id;
        const classes = await app.db.selectFrom('school_class').select(['parallel', 'letter', 'period_scheme']).where('year_id', '=', year.id).execute();
        for (const c of classes) await target.db.insertInto('school_class').values({ year_id: yearId, parallel: c.parallel, letter: c.letter, period_scheme: c.period_scheme }).execute();
        const importOnce = async (dryRun: boolean) => {
          const started = process.hrtime.bigint();
          const response = await target.dispatch({ method: 'exchange.import', params: { fileName: 'roster.xlsx', contentBase64: exported.contentBase64, profile: 'roster', dryRun }, sessionId });
          if (!response.ok) throw new Error(response.error.message);
          const report = response.result as { counts: Record<string, { created: number; updated: number; unchanged: number }>; rejected: unknown[] };
          return { seconds: seconds(started), counts: report.counts, rejected: report.rejected.length };
        };
        const dry = await importOnce(true);
        const real = await importOnce(false);
        const again = await importOnce(false);
        return {
          rows: exported.rows,
          fileKiB: Math.round(bytes.length / 1024),
          readSeconds,
          drySeconds: dry.seconds,
          seconds: real.seconds,
          repeatSeconds: again.seconds,
          created: real.counts,
          rejected: real.rejected,
          unchangedOnRepeat: again.counts,
          ratioToReading: Math.round((real.seconds / readSeconds) * 100) / 100,
          targetRatio: 2,
        };
      } finally {
        await target.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'exchange-journal-report-class-year',
    run: ({ app }) => journalReportClassYear(app),
  },
  {
    name: 'exchange-zip-bomb',
    async run() {
      // 300 MB of zeros deflated into a few hundred kilobytes, offered as a workbook: refused
      // before it is unpacked; the figure is the memory the refusal needed.
      const zeros = Buffer.alloc(1024 * 1024);
      const deflater = zlib.createDeflateRaw({ level: 9 });
      const parts: Buffer[] = [];
      deflater.on('data', (c: Buffer) => parts.push(c));
      for (let i = 0; i < 300; i += 1) deflater.write(zeros);
      await new Promise<void>((done) => deflater.end(done));
      const bomb = buildZip([{ name: 'xl/workbook.xml', stored: Buffer.concat(parts), declaredSize: 300 * 1024 * 1024 }]);
      const before = process.memoryUsage().rss;
      let peak = before;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const started = process.hrtime.bigint();
      let refused = '';
      try {
        await readTable('bomb.xlsx', bomb);
      } catch (error) {
        refused = error instanceof Error ? error.message.slice(0, 120) : String(error);
      }
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { bombKiB: Math.round(bomb.length / 1024), declaredMiB: 300, seconds: seconds(started), peakGrowthMiB: Math.round((peak - before) / 2 ** 20), refused };
    },
  },
  {
    name: 'audit-verify-100k',
    async run({ app, call }) {
      // A log of a few years of office work: appended directly, in one transaction, then verified.
      const records = Array.from({ length: 100_000 }, (_, i) => ({
        actor: { userId: 1, login: 'bench' },
        method: 'users.update',
        action: 'Изменение пользователя',
        entity: 'user',
        entityId: i,
        before: { fullName: `Сотрудник ${i}` },
        after: { fullName: `Сотрудник ${i + 1}` },
      }));
      const appended = process.hrtime.bigint();
      await writeTransaction(app.db, (trx) => appendAudit(trx, records, new Date()));
      const appendSeconds = seconds(appended);
      const started = process.hrtime.bigint();
      const result = await call('audit.verify', {});
      const verifySeconds = seconds(started);
      const listed = process.hrtime.bigint();
      const deep = await call('audit.list', { limit: 100, beforeId: 50_000 });
      return { appendSeconds, verifySeconds, entries: result.entries, ok: result.ok, deepPageMs: seconds(listed) * 1000, deepPageRows: deep.rows.length };
    },
  },
  {
    name: 'audit-list-page',
    async run({ call }) {
      const started = process.hrtime.bigint();
      const rounds = 200;
      for (let i = 0; i < rounds; i += 1) await call('audit.list', { limit: 100 });
      return { msPerPage: Math.round((seconds(started) / rounds) * 1e6) / 1000, rounds };
    },
  },
  {
    name: 'school-overview',
    async run({ call }) {
      const started = process.hrtime.bigint();
      const rounds = 20;
      let pupils = 0;
      for (let i = 0; i < rounds; i += 1) pupils = (await call('school.overview', {})).counts.pupils;
      return { msPerCall: Math.round((seconds(started) / rounds) * 1e6) / 1000, pupils };
    },
  },
  {
    // Issue 6: closing the demo school's year (3,000 pupils after demo-school-3000), without the
    // snapshot — the close itself: plan, orders, events, memberships, next year. Target 2 s.
    name: 'year-close-3000',
    async run({ app, call, dbPath }) {
      const year = (await call('years.list', {})).years.find((y) => y.name === '2025/2026');
      if (!year) throw new Error('нет учебного года 2025/2026: сначала сценарий demo-school');
      const marksAdded = completeYearMarks(app.opened.raw, year.name);
      const codesAdded = giveEveryoneACode(app.opened.raw, app.now().toISOString());
      const previewStarted = process.hrtime.bigint();
      const preview = await call('year.closePreview', { yearId: year.id, orderDate: year.endsOn });
      const previewSeconds = seconds(previewStarted);
      if (preview.blockers.length > 0) throw new Error(`закрытие невозможно: ${preview.blockers.length} препятствий`);
      const started = process.hrtime.bigint();
      const outcome = await writeTransaction(app.db, (trx) =>
        closeYear(trx, {
          yearId: year.id,
          orderDate: year.endsOn,
          today: year.endsOn,
          at: app.now(),
          userId: null,
          orderSuffix: app.settings.orderSuffix,
          directorName: null,
          snapshotOf: null,
        }),
      );
      const elapsed = seconds(started);
      const { totals } = outcome.result;
      const pupils = totals.promoted + totals.conditional + totals.repeat + totals.graduated;
      // For information: what the snapshot the real close takes first costs on this register.
      const snapStarted = process.hrtime.bigint();
      await takeSnapshot(dbPath, 'bench-snapshot.db');
      const snapshotSeconds = seconds(snapStarted);
      const codesRevoked = outcome.counts['access_code_revoked'] ?? 0;
      // For information: «reopen» of that close (dependency checks, codes given back, rows removed).
      const reopenStarted = process.hrtime.bigint();
      const reopened = await writeTransaction(app.db, (trx) => reopenYear(trx, year.id));
      const reopenSeconds = seconds(reopenStarted);
      if (reopened.codesRestored !== codesRevoked) throw new Error(`отмена закрытия вернула ${reopened.codesRestored} кодов из ${codesRevoked}`);
      return { seconds: elapsed, pupils, orders: outcome.result.orders.length, totals, marksAdded, codesAdded, codesRevoked, previewSeconds, reopenSeconds, snapshotSeconds, targetSeconds: 2, ratioToTarget: Math.round((elapsed / 2) * 100) / 100 };
    },
  },
  // Issue 7: the volume printer (bench/print-volumes.ts).
  ...printScenarios,
  ...backupScenarios,
];

/**
 * The demo school has no access codes; a real one gives one to every pupil and guardian, and the
 * close revokes those of graduates: one active code per pupil and per guardian link, straight in
 * the database (once), so that the year close pays for them.
 */
function giveEveryoneACode(raw: BetterSqlite3.Database, at: string): number {
  if ((raw.prepare('select count(*) as n from access_code').get() as { n: number }).n > 0) return 0;
  const pupils = raw.prepare("insert into access_code (holder_kind, pupil_id, code_secret, status, imported_at) select 'pupil', id, 'BENCH-P' || id, 'issued', ? from pupil").run(at);
  const guardians = raw
    .prepare("insert into access_code (holder_kind, pupil_id, guardian_id, code_secret, status, imported_at) select 'guardian', pupil_id, guardian_id, 'BENCH-G' || pupil_id || '-' || guardian_id, 'new', ? from pupil_guardian")
    .run(at);
  return pupils.changes + guardians.changes;
}

async function main(): Promise<void> {
  // `npm run bench -- demo exchange-roster`: only the scenarios named (by prefix), in their order.
  const only = process.argv.slice(2);
  const dir = mkdtempSync(join(tmpdir(), 'school-office-bench-'));
  const dbPath = join(dir, 'bench.db');
  // The demo school's year is 2025/2026: the clock runs as if today were 2 March 2026, so that
  // "today's class" of every pupil exists (code import matches pupils to today's class).
  const offset = Date.now() - Date.parse('2026-03-02T09:00:00Z');
  const app = await createApp({ dbPath, now: () => new Date(Date.now() - offset) });
  let failed = false;
  try {
    const call = async <M extends MethodName>(method: M, params: Params<M>, sessionId: string | null): Promise<Result<M>> => {
      const response = await app.dispatch({ method, params, sessionId });
      if (!response.ok) throw new Error(`${method}: ${response.error.message}`);
      return response.result as Result<M>;
    };
    const setup = await call('auth.setup', { schoolName: 'Бенчмарк', login: 'bench', fullName: 'Бенчмарк', password: 'bench-password' }, null);
    const ctx: BenchContext = { app, dbPath, session: setup.sessionId, call: (m, p) => call(m, p, setup.sessionId) };
    for (const scenario of scenarios) {
      if (only.length > 0 && !only.some((prefix) => scenario.name.startsWith(prefix))) continue;
      try {
        const figures = await scenario.run(ctx);
        const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
        process.stdout.write(`${JSON.stringify({ scenario: scenario.name, ...figures, rssMiB })}\n`);
      } catch (error) {
        failed = true;
        process.stdout.write(`${JSON.stringify({ scenario: scenario.name, error: error instanceof Error ? error.message : String(error) })}\n`);
      }
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

void main();
