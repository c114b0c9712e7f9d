import type { Db } from '../../../db/connection';
import { ACTIVE_STATUSES } from '../../codes/codes';
import { classById } from '../../contingent/classes';
import { ApiError } from '../../../common/api/errors';

/**
 * Which pupils an export of the register covers: those in the classes of one school year on one
 * day. The year is the one containing today (or the latest before it, as the class lists choose
 * it), or the given class's year; the day is today, or the year's last day for a year that has
 * ended (and its first for one not yet begun), so the lists are never empty just because of the
 * summer.
 */

export interface ExportYear {
  id: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface ExportScope {
  year: ExportYear;
  /** The day the class memberships are taken on. */
  day: string;
  /** The one class asked for, or null for every class of the year. */
  classId: number | null;
}

export interface PupilFilter {
  classId?: number;
  /** Only pupils whose standing admission is on or after this day. */
  admittedSince?: string;
  /** Only pupils without an active access code of their own (status new or issued). */
  withoutCodes?: boolean;
}

function clampDay(today: string, year: ExportYear): string {
  if (today < year.startsOn) return year.startsOn;
  if (today > year.endsOn) return year.endsOn;
  return today;
}

async function yearById(db: Db, id: number): Promise<ExportYear> {
  const y = await db.selectFrom('school_year').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { id: y.id, name: y.name, startsOn: y.starts_on, endsOn: y.ends_on };
}

async function currentYear(db: Db, today: string): Promise<ExportYear> {
  const row =
    (await db.selectFrom('school_year').select('id').where('starts_on', '<=', today).where('ends_on', '>=', today).executeTakeFirst()) ??
    (await db.selectFrom('school_year').select('id').where('starts_on', '<=', today).orderBy('starts_on', 'desc').limit(1).executeTakeFirst()) ??
    (await db.selectFrom('school_year').select('id').orderBy('starts_on').limit(1).executeTakeFirst());
  if (!row) throw new ApiError('refused', 'В программе нет ни одного учебного года: выгружать нечего.');
  return yearById(db, row.id);
}

export async function resolveScope(db: Db, today: string, classId: number | undefined): Promise<ExportScope> {
  if (classId !== undefined) {
    const cls = await classById(db, classId);
    const year = await yearById(db, cls.yearId);
    return { year, day: clampDay(today, year), classId };
  }
  const year = await currentYear(db, today);
  return { year, day: clampDay(today, year), classId: null };
}

export interface ScopedPupil {
  pupilId: number;
  classId: number;
}

/** The pupils of the scope that pass the filter, each with the class they are in on the day. */
export async function scopedPupils(db: Db, scope: ExportScope, filter: PupilFilter): Promise<ScopedPupil[]> {
  let query = db
    .selectFrom('class_membership as m')
    .innerJoin('school_class as c', 'c.id', 'm.class_id')
    .select(['m.pupil_id', 'm.class_id'])
    .where('c.year_id', '=', scope.year.id)
    .where('m.from_date', '<=', scope.day)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', scope.day)]));
  if (scope.classId !== null) query = query.where('m.class_id', '=', scope.classId);
  if (filter.admittedSince !== undefined) {
    const since = filter.admittedSince;
    query = query.where((w) =>
      w.exists(
        w
          .selectFrom('movement_event as e')
          .select('e.id')
          .whereRef('e.pupil_id', '=', 'm.pupil_id')
          .where('e.kind', '=', 'admission')
          .where('e.event_date', '>=', since)
          .where((x) => x.not(x.exists(x.selectFrom('movement_event as x').select('x.id').whereRef('x.cancels_event_id', '=', 'e.id')))),
      ),
    );
  }
  if (filter.withoutCodes === true) {
    query = query.where((w) =>
      w.not(
        w.exists(
          w
            .selectFrom('access_code as a')
            .select('a.id')
            .whereRef('a.pupil_id', '=', 'm.pupil_id')
            .where('a.holder_kind', '=', 'pupil')
            .where('a.status', 'in', ACTIVE_STATUSES),
        ),
      ),
    );
  }
  const rows = await query.execute();
  // A pupil moved between classes on the day itself has two memberships; one row per pupil.
  const byPupil = new Map<number, ScopedPupil>();
  for (const r of rows) byPupil.set(r.pupil_id, { pupilId: r.pupil_id, classId: r.class_id });
  return [...byPupil.values()];
}
