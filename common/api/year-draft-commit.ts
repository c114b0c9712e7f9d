import { classLabel } from '../domain/russian';
import { draftLabel, parseHours } from '../domain/year-draft';
import type { ApiTransport, Params, Result } from './contract';
import { ApiError, ERROR_CODES, type ErrorCode } from './errors';
import type { YearStructure } from './year-contract';
import type { CalendarDraft, DraftClassPlan, DraftClassRow, YearDraftParts } from './year-draft-contract';

/**
 * What the writes need: the set-up methods by name. On the server, years.applyDraft gives the
 * existing handlers, called inside its own transaction (main/handlers/year-draft.ts); the
 * window never writes a draft part by part.
 */
export type Invoker = Pick<ApiTransport, 'invoke'>;

/**
 * Writes a draft with the set-up methods, one per part (calendar, classes, curriculum), the
 * way both the wizard and the editing panels save — all inside years.applyDraft's one
 * transaction, so a refusal of a later part leaves nothing of the earlier ones. A refusal comes
 * back as an ApiError whose fields name the draft row: `periods.2.endsOn` (the index in the
 * calendar draft, as sent), `classes.<key>.letter`, `curriculum.<classKey>.rows.1.hoursPerWeek`.
 */

/**
 * Re-throws a refusal of a set-up method (anything with a code, a message and fields) as an
 * ApiError with its field names moved under `prefix` and the class named in the message. Other
 * errors (the database's closed-year guard) pass as they are: the dispatcher words them.
 */
function rethrowUnder(error: unknown, prefix: string, lead?: string): never {
  const e = error as { code?: unknown; message?: unknown; fields?: unknown } | null;
  if (e && typeof e.message === 'string' && (ERROR_CODES as readonly unknown[]).includes(e.code)) {
    const own = (e.fields && typeof e.fields === 'object' ? e.fields : {}) as Record<string, string>;
    const fields = Object.fromEntries(Object.entries(own).map(([k, v]) => [`${prefix}.${k}`, v]));
    if (Object.keys(fields).length === 0) fields[prefix] = e.message;
    throw new ApiError(e.code as ErrorCode, lead ? `${lead}: ${e.message}` : e.message, fields);
  }
  throw error;
}

/* ---------------------------------------------------------------- calendar */

export function calendarParams(yearId: number, calendar: CalendarDraft, server: YearStructure | null): Params<'years.saveCalendar'> {
  // Rows keep the id of the server's row of the same scheme and number (or the same place among
  // holidays), so that a save changes those rows instead of replacing them.
  const periodId = (scheme: string, number: number) => server?.periods.find((p) => p.scheme === scheme && p.number === number)?.id;
  const serverHolidays = [...(server?.holidays ?? [])].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  return {
    yearId,
    startsOn: calendar.startsOn,
    endsOn: calendar.endsOn,
    periods: calendar.periods.map((p) => {
      const id = p.id ?? periodId(p.scheme, p.number);
      return { ...(id ? { id } : {}), scheme: p.scheme, number: p.number, name: p.name.trim(), startsOn: p.startsOn, endsOn: p.endsOn };
    }),
    holidays: calendar.holidays.map((h, i) => {
      const id = h.id ?? serverHolidays[i]?.id;
      return { ...(id ? { id } : {}), name: h.name.trim(), startsOn: h.startsOn, endsOn: h.endsOn };
    }),
  };
}

function sameCalendar(params: Params<'years.saveCalendar'>, server: YearStructure): boolean {
  const mine = JSON.stringify({
    s: params.startsOn,
    e: params.endsOn,
    p: params.periods.map((p) => [p.id ?? 0, p.scheme, p.number, p.name, p.startsOn, p.endsOn]),
    h: params.holidays.map((h) => [h.id ?? 0, h.name, h.startsOn, h.endsOn]),
  });
  const theirs = JSON.stringify({
    s: server.year.startsOn,
    e: server.year.endsOn,
    p: params.periods.map((_, i) => {
      const p = server.periods.find((q) => q.id === params.periods[i]?.id);
      return p ? [p.id, p.scheme, p.number, p.name, p.startsOn, p.endsOn] : null;
    }),
    h: params.holidays.map((_, i) => {
      const h = server.holidays.find((q) => q.id === params.holidays[i]?.id);
      return h ? [h.id, h.name, h.startsOn, h.endsOn] : null;
    }),
  });
  return mine === theirs && server.periods.length === params.periods.length && server.holidays.length === params.holidays.length;
}

