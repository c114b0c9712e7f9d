import type { ConsentPurpose, ConsentStatus } from '../../common/api/consents';
import type { Db } from '../../db/connection';

/**
 * Reading the consent register. Rows are decisions in time (given / refused / withdrawn); for a
 * subject and purpose the newest by date, then by entry, is the one in force. Pupil consents are
 * kept per pupil, guardian consents per guardian (pupil_id empty): a parent's decision on their
 * own data or on the e-diary holds for all their children.
 */

export const personName = (p: { last_name: string; first_name: string; middle_name: string | null }) =>
  [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' ');

export interface Decision {
  id: number;
  status: ConsentStatus;
  decidedOn: string;
  signedByPupil: boolean;
  templateId: number | null;
}

export interface LatestDecisions {
  pupil(pupilId: number, purpose: ConsentPurpose): Decision | undefined;
  guardian(guardianId: number, purpose: ConsentPurpose): Decision | undefined;
}

/** SQLite binds at most 32,766 values; lists of ids are queried in slices well under that. */
const SLICE = 500;

function slices<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += SLICE) out.push(list.slice(i, i + SLICE));
  return out;
}

const ORDER = (a: { decided_on: string; id: number }, b: { decided_on: string; id: number }) => (a.decided_on < b.decided_on ? -1 : a.decided_on > b.decided_on ? 1 : a.id - b.id);

/**
 * The decisions in force on a day for many pupils and guardians at once (coverage of whole
 * classes); decisions dated after the day do not count yet.
 */
export async function latestDecisions(db: Db, who: { pupilIds: readonly number[]; guardianIds: readonly number[] }, asOf: string): Promise<LatestDecisions> {
  const columns = ['id', 'subject_kind', 'pupil_id', 'guardian_id', 'purpose', 'status', 'decided_on', 'signed_by_pupil', 'template_id'] as const;
  const rows = [];
  for (const ids of slices(who.pupilIds)) {
    rows.push(...(await db.selectFrom('consent').select(columns).where('subject_kind', '=', 'pupil').where('pupil_id', 'in', ids).where('decided_on', '<=', asOf).execute()));
  }
  for (const ids of slices(who.guardianIds)) {
    rows.push(...(await db.selectFrom('consent').select(columns).where('subject_kind', '=', 'guardian').where('guardian_id', 'in', ids).where('decided_on', '<=', asOf).execute()));
  }
  rows.sort(ORDER);
  const latest = new Map<string, Decision>();
  for (const r of rows) {
    const key = r.subject_kind === 'pupil' ? `p:${r.pupil_id}:${r.purpose}` : `g:${r.guardian_id}:${r.purpose}`;
    latest.set(key, { id: r.id, status: r.status, decidedOn: r.decided_on, signedByPupil: r.signed_by_pupil === 1, templateId: r.template_id });
  }
  return {
    pupil: (pupilId, purpose) => latest.get(`p:${pupilId}:${purpose}`),
    guardian: (guardianId, purpose) => latest.get(`g:${guardianId}:${purpose}`),
  };
}

/** The decision in force for one subject and purpose. */
export async function latestDecision(db: Db, subject: { kind: 'pupil'; pupilId: number } | { kind: 'guardian'; guardianId: number }, purpose: ConsentPurpose) {
  let q = db
    .selectFrom('consent')
    .select(['id', 'status', 'decided_on', 'signed_by_pupil', 'template_id'])
    .where('purpose', '=', purpose)
    .where('subject_kind', '=', subject.kind);
  q = subject.kind === 'pupil' ? q.where('pupil_id', '=', subject.pupilId) : q.where('guardian_id', '=', subject.guardianId);
  return q.orderBy('decided_on', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/* ---------- Recording decisions ---------- */

/** A real calendar day in ISO form (the schema checks only the shape). */
export function isCalendarDay(day: string): boolean {
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

/** Plain UTC date arithmetic: no time zone can shift an ISO day. */
export function addDays(day: string, days: number): string {
  const parsed = new Date(`${day}T00:00:00Z`);
  parsed.setUTCDate(parsed.getUTCDate() + days);
  return parsed.toISOString().slice(0, 10);
}

export const ruDay = (day: string) => day.split('-').reverse().join('.');
