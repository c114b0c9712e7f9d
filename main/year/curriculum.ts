import { classLabel } from '../../common/domain/russian';
import type { CalendarProblem } from '../../common/domain/year-calendar';
import type { Db } from '../../db/connection';
import { existingStaff, writableClass } from './guard';
import { assertNoProblems } from './refuse';

export interface CurriculumInput {
  classId: number;
  rows: { subjectId: number; hoursPerWeek: number; teacherId: number | null }[];
  groups: { id?: number | undefined; subjectId: number; name: string; teacherId: number | null; pupilIds: number[] }[];
}

export interface CurriculumChanges {
  yearId: number;
  /** Subject ids. */
  rows: { added: number[]; changed: number[]; removed: number[] };
  /** Group ids. */
  groups: { added: number[]; changed: number[]; removed: number[] };
}

const sameSet = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Replaces a class's curriculum and groups in one go. Each row names its subject; each group
 * belongs to a subject of the plan, has a name unique within the subject and only pupils of the
 * class. Rows are matched by subject, groups by id; a group with lessons is not removed.
 */
export async function saveCurriculum(trx: Db, input: CurriculumInput): Promise<CurriculumChanges> {
  const { cls, year } = await writableClass(trx, input.classId);
  const label = classLabel(cls.parallel, cls.letter);
  const subjects = new Map((await trx.selectFrom('subject').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
  const staff = await existingStaff(trx, [...input.rows, ...input.groups].flatMap((r) => (r.teacherId === null ? [] : [r.teacherId])));
  const oldRows = await trx.selectFrom('curriculum').selectAll().where('class_id', '=', cls.id).execute();
  const oldGroups = await trx.selectFrom('study_group').selectAll().where('class_id', '=', cls.id).execute();
  const oldTeachers = new Set([...oldRows, ...oldGroups].flatMap((r) => (r.teacher_id === null ? [] : [r.teacher_id])));
  const problems: CalendarProblem[] = [];
  const subjectName = (id: number) => subjects.get(id) ?? `№ ${id}`;

  const teacherProblem = (teacherId: number | null): string | null => {
    if (teacherId === null) return null;
    const t = staff.get(teacherId);
    if (!t) return `учитель № ${teacherId} не найден — выберите его из списка сотрудников`;
    // A teacher who has left stays where they were, but is not assigned anew.
    if (!t.active && !oldTeachers.has(teacherId)) return 'учитель не работает в школе — выберите действующего';
    return null;
  };

  input.rows.forEach((r, i) => {
    const row = `Учебный план ${label}, строка ${i + 1}`;
    if (!subjects.has(r.subjectId)) {
      problems.push({ field: `rows.${i}.subjectId`, message: `${row}: предмет № ${r.subjectId} не найден — выберите предмет из списка` });
      return;
    }
    const dup = input.rows.findIndex((q, j) => j < i && q.subjectId === r.subjectId);
    if (dup >= 0) problems.push({ field: `rows.${i}.subjectId`, message: `${row} («${subjectName(r.subjectId)}»): предмет уже есть в строке ${dup + 1}` });
    if (!(r.hoursPerWeek >= 0.5 && r.hoursPerWeek <= 12) || Math.round(r.hoursPerWeek * 2) !== r.hoursPerWeek * 2) {
      problems.push({ field: `rows.${i}.hoursPerWeek`, message: `${row} («${subjectName(r.subjectId)}»): часов в неделю от 0,5 до 12, с шагом 0,5` });
    }
    const t = teacherProblem(r.teacherId);
    if (t) problems.push({ field: `rows.${i}.teacherId`, message: `${row} («${subjectName(r.subjectId)}»): ${t}` });
  });

  const planned = new Set(input.rows.map((r) => r.subjectId));
  const memberRows = await trx.selectFrom('class_membership').select('pupil_id').where('class_id', '=', cls.id).execute();
  const members = new Set(memberRows.map((m) => m.pupil_id));
  const oldGroupById = new Map(oldGroups.map((g) => [g.id, g]));
  input.groups.forEach((g, i) => {
    const row = `Группа ${i + 1} («${g.name}», ${subjectName(g.subjectId)})`;
    if (g.id !== undefined && !oldGroupById.has(g.id)) {
      problems.push({ field: `groups.${i}.id`, message: `${row}: такой группы нет в ${label} — обновите страницу` });
    }
    if (g.id !== undefined && input.groups.findIndex((q) => q.id === g.id) < i) {
      problems.push({ field: `groups.${i}.id`, message: `${row}: группа указана дважды` });
    }
    if (!planned.has(g.subjectId)) {
      problems.push({ field: `groups.${i}.subjectId`, message: `${row}: предмета нет в учебном плане ${label} — добавьте его в план или выберите другой` });
    }
    const dup = input.groups.findIndex((q, j) => j < i && q.subjectId === g.subjectId && q.name.trim() === g.name.trim());
    if (dup >= 0) problems.push({ field: `groups.${i}.name`, message: `${row}: группа с таким названием по этому предмету уже есть (группа ${dup + 1})` });
    const t = teacherProblem(g.teacherId);
    if (t) problems.push({ field: `groups.${i}.teacherId`, message: `${row}: ${t}` });
    const strangers = g.pupilIds.filter((p) => !members.has(p));
    if (strangers.length > 0) {
      problems.push({
        field: `groups.${i}.pupilIds`,
        message: `${row}: ${strangers.length === 1 ? 'обучающийся № ' + String(strangers[0]) + ' не учится' : `обучающиеся № ${strangers.slice(0, 5).join(', ')} не учатся`} в ${label} — в группу входят только ученики класса`,
      });
    }
    if (new Set(g.pupilIds).size !== g.pupilIds.length) problems.push({ field: `groups.${i}.pupilIds`, message: `${row}: обучающийся указан дважды` });
  });

  const keptGroupIds = new Set(input.groups.flatMap((g) => (g.id === undefined ? [] : [g.id])));
  const removedGroups = oldGroups.filter((g) => !keptGroupIds.has(g.id));
  if (removedGroups.length > 0) {
    const used = await trx
      .selectFrom('lesson')
      .where(
        'group_id',
        'in',
        removedGroups.map((g) => g.id),
      )
      .select(['group_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('group_id')
      .execute();
    for (const u of used) {
      const g = oldGroupById.get(u.group_id ?? -1);
      if (!g) continue;
      problems.push({
        field: 'groups',
        message: `Группа «${g.name}» (${subjectName(g.subject_id)}): у неё ${Number(u.n)} уроков — группу нельзя удалить; оставьте её в плане`,
      });
    }
  }
  assertNoProblems(problems, `Учебный план ${label} не сохранён`);

  const changes: CurriculumChanges = {
    yearId: year.id,
    rows: { added: [], changed: [], removed: [] },
    groups: { added: [], changed: [], removed: removedGroups.map((g) => g.id) },
  };

  // Rows by subject: only what differs is written.
  const oldBySubject = new Map(oldRows.map((r) => [r.subject_id, r]));
  const removedRows = oldRows.filter((r) => !planned.has(r.subject_id));
  if (removedRows.length > 0) {
    await trx
      .deleteFrom('curriculum')
      .where(
        'id',
        'in',
        removedRows.map((r) => r.id),
      )
      .execute();
    changes.rows.removed = removedRows.map((r) => r.subject_id);
  }
  for (const r of input.rows) {
    const old = oldBySubject.get(r.subjectId);
    if (!old) {
      await trx.insertInto('curriculum').values({ class_id: cls.id, subject_id: r.subjectId, hours_per_week: r.hoursPerWeek, teacher_id: r.teacherId }).execute();
      changes.rows.added.push(r.subjectId);
    } else if (old.hours_per_week !== r.hoursPerWeek || old.teacher_id !== r.teacherId) {
      await trx.updateTable('curriculum').set({ hours_per_week: r.hoursPerWeek, teacher_id: r.teacherId }).where('id', '=', old.id).execute();
      changes.rows.changed.push(r.subjectId);
    }
  }

  // Groups by id. Removed first, so that a renamed pair cannot collide with a removed one.
  if (removedGroups.length > 0) await trx.deleteFrom('study_group').where('id', 'in', changes.groups.removed).execute();
  const oldMembers = new Map<number, number[]>();
  if (keptGroupIds.size > 0) {
    const rows = await trx.selectFrom('group_member').select(['group_id', 'pupil_id']).where('group_id', 'in', [...keptGroupIds]).execute();
    for (const m of rows) oldMembers.set(m.group_id, [...(oldMembers.get(m.group_id) ?? []), m.pupil_id]);
  }
  // Names are unique per class and subject: park renamed groups first, so that swapping two
  // names does not collide halfway.
  for (const g of input.groups) {
    const old = g.id === undefined ? undefined : oldGroupById.get(g.id);
    if (old && (old.name !== g.name.trim() || old.subject_id !== g.subjectId)) {
      await trx.updateTable('study_group').set({ name: `#${old.id}` }).where('id', '=', old.id).execute();
    }
  }
  for (const g of input.groups) {
    const values = { subject_id: g.subjectId, name: g.name.trim(), teacher_id: g.teacherId };
    let groupId: number;
    if (g.id === undefined) {
      groupId = (await trx.insertInto('study_group').values({ class_id: cls.id, ...values }).returning('id').executeTakeFirstOrThrow()).id;
      changes.groups.added.push(groupId);
    } else {
      groupId = g.id;
      const old = oldGroupById.get(g.id);
      const differs = !old || old.subject_id !== values.subject_id || old.name !== values.name || old.teacher_id !== values.teacher_id;
      const membersDiffer = !sameSet(oldMembers.get(g.id) ?? [], g.pupilIds);
      if (differs) await trx.updateTable('study_group').set(values).where('id', '=', g.id).execute();
      if (differs || membersDiffer) changes.groups.changed.push(g.id);
      if (!membersDiffer) continue;
      await trx.deleteFrom('group_member').where('group_id', '=', g.id).execute();
    }
    if (g.pupilIds.length > 0) await trx.insertInto('group_member').values(g.pupilIds.map((p) => ({ group_id: groupId, pupil_id: p }))).execute();
  }
  return changes;
}