export async function saveCalendar(api: Invoker, yearId: number, calendar: CalendarDraft, server: YearStructure): Promise<YearStructure> {
  const params = calendarParams(yearId, calendar, server);
  if (sameCalendar(params, server)) return server;
  return api.invoke('years.saveCalendar', params);
}

/* ----------------------------------------------------------------- classes */

type ClassParams = Params<'classes.save'>;

function classParams(yearId: number, c: DraftClassRow, teacher: number | null): ClassParams {
  return {
    yearId,
    ...(c.id ? { id: c.id } : {}),
    parallel: Number(c.parallel),
    letter: c.letter.trim().toUpperCase(),
    periodScheme: c.periodScheme,
    classTeacherId: teacher,
  };
}

const teacherOf = (c: DraftClassRow): number | null => (c.classTeacherId ? Number(c.classTeacherId) : null);

/**
 * Makes the year's classes what the draft says: deletes the classes the draft dropped, then saves
 * the changed and new ones. A class teacher moving between two classes is saved after the class
 * she leaves (a teacher leads one class at a time, and each save is checked on its own).
 * Returns the ids of the draft's classes by key.
 */
export async function saveClasses(api: Invoker, yearId: number, draft: readonly DraftClassRow[], server: YearStructure): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const matched = new Set<number>();
  // A wizard draft has no ids yet: its classes are the server's classes of the same parallel and letter.
  const withIds = draft.map((c) => {
    let id = c.id;
    if (!id) {
      const same = server.classes.find((s) => !matched.has(s.id) && s.parallel === Number(c.parallel) && s.letter === c.letter.trim().toUpperCase());
      id = same?.id ?? null;
    }
    if (id) matched.add(id);
    return { ...c, id };
  });
  for (const old of server.classes) {
    if (matched.has(old.id)) continue;
    try {
      await api.invoke('classes.delete', { classId: old.id });
    } catch (error) {
      rethrowUnder(error, 'classes.deleted', `Класс ${old.label} не удалён`);
    }
  }
  const holder = new Map<number, number>(); // teacher → class id, as the server has it now
  for (const s of server.classes) if (s.classTeacherId && matched.has(s.id)) holder.set(s.classTeacherId, s.id);
  const pending = withIds.filter((c) => {
    if (!c.id) return true;
    ids.set(c.key, c.id);
    const s = server.classes.find((x) => x.id === c.id);
    return !s || s.parallel !== Number(c.parallel) || s.letter !== c.letter.trim().toUpperCase() || s.periodScheme !== c.periodScheme || s.classTeacherId !== teacherOf(c);
  });
  const save = async (c: (typeof pending)[number], teacher: number | null): Promise<Result<'classes.save'>> => {
    try {
      return await api.invoke('classes.save', classParams(yearId, c, teacher));
    } catch (error) {
      rethrowUnder(error, `classes.${c.key}`, `Класс ${draftLabel(c)}`);
    }
  };
  const waited = new Set<string>();
  while (pending.length > 0) {
    let index = pending.findIndex((c) => {
      const t = teacherOf(c);
      return t === null || holder.get(t) === undefined || holder.get(t) === c.id;
    });
    let teacher: number | null;
    if (index >= 0) {
      teacher = teacherOf(pending[index]!);
    } else {
      // Every class left waits for a teacher another class still holds. When that class is
      // itself to change its teacher (a swap), the first goes without one for a moment (once);
      // otherwise the draft gives one teacher two classes: save it as is and let the server refuse.
      index = 0;
      const first = pending[0]!;
      const heldBy = holder.get(teacherOf(first)!);
      const swap = pending.some((c) => c.id === heldBy && teacherOf(c) !== teacherOf(first));
      teacher = swap && !waited.has(first.key) ? null : teacherOf(first);
      waited.add(first.key);
    }
    const c = pending[index]!;
    const saved = await save(c, teacher);
    for (const [t, id] of holder) if (id === saved.id) holder.delete(t);
    if (saved.classTeacherId) holder.set(saved.classTeacherId, saved.id);
    ids.set(c.key, saved.id);
    if (teacher === teacherOf(c)) pending.splice(index, 1);
    else pending[index] = { ...c, id: saved.id };
  }
  return ids;
}

