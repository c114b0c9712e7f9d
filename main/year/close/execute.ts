import { sql } from 'kysely';
import { ApiError } from '../../../common/api/errors';
import type { CloseResult } from '../../../common/api/year-contract';
import { DECISION_LABELS } from '../../../common/api/year-contract';
import type { Db } from '../../../db/connection';
import type { YearCloseRowTableName } from '../../../db/schema';
import { resolveOrder } from '../../contingent/orders';
import { fileStamp, takeSnapshot } from '../../backup/snapshot';
import { openYear } from '../open';
import { loadCloseInput } from './load';
import { blockersMessage, planClose, type ClosePlan } from './plan';
import { DECISION_ORDER_KIND } from './names';
import { CLOSE_REVOKE_REASON, codesRevokedByClose } from './codes';

export interface CloseOptions {
  yearId: number;
  orderDate?: string | undefined;
  today: string;
  /** The moment of the close (closed_at, created_at). */
  at: Date;
  userId: number | null;
  orderSuffix: string;
  directorName: string | null;
  /**
   * The register's file: the snapshot is taken from it before the writes. Null skips the
   * snapshot — only for tests and the benchmark, never reachable from the API.
   */
  snapshotOf: string | null;
}

export interface CloseOutcome {
  result: CloseResult;
  /** Rows made, for the audit entry (counts only). */
  counts: Record<string, number>;
}

/** Rows per multi-row INSERT: well under SQLite's limit of bound variables. */
const BATCH = 400;

function chunks<T>(rows: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * The close, inside the caller's transaction (the dispatcher's): plan, refuse while blockers
 * remain, snapshot, then orders, next year, classes, movement events, memberships ended and
 * created, every created row recorded for «reopen», and the year marked closed LAST — so that a
 * crash at any point before the commit leaves nothing, and the closed-year guard (which refuses
 * writes into a closed year) never stands in the close's own way.
 */
