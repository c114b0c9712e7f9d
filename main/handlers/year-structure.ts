import type { MethodName } from '../../common/api/contract';
import { localDay } from '../../common/domain/local-day';
import type { Handler, HandlerContext } from '../context';
import { saveCalendar } from '../year/calendar-save';
import { deleteClass, saveClass } from '../year/classes';
import { saveCurriculum } from '../year/curriculum';
import { openYear } from '../year/open';
import { saveStaff, saveSubject } from '../year/people-subjects';
import { listStaff, listYears, readYearStructure } from '../year/structure';

/**
 * The year set-up (issue 6): years, calendar, classes, subjects, curriculum and groups, staff.
 * Each write records what changed by id and field name only.
 */

const today = (ctx: HandlerContext) => localDay(ctx.now());

const yearsList: Handler<'years.list'> = async (ctx) => ({ years: await listYears(ctx.db, today(ctx)) });

const yearsGet: Handler<'years.get'> = async (ctx, params) => readYearStructure(ctx.db, params.yearId, today(ctx));

const yearsOpen: Handler<'years.open'> = async (ctx, params) => {
  const opened = await openYear(ctx.db, params);
  const counts: Record<string, number> = {};
  for (const c of opened.created) counts[c.table] = (counts[c.table] ?? 0) + 1;
  ctx.audit({ entity: 'school_year', entityId: opened.yearId, details: { copyFromYearId: params.copyFromYearId ?? null, created: counts } });
  return { yearId: opened.yearId, copied: opened.copied };
};

const yearsSaveCalendar: Handler<'years.saveCalendar'> = async (ctx, params) => {
  const changes = await saveCalendar(ctx.db, params);
  ctx.audit({ entity: 'school_year', entityId: params.yearId, details: changes });
  return readYearStructure(ctx.db, params.yearId, today(ctx));
};

const classesSave: Handler<'classes.save'> = async (ctx, params) => {
  const saved = await saveClass(ctx.db, params);
  ctx.audit({ entity: 'school_class', entityId: saved.id, details: { yearId: params.yearId, created: saved.created, fields: saved.fields } });
  const structure = await readYearStructure(ctx.db, params.yearId, today(ctx));
  const cls = structure.classes.find((c) => c.id === saved.id);
  if (!cls) throw new Error('saved class not found');
  return cls;
};

const classesDelete: Handler<'classes.delete'> = async (ctx, params) => {
  const removed = await deleteClass(ctx.db, params.classId);
  ctx.audit({ entity: 'school_class', entityId: params.classId, details: removed });
  return { deleted: true };
};

const subjectsSave: Handler<'subjects.save'> = async (ctx, params) => {
  const saved = await saveSubject(ctx.db, params);
  ctx.audit({ entity: 'subject', entityId: saved.id, details: { created: saved.created, fields: saved.fields } });
  const row = await ctx.db.selectFrom('subject').selectAll().where('id', '=', saved.id).executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, shortName: row.short_name, part: row.part, sortOrder: row.sort_order };
};

const curriculumSave: Handler<'curriculum.save'> = async (ctx, params) => {
  const changes = await saveCurriculum(ctx.db, params);
  const { yearId, ...what } = changes;
  ctx.audit({ entity: 'school_class', entityId: params.classId, details: { yearId, curriculum: what.rows, groups: what.groups } });
  return readYearStructure(ctx.db, yearId, today(ctx));
};

const staffList: Handler<'staff.list'> = async (ctx) => ({ staff: await listStaff(ctx.db) });

const staffSave: Handler<'staff.save'> = async (ctx, params) => {
  const saved = await saveStaff(ctx.db, params);
  ctx.audit({ entity: 'staff', entityId: saved.id, details: { created: saved.created, fields: saved.fields } });
  const found = (await listStaff(ctx.db)).find((s) => s.id === saved.id);
  if (!found) throw new Error('saved staff not found');
  return found;
};

export const yearStructureHandlers = {
  'years.list': yearsList,
  'years.get': yearsGet,
  'years.open': yearsOpen,
  'years.saveCalendar': yearsSaveCalendar,
  'classes.save': classesSave,
  'classes.delete': classesDelete,
  'subjects.save': subjectsSave,
  'curriculum.save': curriculumSave,
  'staff.list': staffList,
  'staff.save': staffSave,
} satisfies { [M in MethodName]?: Handler<M> };
