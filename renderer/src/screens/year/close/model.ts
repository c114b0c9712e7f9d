import type { Result } from '../../../../../common/api/contract';
import { DECISIONS, type CloseDecision, type ClosePreview, type Decision, type YearStructure } from '../../../../../common/api/year-contract';
import { searchKey } from '../../../../../common/domain/russian';

/** Pure helpers of the close panel: grouping, filtering and the subject look-ups. */

export type Blocker = ClosePreview['blockers'][number];
export type Warning = ClosePreview['warnings'][number];
export type CloseResult = Result<'year.close'>;
export type ReopenResult = Result<'year.reopen'>;

/** Rows of the decisions table per page: a page of selects stays quick at 3,000 pupils. */
export const PAGE_SIZE = 100;

/** The digit key that sets each decision in the table (1–4), in the order of DECISIONS. */
export const DECISION_KEYS: Record<string, Decision> = Object.fromEntries(DECISIONS.map((d, i) => [String(i + 1), d]));

/** Decisions that carry subjects of an academic debt. */
export function hasDebt(decision: Decision): boolean {
  return decision === 'conditional' || decision === 'repeat';
}

/** One pupil who blocks the close, with every subject that stands in the way. */
export interface BlockedPupil {
  pupilId: number;
  pupil: string;
  reasons: { subject: string | null; reason: string }[];
}
export interface BlockerGroup {
  classLabel: string;
  pupils: BlockedPupil[];
  count: number;
}

/** Blockers by class (in the order the preview gives them), then by pupil. */
export function groupBlockers(blockers: readonly Blocker[]): BlockerGroup[] {
  const groups = new Map<string, { pupils: Map<number, BlockedPupil>; count: number }>();
  for (const b of blockers) {
    let group = groups.get(b.class);
    if (!group) {
      group = { pupils: new Map(), count: 0 };
      groups.set(b.class, group);
    }
    let pupil = group.pupils.get(b.pupilId);
    if (!pupil) {
      pupil = { pupilId: b.pupilId, pupil: b.pupil, reasons: [] };
      group.pupils.set(b.pupilId, pupil);
    }
    pupil.reasons.push({ subject: b.subject, reason: b.reason });
    group.count += 1;
  }
  return [...groups].map(([classLabel, g]) => ({ classLabel, pupils: [...g.pupils.values()], count: g.count }));
}

/** Warnings by class; those of the whole school (class null) first. */
export function groupWarnings(warnings: readonly Warning[]): { classLabel: string | null; reasons: string[] }[] {
  const groups = new Map<string | null, string[]>();
  for (const w of warnings) {
    const list = groups.get(w.class) ?? [];
    list.push(w.reason);
    groups.set(w.class, list);
  }
  return [...groups]
    .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : 0))
    .map(([classLabel, reasons]) => ({ classLabel, reasons }));
}

export type DecisionFilter = '' | Decision | 'explicit' | 'blocked';

export interface TableFilter {
  classId: string;
  decision: DecisionFilter;
  query: string;
}
export const NO_FILTER: TableFilter = { classId: '', decision: '', query: '' };

/** The rows the table shows: by class, by decision (or «вручную» / «с препятствиями»), by the start of the surname (ё = е). */
export function filterDecisions(rows: readonly CloseDecision[], filter: TableFilter, blocked: ReadonlySet<number>): CloseDecision[] {
  const key = searchKey(filter.query);
  const classId = filter.classId ? Number(filter.classId) : null;
  return rows.filter((row) => {
    if (classId !== null && row.classId !== classId) return false;
    if (filter.decision === 'explicit' && !row.explicit) return false;
    if (filter.decision === 'blocked' && !blocked.has(row.pupilId)) return false;
    if (filter.decision && filter.decision !== 'explicit' && filter.decision !== 'blocked' && row.decision !== filter.decision) return false;
    if (key && !searchKey(row.pupil).startsWith(key)) return false;
    return true;
  });
}