export async function closeYear(trx: Db, options: CloseOptions): Promise<CloseOutcome> {
  const input = await loadCloseInput(trx, options);
  if (input.year.closed) return { result: await alreadyClosed(trx, input.year), counts: {} };
  const plan = planClose(input);
  if (plan.blockers.length > 0) throw new ApiError('refused', blockersMessage(plan));
  if (plan.pupils.length === 0) {
    throw new ApiError('refused', `В учебном году ${input.year.name} на его последний день нет ни одного обучающегося в классах: закрывать нечего. Проверьте списки классов.`);
  }

  // Read before any write, as the preview reads it: the same codes.
  const codes = await codesRevokedByClose(trx, plan);

  // The snapshot sees the last committed state: nothing of this transaction is written yet.
  const snapshot = options.snapshotOf ? await takeSnapshot(options.snapshotOf, `before-close-${input.year.name.replace('/', '-')}-${fileStamp(options.at)}.db`) : null;
  const at = options.at.toISOString();
  const created: { table: YearCloseRowTableName; id: number }[] = [];

  // 1. The next year: the existing one, or opened now with the structure rolled forward.
  let nextYearId = input.nextYear.id;
  const nextYearCreated = nextYearId === null;
  if (nextYearId === null) {
    const opened = await openYear(trx, { name: input.nextYear.name, startsOn: input.nextYear.startsOn, endsOn: input.nextYear.endsOn, copyFromYearId: input.year.id });
    nextYearId = opened.yearId;
    created.push(...opened.created);
  }
  await trx
    .insertInto('year_close')
    .values({ year_id: input.year.id, next_year_id: nextYearId, next_year_created: nextYearCreated ? 1 : 0, order_date: input.orderDate, snapshot_file: snapshot, closed_by: options.userId, closed_at: at })
    .execute();

  // 2. Target classes the next year lacks.
  const classIds = await ensureTargetClasses(trx, plan, nextYearId, created);

  // 3. Orders, numbered on in the closing year's order book exactly as the plan showed them.
  const orderIds = new Map<string, number>();
  const orders: CloseResult['orders'] = [];
  for (const order of plan.orders) {
    const made = await resolveOrder(trx, { date: order.date, number: order.number, title: order.title, body: order.body }, order.kind, options.orderSuffix, options.directorName);
    orderIds.set(order.kind, made.id);
    created.push({ table: 'pupil_order', id: made.id });
    orders.push({ id: made.id, kind: order.kind, number: made.number, date: made.date, title: order.title, pupils: order.pupilIds.length });
  }

  // 4. One movement event per pupil, linked to its order.
  const subjectName = (id: number) => input.subjects.get(id)?.name ?? `предмет № ${id}`;
  const nextClassId = new Map<number, number | null>();
  const eventRows = plan.pupils.map((p) => {
    const kind = DECISION_ORDER_KIND[p.decision];
    const toClass = p.next ? (classIds.get(`${p.next.parallel}|${p.next.letter}`) ?? null) : null;
    if (p.next && toClass === null) throw new Error(`target class ${p.next.parallel}${p.next.letter} missing after ensureTargetClasses`);
    nextClassId.set(p.pupilId, toClass);
    const debt = p.subjectIds.length > 0 ? `; академическая задолженность: ${p.subjectIds.map(subjectName).join(', ')}` : '';
    return {
      pupil_id: p.pupilId,
      order_id: orderIds.get(kind) ?? null,
      kind,
      event_date: input.orderDate,
      from_class_id: p.classId,
      to_class_id: toClass,
      note: `${DECISION_LABELS[p.decision]}${debt}`,
      created_by: options.userId,
      created_at: at,
    };
  });
  const eventOf = new Map<number, number>();
  for (const batch of chunks(eventRows)) {
    // RETURNING order is not guaranteed: map the ids back by pupil (one event per pupil here).
    for (const r of await trx.insertInto('movement_event').values(batch).returning(['id', 'pupil_id']).execute()) {
      eventOf.set(r.pupil_id, r.id);
      created.push({ table: 'movement_event', id: r.id });
    }
  }

  // 5. The memberships of the closing year end on its last day with that event (old values kept).
  for (const batch of chunks(plan.pupils)) {
    await trx
      .insertInto('year_close_ending')
      .values(batch.map((p) => ({ year_id: input.year.id, membership_id: p.membershipId, old_to_date: p.membershipToDate, old_end_event_id: p.membershipEndEventId })))
      .execute();
  }
  for (const batch of chunks(plan.pupils)) {
    const cases = sql.join(batch.map((p) => sql`when ${p.membershipId} then ${eventOf.get(p.pupilId)!}`), sql` `);
    await sql`update class_membership set to_date = ${input.year.endsOn}, end_event_id = case id ${cases} end where id in (${sql.join(batch.map((p) => p.membershipId))})`.execute(trx);
  }

  // 6. Promoted and repeating pupils start in their class of the next year on its first day.
  const newMemberships = plan.pupils
    .filter((p) => p.next)
    .map((p) => ({ pupil_id: p.pupilId, class_id: nextClassId.get(p.pupilId)!, from_date: input.nextYear.startsOn, start_event_id: eventOf.get(p.pupilId)! }));
  for (const batch of chunks(newMemberships)) {
    for (const r of await trx.insertInto('class_membership').values(batch).returning('id').execute()) created.push({ table: 'class_membership', id: r.id });
  }

  // 7. Graduates leave the school: their access codes, and those of guardians left with no child
  // in the school, stop working (as on any leaving); what each held is kept for «reopen».
  for (const batch of chunks(codes)) {
    await trx
      .insertInto('year_close_code')
      .values(batch.map((c) => ({ year_id: input.year.id, code_id: c.id, old_status: c.status, old_revoked_at: c.revokedAt, old_revoke_reason: c.revokeReason })))
      .execute();
    await trx
      .updateTable('access_code')
      .set({ status: 'revoked', revoked_at: at, revoke_reason: CLOSE_REVOKE_REASON })
      .where('id', 'in', batch.map((c) => c.id))
      .execute();
  }

  pauseForCrashTest();

  // 8. Everything made, for «reopen».
  for (const batch of chunks(created)) {
    await trx
      .insertInto('year_close_row')
      .values(batch.map((c) => ({ year_id: input.year.id, table_name: c.table, row_id: c.id })))
      .execute();
  }

  // 9. LAST: the year is closed. From here the closed-year guard protects it.
  await trx.updateTable('school_year').set({ closed: 1, closed_at: at }).where('id', '=', input.year.id).execute();

  const counts: Record<string, number> = {};
  for (const c of created) counts[c.table] = (counts[c.table] ?? 0) + 1;
  if (codes.length > 0) counts['access_code_revoked'] = codes.length;
  return {
    result: {
      year: input.year.name,
      yearId: input.year.id,
      changed: true,
      snapshot,
      nextYear: { id: nextYearId, name: input.nextYear.name, created: nextYearCreated },
      orders,
      totals: plan.totals,
    },
    counts,
  };
}

