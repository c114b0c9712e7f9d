import type { Db } from '../../db/connection';
import { sha256Hex } from '../audit/chain';

/**
 * The export of the event log that goes with an act of destruction (приказ Роскомнадзора № 179
 * for automated processing): every entry about the person, metadata only — id, time, user,
 * operation, action and the entry's hash, never the payloads. Entry hashes survive the erasure
 * of payloads (chain version 2), so the export stays checkable against the log.
 */
export interface Subject {
  kind: 'pupil' | 'guardian';
  id: number;
  label: string;
}

export interface LogExport {
  subject: Subject;
  exportedAt: string;
  entries: Array<{ id: number; at: string; user: string | null; method: string; action: string; hash: string }>;
}

/** Consents and access codes of the person: their log entries are about the person too. */
export async function subjectRecordIds(db: Db, subject: Pick<Subject, 'kind' | 'id'>): Promise<{ consents: number[]; codes: number[] }> {
  let consents = db.selectFrom('consent').select('id').where('subject_kind', '=', subject.kind);
  consents = subject.kind === 'pupil' ? consents.where('pupil_id', '=', subject.id) : consents.where('guardian_id', '=', subject.id);
  let codes = db.selectFrom('access_code').select('id').where('holder_kind', '=', subject.kind);
  codes = subject.kind === 'pupil' ? codes.where('pupil_id', '=', subject.id) : codes.where('guardian_id', '=', subject.id);
  return { consents: (await consents.execute()).map((r) => r.id), codes: (await codes.execute()).map((r) => r.id) };
}

/** Does a payload name the guardian (a link or unlink of the guardian on a pupil's card)? */
export function namesGuardian(guardianId: number): (payload: unknown) => boolean {
  return (payload) => !!payload && typeof payload === 'object' && (payload as Record<string, unknown>).guardianId === guardianId;
}

export async function buildLogExport(db: Db, subject: Subject, exportedAt: string): Promise<{ json: string; sha256: string; entries: number }> {
  const ids = await subjectRecordIds(db, subject);
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'user_login', 'method', 'action', 'entity', 'before_json', 'after_json', 'details_json', 'hash'])
    .where((eb) => {
      const about = [eb.and([eb('entity', '=', subject.kind), eb('entity_id', '=', String(subject.id))])];
      if (ids.consents.length) about.push(eb.and([eb('entity', '=', 'consent'), eb('entity_id', 'in', ids.consents.map(String))]));
      if (ids.codes.length) about.push(eb.and([eb('entity', '=', 'access_code'), eb('entity_id', 'in', ids.codes.map(String))]));
      if (subject.kind === 'guardian') {
        const needle = `"guardianId":${subject.id}`;
        about.push(eb.and([eb('entity', '=', 'pupil'), eb.or(['before_json', 'after_json', 'details_json'].map((f) => eb(eb.fn('instr', [eb.ref(f as 'after_json'), eb.val(needle)]), '>', 0)))]));
      }
      return eb.or(about);
    })
    .orderBy('id')
    .execute();
  const isLink = namesGuardian(subject.id);
  const parse = (text: string | null): unknown => {
    try {
      return text === null ? null : (JSON.parse(text) as unknown);
    } catch {
      return null;
    }
  };
  const entries = rows
    // A pupil row matched by text must really name this guardian (not guardianId 12 for 1).
    .filter((r) => subject.kind === 'pupil' || r.entity !== 'pupil' || [r.before_json, r.after_json, r.details_json].some((t) => isLink(parse(t))))
    .map((r) => ({ id: r.id, at: r.at, user: r.user_login, method: r.method, action: r.action, hash: r.hash }));
  const content: LogExport = { subject, exportedAt, entries };
  const json = JSON.stringify(content, null, 2);
  return { json, sha256: sha256Hex(json), entries: entries.length };
}
