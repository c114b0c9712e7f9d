import { ApiError } from '../../common/api/errors';
import { MOVEMENT_KIND_LABELS, type EventRow, type Guardian, type PupilCard, type GuardianData, type PupilData, type PupilRow } from '../../common/api/contingent';
import { comparePeople, fileNumber, parseFileNumber, searchKey } from '../../common/domain/russian';
import { normalizeSnils } from '../../common/domain/snils';
import type { Db } from '../../db/connection';
import type { GuardianTable, PupilTable } from '../../db/schema';
import type { Selectable } from 'kysely';
import { classLabels } from './classes';

type PupilDbRow = Selectable<PupilTable>;

export interface SearchOptions {
  query?: string;
  classId?: number;
  date: string;
  includeNotEnrolled: boolean;
  limit: number;
}

function matcher(query: string | undefined): ((p: Pick<PupilDbRow, 'last_name' | 'first_name' | 'middle_name' | 'snils' | 'alphabet_letter' | 'alphabet_number'>) => boolean) | null {
  const text = query?.trim();
  if (!text) return null;
  const file = parseFileNumber(text);
  if (file) return (p) => p.alphabet_letter === file.letter && p.alphabet_number === file.number;
  const digits = text.replace(/[\s-]/g, '');
  if (/^\d{3,11}$/.test(digits)) return (p) => (p.snils ?? '').startsWith(digits);
  const key = searchKey(text);
  // Stored names are already trimmed single words: lower case and ё → е is enough here.
  return (p) => `${p.last_name} ${p.first_name} ${p.middle_name ?? ''}`.toLowerCase().replace(/ё/g, 'е').startsWith(key);
}

/** Upper- and lower-case spellings of a first letter, with Е and Ё standing for each other. */
function firstLetterVariants(text: string): string[] {
  const first = text.trim()[0];
  if (!first) return [];
  const letters = /[её]/i.test(first) ? ['е', 'ё'] : [first.toLowerCase()];
  return letters.flatMap((l) => [l, l.toUpperCase()]);
}

/**
 * Search and class lists. One indexed read joins each pupil to the class they are in on the
 * day; a name query is narrowed in SQL by the surname's first letter and matched exactly in
 * memory (SQLite's lower() knows only ASCII, and ё must match е). A school holds a few thousand
 * pupils, so this stays well under a keystroke's budget (see `npm run bench`).
 */
