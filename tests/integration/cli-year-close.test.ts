import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, CLI } from '../support/cli';
import { completeYearMarks } from '../support/year-marks';

/**
 * `year close` and `year decide` through the built binary (issue 6): the dry-run JSON, a refusal
 * that names the pupil and the subject (exit 1, nothing written), a decision that unblocks, the
 * close and its idempotent second run; and a crash test — the process killed at several moments
 * of `year close --confirm` leaves the year either fully closed or untouched, never in between.
 */

const YEAR = '2025/2026';
const ENDS_ON = '2026-05-26';
const as = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
let dir: string;

function makeSchool(name: string, pupils: number): string {
  const db = join(dir, name);
  expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
  const demo = cli(['--db', db, '--user', 'admin', 'demo', '--seed', '4', '--pupils', String(pupils)], as);
  expect(demo.code, demo.stderr).toBe(0);
  const raw = new BetterSqlite3(db);
  completeYearMarks(raw, YEAR);
  raw.close();
  return db;
}

/** Row counts of every data table (each CLI login adds an audit entry, so the audit log is left out). */
function tableCounts(db: string): Record<string, number> {
  const raw = new BetterSqlite3(db, { readonly: true });
  try {
    const tables = raw.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'audit_log' order by name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (raw.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]));
  } finally {
    raw.close();
  }
}

interface DryRun {
  year: string;
  blockers: { pupilId: number; pupil: string; class: string; subject: string | null; reason: string }[];
  decisions: { pupilId: number; pupil: string; class: string; decision: string; nextClass: string | null; subjects: string[] }[];
  orders: { kind: string; number: string; date: string; title: string; pupils: number }[];
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-year-close-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('year close from the command line', () => {
  let db: string;
  const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], as);

  it('dry-run lists every pupil with a decision; a missing mark refuses the close until a decision is made; the close runs once', () => {
    db = makeSchool('school.db', 150);
    const dry = run('--json', 'year', 'close', YEAR, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as DryRun;
    expect(plan.year).toBe(YEAR);
    expect(plan.blockers).toEqual([]);
    const raw = new BetterSqlite3(db);
    const inClasses = (
      raw
        .prepare('select distinct m.pupil_id as id from class_membership m join school_class c on c.id = m.class_id join school_year y on y.id = c.year_id where y.name = ? and m.from_date <= y.ends_on and (m.to_date is null or m.to_date >= y.ends_on)')
        .all(YEAR) as { id: number }[]
    ).map((r) => r.id);
    expect(plan.decisions.map((d) => d.pupilId).sort((a, b) => a - b)).toEqual(inClasses.sort((a, b) => a - b));
    for (const d of plan.decisions) {
      expect(Object.keys(d)).toEqual(expect.arrayContaining(['pupilId', 'class', 'decision', 'nextClass', 'subjects']));
      expect(['promoted', 'conditional', 'repeat', 'graduated']).toContain(d.decision);
    }
    expect(plan.orders.map((o) => o.kind)).toContain('graduation');
    expect(plan.orders.every((o) => o.date === ENDS_ON && /^\d+-у$/.test(o.number))).toBe(true);

    // Without --json: a short Russian summary.
    const text = run('year', 'close', YEAR, '--dry-run');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('пробный прогон');
    expect(text.stdout).toContain('Приказы');

    // A pupil loses a year mark: the close is refused, names the pupil and the subject, writes nothing.
    const victim = plan.decisions.find((d) => d.class === '5А' && d.decision === 'promoted')!;
    const mark = raw
      .prepare("select f.id, s.name from final_mark f join subject s on s.id = f.subject_id join school_year y on y.id = f.year_id where f.pupil_id = ? and y.name = ? and f.kind = 'year' order by s.sort_order limit 1")
      .get(victim.pupilId, YEAR) as { id: number; name: string };
    raw.prepare('delete from final_mark where id = ?').run(mark.id);
    raw.close();
    const blockedPlan = JSON.parse(run('--json', 'year', 'close', YEAR, '--dry-run').stdout) as DryRun;
    expect(blockedPlan.blockers).toEqual([expect.objectContaining({ pupilId: victim.pupilId, pupil: victim.pupil, class: '5А', subject: mark.name })]);
    const before = tableCounts(db);
    const refused = run('--json', 'year', 'close', YEAR, '--confirm');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(victim.pupil);
    expect(refused.stderr).toContain(mark.name);
    expect(refused.stderr).toContain('примите решение вручную');
    expect(tableCounts(db)).toEqual(before);

    // An explicit decision (with the debt subject by name) unblocks; the year is found by the pupil.
    const conditional = run('--json', 'year', 'decide', String(victim.pupilId), '--decision', 'conditional', '--subjects', mark.name);
    expect(conditional.code, conditional.stderr).toBe(0);
    expect(JSON.parse(conditional.stdout)).toMatchObject({ pupilId: victim.pupilId, decision: 'conditional', subjects: [mark.name], nextClass: '6А', explicit: true });
    const wrong = run('year', 'decide', String(victim.pupilId), '--decision', 'graduated', '--year', YEAR);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('только в 9 и 11');
    expect(run('year', 'decide', String(victim.pupilId), '--decision', 'moved').code).toBe(2);
    const promoted = run('year', 'decide', String(victim.pupilId), '--decision', 'promoted', '--year', YEAR);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain('переведён');

    const closed = run('--json', 'year', 'close', YEAR, '--confirm');
    expect(closed.code, closed.stderr).toBe(0);
    const result = JSON.parse(closed.stdout) as { changed: boolean; snapshot: string; orders: { number: string }[]; nextYear: { name: string; created: boolean } };
    expect(result.changed).toBe(true);
    expect(existsSync(result.snapshot)).toBe(true);
    expect(result.nextYear).toMatchObject({ name: '2026/2027', created: true });
    expect(result.orders.map((o) => o.number)).toEqual(blockedPlan.orders.map((o) => o.number));

    const afterClose = tableCounts(db);
    const again = run('--json', 'year', 'close', YEAR, '--confirm');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false });
    expect(tableCounts(db)).toEqual(afterClose);
    const againText = run('year', 'close', YEAR, '--confirm');
    expect(againText.stdout).toContain('уже закрыт');
  }, 180_000);
});