/** The classes of the table's filter, with their pupil counts, in the preview's order. */
export function classesOf(rows: readonly CloseDecision[]): { id: number; label: string; pupils: number }[] {
  const found = new Map<number, { id: number; label: string; pupils: number }>();
  for (const row of rows) {
    const c = found.get(row.classId);
    if (c) c.pupils += 1;
    else found.set(row.classId, { id: row.classId, label: row.class, pupils: 1 });
  }
  return [...found.values()];
}

export interface SubjectOption {
  id: number;
  name: string;
}

/** What the table needs from the year's structure: each class's parallel and curriculum subjects. */
export interface ClassFacts {
  parallel: Map<number, number>;
  subjects: Map<number, SubjectOption[]>;
}

export function classFacts(structure: YearStructure | null): ClassFacts {
  const parallel = new Map<number, number>();
  const subjects = new Map<number, SubjectOption[]>();
  if (!structure) return { parallel, subjects };
  for (const c of structure.classes) parallel.set(c.id, c.parallel);
  const byId = new Map(structure.subjects.map((s) => [s.id, s]));
  for (const row of structure.curriculum) {
    const subject = byId.get(row.subjectId);
    if (!subject) continue;
    const list = subjects.get(row.classId) ?? [];
    if (!list.some((s) => s.id === subject.id)) list.push({ id: subject.id, name: subject.name });
    subjects.set(row.classId, list);
  }
  const order = new Map(structure.subjects.map((s) => [s.id, s.sortOrder]));
  for (const list of subjects.values()) list.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0) || a.name.localeCompare(b.name, 'ru'));
  return { parallel, subjects };
}

/** «Окончил» is for the 9th and 11th classes only; unknown parallel: offer everything, the server decides. */
export function decisionAllowed(decision: Decision, parallel: number | undefined): boolean {
  if (decision !== 'graduated') return true;
  return parallel === undefined || parallel === 9 || parallel === 11;
}

/** Ids of the class's subjects named in the preview's `subjects` (names). */
export function subjectIdsOf(names: readonly string[], options: readonly SubjectOption[]): number[] {
  const ids: number[] = [];
  for (const name of names) {
    const found = options.find((o) => o.name === name);
    if (found) ids.push(found.id);
  }
  return ids;
}

/**
 * One line per kind of reason: «нет годовой отметки по предмету: Русский язык, Литература, …»
 * instead of a line per subject.
 */
export function compactReasons(reasons: readonly { subject: string | null; reason: string }[]): string[] {
  const lines = new Map<string, string[]>();
  for (const r of reasons) {
    const quoted = r.subject ? ` «${r.subject}»` : '';
    if (r.subject && r.reason.endsWith(quoted)) {
      const head = r.reason.slice(0, -quoted.length);
      lines.set(head, [...(lines.get(head) ?? []), r.subject]);
    } else if (r.subject && !r.reason.includes(r.subject)) {
      lines.set(`${r.reason}: ${r.subject}`, []);
    } else {
      lines.set(r.reason, []);
    }
  }
  return [...lines].map(([head, subjects]) => (subjects.length ? `${head}: ${subjects.join(', ')}` : head));
}

/**
 * A class's warnings, one line per kind: «нет приказа о зачислении — 12: Алексеева В…, … и ещё 9».
 * Per-pupil warnings come as «ФИО: причина».
 */
export function warningKinds(reasons: readonly string[]): { kind: string; names: string[] }[] {
  const kinds = new Map<string, string[]>();
  for (const reason of reasons) {
    const at = reason.indexOf(': ');
    const kind = at > 0 ? reason.slice(at + 2) : reason;
    const names = kinds.get(kind) ?? [];
    if (at > 0) names.push(reason.slice(0, at));
    kinds.set(kind, names);
  }
  return [...kinds].map(([kind, names]) => ({ kind, names }));
}