export async function searchPupils(db: Db, options: SearchOptions): Promise<{ rows: PupilRow[]; total: number }> {
  const labels = await classLabels(db);
  const enrolledOnly = options.classId !== undefined || !options.includeNotEnrolled;
  let query = db
    .selectFrom('pupil as p')
    .leftJoin('class_membership as m', (join) => {
      let on = join
        .onRef('m.pupil_id', '=', 'p.id')
        .on('m.from_date', '<=', options.date)
        .on((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', options.date)]));
      if (options.classId !== undefined) on = on.on('m.class_id', '=', options.classId);
      return on;
    })
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name', 'p.birth_date', 'p.snils', 'p.alphabet_letter', 'p.alphabet_number', 'm.class_id']);
  if (enrolledOnly) query = query.where('m.id', 'is not', null);
  const text = options.query?.trim() ?? '';
  const isName = text !== '' && !parseFileNumber(text) && !/^[\d\s-]+$/.test(text);
  if (isName) query = query.where((eb) => eb(eb.fn('substr', ['p.last_name', eb.val(1), eb.val(1)]), 'in', firstLetterVariants(text)));
  const matches = matcher(options.query);
  const found = (await query.execute()).filter((p) => !matches || matches(p));
  const rows = found.map((p): PupilRow => {
    const classId = p.class_id ?? null;
    return {
      id: p.id,
      lastName: p.last_name,
      firstName: p.first_name,
      middleName: p.middle_name,
      birthDate: p.birth_date,
      class: classId === null ? null : (labels.get(classId) ?? null),
      classId,
      fileNo: fileNumber(p.alphabet_letter, p.alphabet_number),
      enrolled: classId !== null,
    };
  });
  rows.sort(comparePeople);
  return { rows: rows.slice(0, options.limit), total: rows.length };
}

export async function pupilRow(db: Db, id: number): Promise<PupilDbRow> {
  const row = await db.selectFrom('pupil').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Обучающийся № ${id} не найден. Обновите список.`, { pupilId: 'нет такого обучающегося' });
  return row;
}

/** Pupils who are, by СНИЛС or by name and birth date, the same person as `data`. */
export async function findSamePerson(
  db: Db,
  data: { snils?: string | null; lastName: string; firstName: string; middleName?: string | null; birthDate: string },
): Promise<PupilDbRow[]> {
  const snils = data.snils ? normalizeSnils(data.snils) : null;
  if (snils) {
    const bySnils = await db.selectFrom('pupil').selectAll().where('snils', '=', snils).execute();
    if (bySnils.length > 0) return bySnils;
  }
  const key = searchKey(`${data.lastName} ${data.firstName} ${data.middleName ?? ''}`);
  const sameBirth = await db.selectFrom('pupil').selectAll().where('birth_date', '=', data.birthDate).execute();
  return sameBirth.filter((p) => searchKey(`${p.last_name} ${p.first_name} ${p.middle_name ?? ''}`) === key);
}

/** The columns pupils and guardians share, from validated input (fields named as in the API). */
export function personColumns(data: Omit<GuardianData, 'docKind' | 'birthDate'>, at: string) {
  return {
    last_name: data.lastName,
    first_name: data.firstName,
    middle_name: data.middleName,
    snils: data.snils,
    doc_series: data.docSeries,
    doc_number: data.docNumber,
    doc_issued_by: data.docIssuedBy,
    doc_issued_on: data.docIssuedOn,
    reg_address: data.regAddress,
    live_address: data.liveAddress,
    phone: data.phone,
    email: data.email,
    updated_at: at,
  };
}

export function personalColumns(data: PupilData, at: string) {
  return { ...personColumns(data, at), birth_date: data.birthDate, gender: data.gender, doc_kind: data.docKind };
}

/** The personal data as the audit log records it (before/after of a change). */
export function personalView(row: PupilDbRow): Record<string, unknown> {
  return {
    lastName: row.last_name,
    firstName: row.first_name,
    middleName: row.middle_name,
    birthDate: row.birth_date,
    gender: row.gender,
    snils: row.snils,
    docKind: row.doc_kind,
    docSeries: row.doc_series,
    docNumber: row.doc_number,
    docIssuedBy: row.doc_issued_by,
    docIssuedOn: row.doc_issued_on,
    regAddress: row.reg_address,
    liveAddress: row.live_address,
    phone: row.phone,
    email: row.email,
  };
}

export async function pupilEvents(db: Db, pupilId: number, labels: Map<number, string>): Promise<EventRow[]> {
  const rows = await db
    .selectFrom('movement_event as e')
    .leftJoin('pupil_order as o', 'o.id', 'e.order_id')
    .select(['e.id', 'e.event_date', 'e.kind', 'e.order_id', 'o.number', 'o.order_date', 'e.from_class_id', 'e.to_class_id', 'e.reason', 'e.place', 'e.note', 'e.cancels_event_id'])
    .where('e.pupil_id', '=', pupilId)
    // In the order they were entered: a cancellation stands after what it cancels.
    .orderBy('e.id')
    .execute();
  const cancelled = new Set(rows.map((r) => r.cancels_event_id).filter((id): id is number => id !== null));
  return rows.map((r) => ({
    id: r.id,
    date: r.event_date,
    kind: r.kind,
    kindLabel: MOVEMENT_KIND_LABELS[r.kind] ?? r.kind,
    orderId: r.order_id,
    order: r.number,
    orderDate: r.order_date,
    fromClass: r.from_class_id === null ? null : (labels.get(r.from_class_id) ?? null),
    toClass: r.to_class_id === null ? null : (labels.get(r.to_class_id) ?? null),
    reason: r.reason,
    place: r.place,
    note: r.note,
    cancelled: cancelled.has(r.id),
    cancelsEventId: r.cancels_event_id,
  }));
}

/** A guardian as the API shows it (and as the audit log records it). */
export function guardianView(g: Selectable<GuardianTable>): Guardian {
  return {
    id: g.id,
    lastName: g.last_name,
    firstName: g.first_name,
    middleName: g.middle_name,
    birthDate: g.birth_date,
    snils: g.snils,
    docKind: g.doc_kind,
    docSeries: g.doc_series,
    docNumber: g.doc_number,
    docIssuedBy: g.doc_issued_by,
    docIssuedOn: g.doc_issued_on,
    regAddress: g.reg_address,
    liveAddress: g.live_address,
    phone: g.phone,
    email: g.email,
  };
}

export async function pupilCard(db: Db, id: number, today: string): Promise<PupilCard> {
  const p = await pupilRow(db, id);
  const labels = await classLabels(db);
  const guardians = await db
    .selectFrom('pupil_guardian as pg')
    .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
    .selectAll('g')
    .select(['pg.kinship', 'pg.authority_doc'])
    .where('pg.pupil_id', '=', id)
    .orderBy('g.id')
    .execute();
  const memberships = await db
    .selectFrom('class_membership')
    .select(['class_id', 'from_date', 'to_date'])
    .where('pupil_id', '=', id)
    .orderBy('from_date')
    .orderBy('id')
    .execute();
  const current = memberships.find((m) => m.from_date <= today && (m.to_date === null || m.to_date >= today)) ?? null;
  return {
    id: p.id,
    lastName: p.last_name,
    firstName: p.first_name,
    middleName: p.middle_name,
    birthDate: p.birth_date,
    gender: p.gender,
    snils: p.snils,
    docKind: p.doc_kind,
    docSeries: p.doc_series,
    docNumber: p.doc_number,
    docIssuedBy: p.doc_issued_by,
    docIssuedOn: p.doc_issued_on,
    regAddress: p.reg_address,
    liveAddress: p.live_address,
    phone: p.phone,
    email: p.email,
    fileNo: fileNumber(p.alphabet_letter, p.alphabet_number),
    class: current ? (labels.get(current.class_id) ?? null) : null,
    classId: current?.class_id ?? null,
    enrolled: current !== null,
    guardians: guardians.map((g) => ({ ...guardianView(g), kinship: g.kinship, authorityDoc: g.authority_doc })),
    memberships: memberships.map((m) => ({ class: labels.get(m.class_id) ?? '?', classId: m.class_id, from: m.from_date, to: m.to_date })),
    events: await pupilEvents(db, id, labels),
    dataDestroyedAt: p.data_destroyed_at,
  };
}