describe('killing `year close --confirm` at any moment', () => {
  let base: string;
  let baseCounts: Record<string, number>;
  let pupils = 0;
  let graduates = 0;

  beforeAll(() => {
    base = makeSchool('base.db', 800);
    baseCounts = tableCounts(base);
    const plan = JSON.parse(cli(['--db', base, '--user', 'admin', '--json', 'year', 'close', YEAR, '--dry-run'], as).stdout) as DryRun;
    expect(plan.blockers).toEqual([]);
    pupils = plan.decisions.length;
    graduates = plan.decisions.filter((d) => d.decision === 'graduated').length;
  }, 180_000);

  /** Either every effect of the close is there, or none is. */
  function assertAtomic(db: string): 'closed' | 'untouched' {
    const raw = new BetterSqlite3(db);
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      const year = raw.prepare('select id, closed from school_year where name = ?').get(YEAR) as { id: number; closed: number };
      const close = raw.prepare('select count(*) as n from year_close where year_id = ?').get(year.id) as { n: number };
      if (year.closed === 0) {
        expect(close.n).toBe(0);
        raw.close();
        expect(tableCounts(db)).toEqual(baseCounts);
        return 'untouched';
      }
      expect(close.n).toBe(1);
      const counts = tableCounts(db);
      expect(counts.movement_event).toBe(baseCounts.movement_event! + pupils);
      expect(counts.class_membership).toBe(baseCounts.class_membership! + pupils - graduates);
      expect(counts.year_close_ending).toBe(pupils);
      expect(counts.school_year).toBe(baseCounts.school_year! + 1);
      return 'closed';
    } finally {
      if (raw.open) raw.close();
    }
  }

  function closeAndKill(db: string, killAfterMs: number | 'pause', env: Record<string, string> = {}): Promise<{ killed: boolean; marker: boolean }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, '--db', db, '--user', 'admin', '--json', 'year', 'close', YEAR, '--confirm'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...as.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let marker = false;
      let timer: NodeJS.Timeout | null = null;
      child.stderr.on('data', (chunk: Buffer) => {
        if (killAfterMs === 'pause' && chunk.toString().includes('SCHOOL_OFFICE_TEST_PAUSE_IN_CLOSE')) {
          marker = true;
          child.kill('SIGKILL');
        }
      });
      if (killAfterMs !== 'pause') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      child.on('error', reject);
      child.on('exit', (_code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({ killed: signal === 'SIGKILL', marker });
      });
    });
  }

  it('an uninterrupted run closes the year (and times the kill points)', async () => {
    const db = join(dir, 'full.db');
    copyFileSync(base, db);
    const started = Date.now();
    const outcome = await closeAndKill(db, 600_000);
    expect(outcome.killed).toBe(false);
    expect(assertAtomic(db)).toBe('closed');
    const duration = Date.now() - started;
    const outcomes: string[] = [];
    for (const delay of [0, 50, 150, 400, ...[0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((f) => Math.round(duration * f))]) {
      const copy = join(dir, `kill-${delay}.db`);
      copyFileSync(base, copy);
      await closeAndKill(copy, delay);
      outcomes.push(`${delay}: ${assertAtomic(copy)}`);
      rmSync(copy, { force: true });
      rmSync(`${copy}-wal`, { force: true });
      rmSync(`${copy}-shm`, { force: true });
    }
    process.stdout.write(`kill outcomes: ${outcomes.join(', ')} (full run ${duration} ms)\n`);
    // The early kills land before the transaction: those copies are untouched.
    expect(outcomes[0]).toBe('0: untouched');
  }, 300_000);

  it('killed inside the transaction (test pause after the events and memberships): untouched', async () => {
    const db = join(dir, 'paused.db');
    copyFileSync(base, db);
    const outcome = await closeAndKill(db, 'pause', { SCHOOL_OFFICE_TEST_PAUSE_IN_CLOSE_MS: '20000' });
    expect(outcome).toEqual({ killed: true, marker: true });
    expect(assertAtomic(db)).toBe('untouched');
  }, 120_000);
});
