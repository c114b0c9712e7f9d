import { sql } from 'kysely';
import type { School } from '../../common/api/schemas';
import type { Db } from '../../db/connection';
import type { Handler } from '../context';
import { readSettings, writeSettings } from '../settings';
import { localDay } from '../../common/domain/local-day';

const EMPTY_SCHOOL: School = { name: '', shortName: '', address: '', directorName: '', phone: '', email: '', inn: '' };

export async function readSchool(db: Db): Promise<School> {
  const row = await db.selectFrom('school').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!row) return EMPTY_SCHOOL;
  return {
    name: row.name,
    shortName: row.short_name,
    address: row.address,
    directorName: row.director_name,
    phone: row.phone,
    email: row.email,
    inn: row.inn,
  };
}

/** The year that contains today, or else the latest one. */
export async function currentYear(db: Db, today: string) {
  const containing = await db
    .selectFrom('school_year')
    .selectAll()
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .executeTakeFirst();
  return containing ?? (await db.selectFrom('school_year').selectAll().orderBy('starts_on', 'desc').limit(1).executeTakeFirst()) ?? null;
}

async function count(db: Db, table: 'guardian' | 'staff' | 'lesson' | 'mark' | 'app_user'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export const overview: Handler<'school.overview'> = async (ctx) => {
  const today = localDay(ctx.now());
  const year = await currentYear(ctx.db, today);
  let pupils = 0;
  let classes = 0;
  if (year) {
    const enrolled = await ctx.db
      .selectFrom('class_membership as m')
      .innerJoin('school_class as c', 'c.id', 'm.class_id')
      .where('c.year_id', '=', year.id)
      .where('m.to_date', 'is', null)
      .select(sql<number>`count(distinct m.pupil_id)`.as('n'))
      .executeTakeFirstOrThrow();
    pupils = Number(enrolled.n);
    const classRow = await ctx.db
      .selectFrom('school_class')
      .where('year_id', '=', year.id)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    classes = Number(classRow.n);
  }
  return {
    school: await readSchool(ctx.db),
    currentYear: year
      ? { id: year.id, name: year.name, startsOn: year.starts_on, endsOn: year.ends_on, closed: year.closed === 1 }
      : null,
    counts: {
      pupils,
      classes,
      guardians: await count(ctx.db, 'guardian'),
      staff: await count(ctx.db, 'staff'),
      lessons: await count(ctx.db, 'lesson'),
      marks: await count(ctx.db, 'mark'),
      users: await count(ctx.db, 'app_user'),
    },
  };
};

export const update: Handler<'school.update'> = async (ctx, params) => {
  const before = await readSchool(ctx.db);
  const after: School = { ...before, ...params };
  const at = ctx.now().toISOString();
  const row = {
    name: after.name,
    short_name: after.shortName,
    address: after.address,
    director_name: after.directorName,
    phone: after.phone,
    email: after.email,
    inn: after.inn,
    updated_at: at,
  };
  await ctx.db
    .insertInto('school')
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
  ctx.audit({ entity: 'school', entityId: 1, before, after });
  return after;
};

export const getSettings: Handler<'settings.get'> = async (ctx) => readSettings(ctx.db);

export const updateSettings: Handler<'settings.update'> = async (ctx, params) => {
  const before = await readSettings(ctx.db);
  await writeSettings(ctx.db, params, ctx.now());
  const after = await readSettings(ctx.db);
  ctx.audit({ entity: 'settings', before, after });
  ctx.app.settings = after;
  return after;
};
