import type { ClosePreview, Decision } from '../../../common/api/year-contract';
import { DECISION_LABELS } from '../../../common/api/year-contract';
import { classLabel, plural, comparePeople, compareRu } from '../../../common/domain/russian';
import { ruDate } from '../../contingent/dates';
import type { CloseInput, CloseInputPupil } from './load';
import { CLOSE_ORDER_KINDS, CLOSE_ORDER_TITLES, CLOSE_ORDER_WORDING, DECISION_ORDER_KIND, GRADUATING_PARALLELS, LAST_PARALLEL, type CloseOrderKind } from './names';

/**
 * The close, decided in memory from the loaded input: the checklist, every pupil's decision and
 * next class, the orders with the numbers they will get. The preview shows exactly this plan and
 * the close executes exactly this plan, so the two can never disagree.
 */
export interface PlannedPupil extends CloseInputPupil {
  decision: Decision;
  proposed: Decision | null;
  explicit: boolean;
  /** Debt subjects (conditional promotion, repeat), in curriculum order. */
  subjectIds: number[];
  /** Target class of the next year, null for a graduate. */
  next: { parallel: number; letter: string } | null;
}

export interface PlannedOrder {
  kind: CloseOrderKind;
  seq: number;
  number: string;
  date: string;
  title: string;
  body: string;
  pupilIds: number[];
}

export interface ClosePlan {
  input: CloseInput;
  blockers: ClosePreview['blockers'];
  warnings: ClosePreview['warnings'];
  pupils: PlannedPupil[];
  orders: PlannedOrder[];
  nextClasses: ClosePreview['nextClasses'];
  /** Target classes missing in the next year (after the roll-forward of a year the close opens). */
  classesToCreate: { parallel: number; letter: string }[];
  totals: Record<Decision, number>;
}

const BAD_MARKS = new Set(['2', 'н/а']);