/** Creates the target classes the next year lacks; returns every class of the next year by «P|L». */
async function ensureTargetClasses(trx: Db, plan: ClosePlan, nextYearId: number, created: { table: YearCloseRowTableName; id: number }[]): Promise<Map<string, number>> {
  const key = (parallel: number, letter: string) => `${parallel}|${letter}`;
  const rows = await trx.selectFrom('school_class').select(['id', 'parallel', 'letter', 'class_teacher_id']).where('year_id', '=', nextYearId).execute();
  const ids = new Map(rows.map((r) => [key(r.parallel, r.letter), r.id]));
  const teachersTaken = new Set(rows.map((r) => r.class_teacher_id).filter((t): t is number => t !== null));
  // As the roll-forward (openYear) does: a teacher who has left the school is carried into no class and no curriculum row.
  const active = new Set((await trx.selectFrom('staff').select('id').where('active', '=', 1).execute()).map((r) => r.id));
  const keepTeacher = (id: number | null): number | null => (id !== null && active.has(id) ? id : null);
  const old = [...plan.input.classes.values()];
  for (const target of plan.classesToCreate) {
    if (ids.has(key(target.parallel, target.letter))) continue;
    // The class it copies: the closing year's class of the same parallel and letter, else any of that parallel.
    const source = old.find((c) => c.parallel === target.parallel && c.letter === target.letter) ?? old.find((c) => c.parallel === target.parallel) ?? null;
    // A teacher leads one class a year: keep the teacher only when free in the next year.
    const teacher = keepTeacher(source?.classTeacherId ?? null);
    const teacherId = teacher !== null && !teachersTaken.has(teacher) ? teacher : null;
    if (teacherId !== null) teachersTaken.add(teacherId);
    const cls = await trx
      .insertInto('school_class')
      .values({ year_id: nextYearId, parallel: target.parallel, letter: target.letter, period_scheme: source?.periodScheme ?? (target.parallel >= 10 ? 'halves' : 'quarters'), class_teacher_id: teacherId })
      .returning('id')
      .executeTakeFirstOrThrow();
    created.push({ table: 'school_class', id: cls.id });
    ids.set(key(target.parallel, target.letter), cls.id);
    if (!source) continue;
    const curriculum = await trx.selectFrom('curriculum').select(['subject_id', 'hours_per_week', 'teacher_id']).where('class_id', '=', source.id).orderBy('id').execute();
    if (curriculum.length === 0) continue;
    const made = await trx
      .insertInto('curriculum')
      .values(curriculum.map((r) => ({ class_id: cls.id, subject_id: r.subject_id, hours_per_week: r.hours_per_week, teacher_id: keepTeacher(r.teacher_id) })))
      .returning('id')
      .execute();
    for (const r of made) created.push({ table: 'curriculum', id: r.id });
  }
  return ids;
}

/** What the close of an already closed year did (its orders, totals, next year): a second run returns it. */
export async function alreadyClosed(trx: Db, year: { id: number; name: string }): Promise<CloseResult> {
  const close = await trx.selectFrom('year_close').selectAll().where('year_id', '=', year.id).executeTakeFirst();
  const next = close ? await trx.selectFrom('school_year').select(['id', 'name']).where('id', '=', close.next_year_id).executeTakeFirst() : undefined;
  const orderRows = close
    ? await trx
        .selectFrom('year_close_row as r')
        .innerJoin('pupil_order as o', 'o.id', 'r.row_id')
        .select(['o.id', 'o.kind', 'o.number', 'o.order_date', 'o.title'])
        .select((eb) => eb.selectFrom('movement_event as e').whereRef('e.order_id', '=', 'o.id').select(sql<number>`count(*)`.as('n')).as('pupils'))
        .where('r.year_id', '=', year.id)
        .where('r.table_name', '=', 'pupil_order')
        .orderBy('o.seq')
        .execute()
    : [];
  const totals = { promoted: 0, conditional: 0, repeat: 0, graduated: 0 };
  const orders: CloseResult['orders'] = [];
  for (const o of orderRows) {
    if (o.kind !== 'promotion' && o.kind !== 'conditional_promotion' && o.kind !== 'repeat' && o.kind !== 'graduation') continue;
    const n = Number(o.pupils ?? 0);
    orders.push({ id: o.id, kind: o.kind, number: o.number, date: o.order_date, title: o.title, pupils: n });
    const decision = o.kind === 'promotion' ? 'promoted' : o.kind === 'conditional_promotion' ? 'conditional' : o.kind === 'repeat' ? 'repeat' : 'graduated';
    totals[decision] += n;
  }
  return {
    year: year.name,
    yearId: year.id,
    changed: false,
    snapshot: close?.snapshot_file ?? null,
    nextYear: next ? { id: next.id, name: next.name, created: close?.next_year_created === 1 } : { id: year.id, name: year.name, created: false },
    orders,
    totals,
  };
}

/**
 * Test-only hook: with SCHOOL_OFFICE_TEST_PAUSE_IN_CLOSE_MS set, the close stops for that long in
 * the middle of its transaction (events and memberships written, not committed) and says so on
 * stderr, so that the crash test can kill the process exactly there. Unset, it does nothing.
 */
function pauseForCrashTest(): void {
  const ms = Number(process.env.SCHOOL_OFFICE_TEST_PAUSE_IN_CLOSE_MS ?? 0);
  if (!(ms > 0)) return;
  process.stderr.write('SCHOOL_OFFICE_TEST_PAUSE_IN_CLOSE\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