/* --------------------------------------------------------------- curriculum */

export function curriculumParams(classId: number, c: DraftClassPlan, server: YearStructure | null): Params<'curriculum.save'> {
  const serverGroups = server?.groups.filter((g) => g.classId === classId) ?? [];
  const used = new Set<number>();
  return {
    classId,
    rows: c.curriculum.map((r) => ({
      subjectId: Number(r.subjectId),
      hoursPerWeek: parseHours(r.hours) ?? Number.NaN,
      teacherId: r.teacherId ? Number(r.teacherId) : null,
    })),
    groups: c.groups.map((g) => {
      // Copied groups of a new year are the server's groups of the same subject and name.
      let id = g.id;
      if (!id) id = serverGroups.find((s) => !used.has(s.id) && s.subjectId === Number(g.subjectId) && s.name === g.name.trim())?.id ?? null;
      if (id) used.add(id);
      return { ...(id ? { id } : {}), subjectId: Number(g.subjectId), name: g.name.trim(), teacherId: g.teacherId ? Number(g.teacherId) : null, pupilIds: g.pupilIds };
    }),
  };
}

function sameCurriculum(params: Params<'curriculum.save'>, server: YearStructure): boolean {
  const rows = server.curriculum.filter((r) => r.classId === params.classId).map((r) => [r.subjectId, r.hoursPerWeek, r.teacherId]);
  const groups = server.groups
    .filter((g) => g.classId === params.classId)
    .map((g) => [g.id, g.subjectId, g.name, g.teacherId, [...g.pupilIds].sort((a, b) => a - b)]);
  const mine = {
    rows: params.rows.map((r) => [r.subjectId, r.hoursPerWeek, r.teacherId]),
    groups: params.groups.map((g) => [g.id ?? 0, g.subjectId, g.name, g.teacherId, [...g.pupilIds].sort((a, b) => a - b)]),
  };
  return JSON.stringify(mine) === JSON.stringify({ rows, groups });
}

export async function saveCurriculum(api: Invoker, classId: number, c: DraftClassPlan, server: YearStructure): Promise<YearStructure> {
  const params = curriculumParams(classId, c, server);
  if (sameCurriculum(params, server)) return server;
  try {
    return await api.invoke('curriculum.save', params);
  } catch (error) {
    const label = server.classes.find((x) => x.id === classId)?.label ?? classLabel(Number(c.parallel), c.letter);
    rethrowUnder(error, `curriculum.${c.key}`, `Учебный план ${label}`);
  }
}

/* -------------------------------------------------------------- the whole draft */

/** Where the draft goes: a year to open first (years.open's params), or an open year. */
export type DraftTarget = { open: Params<'years.open'> } | { yearId: number };

/**
 * Opens the year when asked, then writes the draft's parts in order: calendar, class list (ids
 * of new classes by key), curriculum of each class named by key. Every part is compared with
 * the year as it is at that moment, so an untouched part writes nothing. Returns the year's
 * structure afterwards.
 */
export async function commitDraft(api: Invoker, target: DraftTarget, draft: YearDraftParts): Promise<{ yearId: number; structure: YearStructure }> {
  const yearId = 'open' in target ? (await api.invoke('years.open', target.open)).yearId : target.yearId;
  let server = await api.invoke('years.get', { yearId });
  if (draft.calendar) server = await saveCalendar(api, yearId, draft.calendar, server);
  const ids = new Map<string, number>();
  if (draft.classes) {
    for (const [key, id] of await saveClasses(api, yearId, draft.classes, server)) ids.set(key, id);
    server = await api.invoke('years.get', { yearId });
  }
  for (const plan of draft.curriculum ?? []) {
    const classId = ids.get(plan.key) ?? (draft.classes ? null : plan.id);
    if (!classId || !server.classes.some((c) => c.id === classId)) {
      throw new ApiError('not_found', `Учебный план ${draftLabel(plan)} не сохранён: такого класса нет в этом учебном году. Сохраните сначала классы.`, {
        [`curriculum.${plan.key}`]: 'класса нет в этом учебном году',
      });
    }
    server = await saveCurriculum(api, classId, plan, server);
  }
  return { yearId, structure: server };
}