export function pupilName(p: { lastName: string; firstName: string; middleName: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

interface Proposal {
  proposed: Decision;
  debt: number[];
  missing: number[];
}

/** What the year marks propose for a pupil of a class of parallel `parallel`. */
export function propose(parallel: number, subjectIds: readonly number[], marks: ReadonlyMap<number, string> | undefined): Proposal {
  // First graders get no marks: they are promoted without a checklist of marks.
  if (parallel === 1) return { proposed: 'promoted', debt: [], missing: [] };
  const debt: number[] = [];
  const missing: number[] = [];
  for (const subjectId of subjectIds) {
    const value = marks?.get(subjectId);
    if (value === undefined) missing.push(subjectId);
    else if (BAD_MARKS.has(value)) debt.push(subjectId);
  }
  const finishing = GRADUATING_PARALLELS.has(parallel);
  const proposed: Decision = debt.length === 0 ? (finishing ? 'graduated' : 'promoted') : finishing ? 'repeat' : 'conditional';
  return { proposed, debt, missing };
}

/** Why a decision cannot apply to a pupil of this parallel, or null. */
export function decisionProblem(decision: Decision, parallel: number): string | null {
  if (decision === 'graduated' && !GRADUATING_PARALLELS.has(parallel)) return `решение «${DECISION_LABELS.graduated}» возможно только в 9 и 11 классах`;
  if ((decision === 'promoted' || decision === 'conditional') && parallel >= LAST_PARALLEL) {
    return `${LAST_PARALLEL} класс — последний: перевести в следующий класс нельзя, выберите «${DECISION_LABELS.graduated}» или «${DECISION_LABELS.repeat}»`;
  }
  return null;
}

function targetOf(decision: Decision, parallel: number, letter: string): { parallel: number; letter: string } | null {
  if (decision === 'graduated') return null;
  if (decision === 'repeat') return { parallel, letter };
  return { parallel: parallel + 1, letter };
}

/** Classes a year opened by the close gets from the roll-forward (set-up's openYear): (P+1, L) and the 1st classes. */
function rolledForward(input: CloseInput): { parallel: number; letter: string }[] {
  const out: { parallel: number; letter: string }[] = [];
  for (const c of input.classes.values()) {
    if (c.parallel <= LAST_PARALLEL - 1) out.push({ parallel: c.parallel + 1, letter: c.letter });
    if (c.parallel === 1) out.push({ parallel: 1, letter: c.letter });
  }
  return out;
}

export function planClose(input: CloseInput): ClosePlan {
  const blockers: ClosePlan['blockers'] = [];
  const warnings: ClosePlan['warnings'] = [];
  const subjectName = (id: number) => input.subjects.get(id)?.name ?? `предмет № ${id}`;
  const bySubjectOrder = (a: number, b: number) => (input.subjects.get(a)?.sortOrder ?? 0) - (input.subjects.get(b)?.sortOrder ?? 0) || compareRu(subjectName(a), subjectName(b));
  const labelOf = (classId: number) => {
    const c = input.classes.get(classId);
    return c ? classLabel(c.parallel, c.letter) : `класс № ${classId}`;
  };

  const sorted = [...input.pupils].sort((a, b) => {
    const ca = input.classes.get(a.classId);
    const cb = input.classes.get(b.classId);
    return (ca?.parallel ?? 0) - (cb?.parallel ?? 0) || compareRu(ca?.letter ?? '', cb?.letter ?? '') || comparePeople(a, b) || a.pupilId - b.pupilId;
  });

  const pupils: PlannedPupil[] = [];
  // Pupils without an admission order in the app (admitted before the app was kept): one warning per class.
  const withoutOrder = new Map<string, string[]>();
  for (const p of sorted) {
    const cls = input.classes.get(p.classId);
    if (!cls) continue;
    const subjectIds = [...(input.curriculum.get(p.classId) ?? [])].sort(bySubjectOrder);
    const proposal = propose(cls.parallel, subjectIds, input.yearMarks.get(p.pupilId));
    const chosen = input.explicit.get(p.pupilId);
    const label = classLabel(cls.parallel, cls.letter);
    if (!chosen) {
      for (const subjectId of proposal.missing) {
        blockers.push({
          pupilId: p.pupilId,
          pupil: pupilName(p),
          class: label,
          subject: subjectName(subjectId),
          reason: `нет годовой отметки по предмету «${subjectName(subjectId)}»`,
        });
      }
    }
    // An order may not move a pupil out of a class before he came into it (admitted or
    // transferred after the order date): the movement history would run backwards.
    if (p.membershipFromDate > input.orderDate) {
      blockers.push({
        pupilId: p.pupilId,
        pupil: pupilName(p),
        class: label,
        subject: null,
        reason: `в классе с ${ruDate(p.membershipFromDate)} — позже даты приказов ${ruDate(input.orderDate)}: укажите дату приказов не раньше ${ruDate(p.membershipFromDate)}`,
      });
    }
    const decision = chosen?.decision ?? proposal.proposed;
    const problem = decisionProblem(decision, cls.parallel);
    if (problem) blockers.push({ pupilId: p.pupilId, pupil: pupilName(p), class: label, subject: null, reason: problem });
    const debtLike = decision === 'conditional' || decision === 'repeat';
    const subjects = !debtLike ? [] : chosen && chosen.subjectIds.length > 0 ? [...chosen.subjectIds].sort(bySubjectOrder) : proposal.debt;
    // A decision taken in another class (or before the curriculum changed): its debt must be in this class's curriculum, or the order would name a subject he does not study.
    const foreign = subjects.filter((id) => !subjectIds.includes(id));
    if (foreign.length > 0) {
      blockers.push({
        pupilId: p.pupilId,
        pupil: pupilName(p),
        class: label,
        subject: null,
        reason: `предметы задолженности не из учебного плана класса ${label} (${foreign.map(subjectName).join(', ')}) — решение принято до перевода в этот класс или до изменения учебного плана: примите решение заново`,
      });
    }
    if (!p.hasAdmissionOrder) withoutOrder.set(label, [...(withoutOrder.get(label) ?? []), pupilName(p)]);
    pupils.push({
      ...p,
      decision,
      proposed: proposal.missing.length > 0 ? null : proposal.proposed,
      explicit: chosen !== undefined,
      subjectIds: subjects,
      next: problem ? null : targetOf(decision, cls.parallel, cls.letter),
    });
  }
  for (const [label, names] of withoutOrder) {
    const who = names.length <= 3 ? `: ${names.join(', ')}` : '';
    warnings.push({ class: label, reason: `${names.length} ${plural(names.length, ['обучающийся', 'обучающихся', 'обучающихся'])} без приказа о зачислении в программе${who} — проверьте книгу приказов` });
  }
  for (const left of input.leftAfterYear) {
    warnings.push({ class: labelOf(left.classId), reason: `${left.name}: выбыл(а) после окончания учебного года — решение о переводе не требуется` });
  }
  const classesOrdered = [...input.classes.values()].sort((a, b) => a.parallel - b.parallel || compareRu(a.letter, b.letter));
  for (const c of classesOrdered) {
    if (!input.sealedJournals.has(c.id)) warnings.push({ class: classLabel(c.parallel, c.letter), reason: 'классный журнал за год не сдан в архив (не запечатан)' });
  }

  // Next year's classes: those there now, those the roll-forward will make, those the close must add.
  const key = (parallel: number, letter: string) => `${parallel}|${letter}`;
  const existing = new Map(input.nextYear.classes.map((c) => [key(c.parallel, c.letter), c]));
  const willExist = new Set(existing.keys());
  if (input.nextYear.id === null) for (const c of rolledForward(input)) willExist.add(key(c.parallel, c.letter));
  const targets = new Map<string, { parallel: number; letter: string; sources: Map<string, number> }>();
  for (const c of input.nextYear.classes) {
    if (c.pupils > 0) targets.set(key(c.parallel, c.letter), { parallel: c.parallel, letter: c.letter, sources: new Map([['зачислены на новый год', c.pupils]]) });
  }
  for (const p of pupils) {
    if (!p.next) continue;
    const k = key(p.next.parallel, p.next.letter);
    const target = targets.get(k) ?? { parallel: p.next.parallel, letter: p.next.letter, sources: new Map<string, number>() };
    const from = p.decision === 'repeat' ? `${labelOf(p.classId)} (повторное обучение)` : labelOf(p.classId);
    target.sources.set(from, (target.sources.get(from) ?? 0) + 1);
    targets.set(k, target);
  }
  const classesToCreate = [...targets.values()].filter((t) => !willExist.has(key(t.parallel, t.letter))).map((t) => ({ parallel: t.parallel, letter: t.letter }));
  const nextClasses = [...targets.values()]
    .sort((a, b) => a.parallel - b.parallel || compareRu(a.letter, b.letter))
    .map((t) => {
      const sources = [...t.sources.entries()].map(([from, n]) => ({ from, pupils: n }));
      return { label: classLabel(t.parallel, t.letter), exists: existing.has(key(t.parallel, t.letter)), sources, pupils: sources.reduce((s, x) => s + x.pupils, 0) };
    });

  const totals: Record<Decision, number> = { promoted: 0, conditional: 0, repeat: 0, graduated: 0 };
  for (const p of pupils) totals[p.decision] += 1;

  const orders: PlannedOrder[] = [];
  let seq = input.orderBook.lastSeq;
  for (const kind of CLOSE_ORDER_KINDS) {
    const members = pupils.filter((p) => DECISION_ORDER_KIND[p.decision] === kind);
    if (members.length === 0) continue;
    seq += 1;
    orders.push({
      kind,
      seq,
      number: `${seq}${input.orderBook.suffix}`,
      date: input.orderDate,
      title: CLOSE_ORDER_TITLES[kind],
      body: orderBody(kind, members, labelOf, subjectName),
      pupilIds: members.map((p) => p.pupilId),
    });
  }
  return { input, blockers, warnings, pupils, orders, nextClasses, classesToCreate, totals };
}

/** The order's text: its wording, then the pupils by class (with the next class and the debt). */
function orderBody(kind: CloseOrderKind, members: PlannedPupil[], labelOf: (id: number) => string, subjectName: (id: number) => string): string {
  const lines = [CLOSE_ORDER_WORDING[kind]];
  let current = '';
  let n = 0;
  for (const p of members) {
    const heading = p.next ? `${labelOf(p.classId)} → ${classLabel(p.next.parallel, p.next.letter)}` : labelOf(p.classId);
    if (heading !== current) {
      current = heading;
      n = 0;
      lines.push('', `${heading}:`);
    }
    n += 1;
    const debt = p.subjectIds.length > 0 ? ` (академическая задолженность: ${p.subjectIds.map(subjectName).join(', ')})` : '';
    lines.push(`${n}. ${pupilName(p)}${debt}`);
  }
  return lines.join('\n');
}

/** The plan as the API shows it. */
export function previewOf(plan: ClosePlan): ClosePreview {
  const { input } = plan;
  const subjectName = (id: number) => input.subjects.get(id)?.name ?? `предмет № ${id}`;
  return {
    year: input.year.name,
    yearId: input.year.id,
    closed: input.year.closed,
    orderDate: input.orderDate,
    blockers: plan.blockers,
    warnings: plan.warnings,
    decisions: plan.pupils.map((p) => {
      const cls = input.classes.get(p.classId)!;
      return {
        pupilId: p.pupilId,
        pupil: pupilName(p),
        classId: p.classId,
        class: classLabel(cls.parallel, cls.letter),
        decision: p.decision,
        proposed: p.proposed,
        explicit: p.explicit,
        nextClass: p.next ? classLabel(p.next.parallel, p.next.letter) : null,
        subjects: p.subjectIds.map(subjectName),
      };
    }),
    totals: plan.totals,
    nextYear: { name: input.nextYear.name, exists: input.nextYear.id !== null },
    nextClasses: plan.nextClasses,
    orders: plan.orders.map((o) => ({ kind: o.kind, number: o.number, date: o.date, title: o.title, pupils: o.pupilIds.length })),
  };
}

/** The refusal while blockers remain: the first pupils and subjects, and what to do. */
export function blockersMessage(plan: ClosePlan): string {
  const shown = plan.blockers.slice(0, 5).map((b) => `${b.pupil} (${b.class}): ${b.reason}`);
  const more = plan.blockers.length > shown.length ? `; и ещё ${plan.blockers.length - shown.length}` : '';
  // Missing marks are resolved by a mark or a decision; the other blockers say their own remedy.
  const advice = plan.blockers.some((b) => b.subject !== null)
    ? 'Поставьте годовую отметку или примите решение вручную (решение о переводе обучающегося); ничего не изменено.'
    : 'Исправьте указанное; ничего не изменено.';
  return `Закрыть учебный год ${plan.input.year.name} пока нельзя — ${shown.join('; ')}${more}. ${advice} Приказы будут датированы ${ruDate(plan.input.orderDate)}.`;
}
