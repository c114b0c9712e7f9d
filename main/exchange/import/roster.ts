import { sql } from 'kysely';
import { guardianInputSchema, KINSHIPS, pupilInputSchema, type Kinship, type OrderRef, type PupilData } from '../../../common/api/contingent';
import { ApiError } from '../../../common/api/errors';
import { DOCUMENT_KIND_LABELS, type PupilDocumentKind } from '../../../common/domain/person';
import { classLabel, searchKey } from '../../../common/domain/russian';
import { formatSnils } from '../../../common/domain/snils';
import type { ConvertedValue } from '../../../common/exchange/conversions';
import { emptyCounts, type ImportConflict, type RejectedRow } from '../../../common/exchange/report';
import type { Db } from '../../../db/connection';
import { GUARDIAN_DESTROYED, PUPIL_DESTROYED } from '../../consents/destruction-fields';
import { admit, type MovementContext } from '../../contingent/movement';
import { addDays, ruDate, yearLabelOf } from '../../contingent/dates';
import { readSchool } from '../../handlers/school';
import { mapRows, type GroupInstance, type MappedRecord, type RecordValues } from '../map';
import { compareField } from '../merge';
import { BaselineBuffer } from './baselines';
import type { Importer, ImporterInput } from './types';

/**
 * The `roster` import (entity 'pupils'): one row per pupil with up to N guardians.
 *
 * A pupil is matched by СНИЛС, else by normalised ФИО and birth date (formats.md). A new pupil is
 * admitted as the app admits (main/contingent/movement.ts admit: an admission order, an entry in
 * the alphabet book, a class membership). A pupil already in the register is never moved: the
 * file's class must be the one they are in (transfers go by order in the app). Personal fields are
 * compared three-way (app / file / last import, main/exchange/merge.ts): a hand edit since the last
 * import is reported as a conflict and kept unless the user takes the file's value.
 *
 * Each row is its own savepoint: a row refused half-way (an age that does not fit the class, an
 * order number of another kind) leaves nothing behind, and the other rows go on.
 */

const PROFILE_ENTITY = { pupil: 'pupil', guardian: 'guardian', link: 'pupil_guardian' } as const;

/** Personal fields of a pupil the file may carry → the pupil table's columns. */
const PUPIL_COLUMNS = {
  lastName: 'last_name',
  firstName: 'first_name',
  middleName: 'middle_name',
  birthDate: 'birth_date',
  gender: 'gender',
  snils: 'snils',
  docKind: 'doc_kind',
  docSeries: 'doc_series',
  docNumber: 'doc_number',
  docIssuedOn: 'doc_issued_on',
  docIssuedBy: 'doc_issued_by',
  regAddress: 'reg_address',
  liveAddress: 'live_address',
  phone: 'phone',
  email: 'email',
} as const;
type PupilField = keyof typeof PUPIL_COLUMNS;

const GUARDIAN_COLUMNS = {
  lastName: 'last_name',
  firstName: 'first_name',
  middleName: 'middle_name',
  snils: 'snils',
  phone: 'phone',
  email: 'email',
} as const;
type GuardianField = keyof typeof GUARDIAN_COLUMNS;

const DATE_FIELDS = new Set(['birthDate', 'docIssuedOn']);

/**
 * The fields destroyed after a withdrawn consent (main/consents/destruction-fields.ts): an import
 * never brings them back into a card whose data were destroyed.
 */
const DESTROYED = { pupil: new Set(PUPIL_DESTROYED.map((f) => f.key)), guardian: new Set(GUARDIAN_DESTROYED.map((f) => f.key)) };

/** A row refused for a reason the report names by the file's column. */
class RowRejection extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

interface YearInfo {
  id: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

interface ClassOfYear {
  id: number;
  label: string;
}

interface PupilKey {
  id: number;
  snils: string | null;
  key: string;
}

const personKey = (lastName: string, firstName: string, middleName: string | null | undefined, birthDate: string) =>
  `${searchKey(`${lastName} ${firstName} ${middleName ?? ''}`)}|${birthDate}`;

/** A converted value as the database stores it (and as baselines keep it). */
function stored(value: ConvertedValue | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return classLabel(value.parallel, value.letter);
  return String(value);
}

/** A value as the report shows it to the user. */
function shown(field: string, value: string | null): string | null {
  if (value === null) return null;
  if (DATE_FIELDS.has(field) && /^\d{4}-\d{2}-\d{2}$/.test(value)) return ruDate(value);
  if (field === 'docKind') return DOCUMENT_KIND_LABELS[value as PupilDocumentKind] ?? value;
  if (field === 'snils' && /^\d{11}$/.test(value)) return formatSnils(value);
  return value;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The outcome of comparing one record's fields: what to write, what to record as the baseline, what to ask. */
interface Merge {
  updates: Record<string, string | null>;
  baselines: Record<string, string | null>;
  conflicts: { field: string; inApp: string | null; inFile: string | null }[];
}

function mergeFields(
  fields: readonly string[],
  inApp: Record<string, string | null>,
  inFile: Record<string, string | null>,
  baseline: Record<string, string | null>,
  takeOf: (field: string) => 'file' | 'app' | undefined,
): Merge {
  const merge: Merge = { updates: {}, baselines: {}, conflicts: [] };
  for (const field of fields) {
    const app = inApp[field] ?? null;
    const file = inFile[field] ?? null;
    const outcome = compareField(app, file, Object.hasOwn(baseline, field) ? baseline[field] : undefined);
    if (outcome === 'same') merge.baselines[field] = file;
    else if (outcome === 'update') {
      merge.updates[field] = file;
      merge.baselines[field] = file;
    } else if (outcome === 'conflict') {
      const take = takeOf(field);
      if (take === 'file') {
        merge.updates[field] = file;
        merge.baselines[field] = file;
      } else if (take === 'app') {
        // The user kept the app's value: the file's is now the known base, so the same file
        // does not ask again, while a later change in the file still shows.
        merge.baselines[field] = file;
      } else merge.conflicts.push({ field, inApp: app, inFile: file });
    }
  }
  return merge;
}

/** The first problem of a zod check of personal data, as (field, message). */
function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): { field: string; message: string } {
  const issue = error.issues[0]!;
  return { field: String(issue.path[0] ?? 'lastName'), message: issue.message };
}

class RosterImport {
  private readonly counts = { pupils: emptyCounts(), guardians: emptyCounts() };
  private readonly rejected: RejectedRow[] = [];
  private readonly conflicts: ImportConflict[] = [];
  private pupils: PupilKey[] = [];
  private years: YearInfo[] = [];
  private readonly classesByYear = new Map<number, Map<string, ClassOfYear>>();
  private readonly rowOfPupil = new Map<number, number>();
  /** Orders without a number made by this import, by date: one order for all such admissions of a day. */
  private readonly ordersByDate = new Map<string, number>();
  private mctx!: MovementContext;
  private readonly baselines: BaselineBuffer;
  private readonly at: string;
  /** What a row changes in this object (counts, indexes, audit notes): applied only when the row stands. */
  private pending: (() => void)[] = [];

  constructor(
    private readonly input: ImporterInput,
    private readonly headers: Record<string, string>,
  ) {
    this.at = input.ctx.now().toISOString();
    this.baselines = new BaselineBuffer(input.profile.id, this.at);
  }

  private later(change: () => void): void {
    this.pending.push(change);
  }

  private get trx(): Db {
    return this.input.trx;
  }

  /** The file's own header of a field (group fields as 'guardians.1.phone'). */
  private header(key: string): string {
    if (this.headers[key]) return this.headers[key];
    const [group, n, field] = key.split('.');
    if (field !== undefined) {
      const column = this.input.profile.repeatGroups?.find((g) => g.group === group)?.columns.find((c) => c.field === field);
      return column ? column.headers[0]!.replace('{n}', n!) : key;
    }
    return this.input.profile.columns.find((c) => c.field === key)?.headers[0] ?? key;
  }

  async load(): Promise<void> {
    const school = await readSchool(this.trx);
    this.mctx = {
      trx: this.trx,
      at: this.at,
      userId: this.input.ctx.session?.user.id ?? null,
      orderSuffix: this.input.ctx.app.settings.orderSuffix,
      directorName: school.directorName || null,
    };
    const pupils = await this.trx.selectFrom('pupil').select(['id', 'snils', 'last_name', 'first_name', 'middle_name', 'birth_date']).execute();
    this.pupils = pupils.map((p) => ({ id: p.id, snils: p.snils, key: personKey(p.last_name, p.first_name, p.middle_name, p.birth_date) }));
    const years = await this.trx.selectFrom('school_year').select(['id', 'name', 'starts_on', 'ends_on']).orderBy('starts_on').execute();
    this.years = years.map((y) => ({ id: y.id, name: y.name, startsOn: y.starts_on, endsOn: y.ends_on }));
    const classes = await this.trx.selectFrom('school_class').select(['id', 'year_id', 'parallel', 'letter']).execute();
    for (const c of classes) {
      const label = classLabel(c.parallel, c.letter);
      const ofYear = this.classesByYear.get(c.year_id) ?? new Map<string, ClassOfYear>();
      ofYear.set(label, { id: c.id, label });
      this.classesByYear.set(c.year_id, ofYear);
    }
  }

  /** The year of today (or the latest begun before it, or the first): where a roster's classes are. */
  private currentYear(): YearInfo | undefined {
    const today = this.input.today;
    return (
      this.years.find((y) => y.startsOn <= today && y.endsOn >= today) ??
      [...this.years].reverse().find((y) => y.startsOn <= today) ??
      this.years[0]
    );
  }

  /**
   * The class a row names. A roster lists pupils in their classes of the current year; its
   * admission date is usually the day they came to the school, years ago. Only a date in a
   * later year (an admission for the coming year) points to that year's classes.
   */
  private classOf(values: RecordValues): { cls: ClassOfYear; year: YearInfo } {
    const column = this.header('classLabel');
    const label = stored(values.classLabel)!;
    const current = this.currentYear();
    if (!current) throw new RowRejection(column, 'в программе нет ни одного учебного года: откройте учебный год');
    const admission = typeof values.admissionDate === 'string' ? values.admissionDate : null;
    const later = admission ? this.years.find((y) => y.startsOn <= admission && y.endsOn >= admission && y.startsOn > current.startsOn) : undefined;
    const year = later ?? current;
    const cls = this.classesByYear.get(year.id)?.get(label);
    if (!cls) throw new RowRejection(column, `класс ${label} не найден в учебном году ${year.name}: откройте год или проверьте класс`);
    return { cls, year };
  }

  private findPupil(values: RecordValues): PupilKey[] {
    const match = this.input.profile.match;
    const snils = typeof values.snils === 'string' ? values.snils : null;
    if (snils && (match.length === 0 || match.includes('snils'))) {
      const bySnils = this.pupils.filter((p) => p.snils === snils);
      if (bySnils.length > 0) return bySnils;
    }
    if (match.length > 0 && !match.includes('nameBirth')) return [];
    const key = personKey(String(values.lastName), String(values.firstName), stored(values.middleName), String(values.birthDate));
    return this.pupils.filter((p) => p.key === key);
  }

  private takeOf(row: number, key: string): (field: string) => 'file' | 'app' | undefined {
    return (field) => {
      const column = this.header(key ? `${key}.${field}` : field);
      return this.input.resolutions.find((r) => r.row === row && r.column === column)?.take;
    };
  }

  /** The admission order of a new pupil: the file's (found, or created), or one order of the import. */
  private async orderFor(values: RecordValues, eventDate: string): Promise<{ ref: OrderRef; onCreated?: (orderId: number) => void }> {
    const number = stored(values.admissionOrder);
    const date = typeof values.admissionDate === 'string' ? values.admissionDate : eventDate;
    if (number) {
      const existing = await this.trx.selectFrom('pupil_order').select(['id', 'kind']).where('year_label', '=', yearLabelOf(date)).where('number', '=', number).executeTakeFirst();
      if (existing && existing.kind !== 'admission') {
        throw new RowRejection(this.header('admissionOrder'), `приказ № ${number} за ${yearLabelOf(date)} учебный год — не о зачислении: проверьте номер приказа`);
      }
      return { ref: existing ? { id: existing.id } : { date, number } };
    }
    const id = this.ordersByDate.get(date);
    if (id !== undefined) return { ref: { id } };
    return { ref: { date }, onCreated: (orderId) => this.later(() => this.ordersByDate.set(date, orderId)) };
  }

  private async admitNew(record: MappedRecord, cls: ClassOfYear, year: YearInfo): Promise<number> {
    const v = record.values;
    if (!v.gender) throw new RowRejection(this.header('gender'), 'не указан пол: он нужен для карточки нового обучающегося');
    const data: Record<string, unknown> = {};
    for (const field of Object.keys(PUPIL_COLUMNS)) data[field] = stored(v[field]);
    const parsed = pupilInputSchema.safeParse(data);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      throw new RowRejection(this.header(issue.field), issue.message);
    }
    const admission = typeof v.admissionDate === 'string' ? v.admissionDate : null;
    // A date long before the class's year is the day the pupil came to the school: the register
    // of the app starts with the year, the order keeps its own date.
    const inYear = admission !== null && admission >= addDays(year.startsOn, -92) && admission <= year.endsOn;
    const eventDate = inYear ? admission : year.startsOn;
    const order = await this.orderFor(v, eventDate);
    const done = await admit(this.mctx, { order: order.ref, classId: cls.id, date: eventDate, pupil: parsed.data as PupilData });
    order.onCreated?.(done.order.id);
    // The baseline is what the card now holds (the file's value as the app's checks normalised it).
    const written = parsed.data as Record<string, unknown>;
    const baselines: Record<string, string | null> = {};
    for (const field of Object.keys(PUPIL_COLUMNS)) {
      const value = written[field];
      if (value !== null && value !== undefined) baselines[field] = String(value);
    }
    this.baselines.stage(PROFILE_ENTITY.pupil, done.pupilId, baselines);
    this.later(() =>
      this.input.audit({
        entity: 'pupil',
        entityId: done.pupilId,
        action: 'Зачисление при загрузке списка',
        details: { row: record.row, classId: cls.id, orderId: done.order.id, orderCreated: done.order.created, eventId: done.eventId, fields: Object.keys(baselines) },
      }),
    );
    const p = parsed.data;
    this.later(() => this.pupils.push({ id: done.pupilId, snils: p.snils, key: personKey(p.lastName, p.firstName, p.middleName, p.birthDate) }));
    this.later(() => (this.counts.pupils.created += 1));
    return done.pupilId;
  }

  private async updateExisting(record: MappedRecord, pupilId: number, cls: ClassOfYear, year: YearInfo, conflicts: ImportConflict[]): Promise<void> {
    const today = this.input.today;
    const day = today < year.startsOn ? year.startsOn : today > year.endsOn ? year.endsOn : today;
    const membership = await this.trx
      .selectFrom('class_membership')
      .select('class_id')
      .where('pupil_id', '=', pupilId)
      .where('from_date', '<=', day)
      .where((w) => w.or([w('to_date', 'is', null), w('to_date', '>=', day)]))
      .executeTakeFirst();
    const classColumn = this.header('classLabel');
    if (!membership) {
      throw new RowRejection(classColumn, `обучающийся есть в реестре, но на ${ruDate(day)} не числится ни в одном классе: зачислите его в программе приказом как ранее обучавшегося`);
    }
    if (membership.class_id !== cls.id) {
      const now = await this.trx.selectFrom('school_class').select(['parallel', 'letter']).where('id', '=', membership.class_id).executeTakeFirstOrThrow();
      throw new RowRejection(
        classColumn,
        `обучающийся числится в классе ${classLabel(now.parallel, now.letter)}, а в файле указан ${cls.label}: перевод в другой класс оформляется приказом в программе, а не загрузкой`,
      );
    }
    const row = await this.trx.selectFrom('pupil').selectAll().where('id', '=', pupilId).executeTakeFirstOrThrow();
    const fields = (Object.keys(PUPIL_COLUMNS) as PupilField[]).filter((f) => Object.hasOwn(record.values, f) && (!row.data_destroyed_at || !DESTROYED.pupil.has(f)));
    const inApp = Object.fromEntries(fields.map((f) => [f, row[PUPIL_COLUMNS[f]] ?? null])) as Record<string, string | null>;
    const inFile = Object.fromEntries(fields.map((f) => [f, stored(record.values[f])]));
    const merge = mergeFields(fields, inApp, inFile, await this.baselines.read(this.trx, PROFILE_ENTITY.pupil, pupilId), this.takeOf(record.row, ''));
    for (const c of merge.conflicts) conflicts.push({ row: record.row, column: this.header(c.field), inApp: shown(c.field, c.inApp), inFile: shown(c.field, c.inFile) });
    const changed = Object.keys(merge.updates) as PupilField[];
    if (changed.length > 0) {
      const next: Record<string, unknown> = {};
      for (const f of Object.keys(PUPIL_COLUMNS) as PupilField[]) next[f] = Object.hasOwn(merge.updates, f) ? merge.updates[f] : row[PUPIL_COLUMNS[f]];
      const parsed = pupilInputSchema.safeParse(next);
      if (!parsed.success) {
        const issue = firstIssue(parsed.error);
        throw new RowRejection(this.header(issue.field), issue.message);
      }
      const data = parsed.data as PupilData;
      const key = personKey(data.lastName, data.firstName, data.middleName, data.birthDate);
      const other = this.pupils.find((p) => p.id !== pupilId && ((data.snils && p.snils === data.snils) || p.key === key));
      if (other) throw new RowRejection(this.header(changed.includes('snils') ? 'snils' : 'lastName'), 'с такими данными в реестре уже есть другой обучающийся');
      const set: Record<string, unknown> = { updated_at: this.at };
      for (const f of changed) set[PUPIL_COLUMNS[f]] = (data as Record<string, unknown>)[f] ?? null;
      await this.trx.updateTable('pupil').set(set).where('id', '=', pupilId).execute();
      const entry = this.pupils.find((p) => p.id === pupilId);
      if (entry) this.later(() => Object.assign(entry, { snils: data.snils, key }));
      this.later(() => this.input.audit({ entity: 'pupil', entityId: pupilId, action: 'Изменение при загрузке списка', details: { row: record.row, fields: changed } }));
      this.later(() => (this.counts.pupils.updated += 1));
    } else this.later(() => (this.counts.pupils.unchanged += 1));
    this.baselines.stage(PROFILE_ENTITY.pupil, pupilId, merge.baselines);
  }

  private async guardian(record: MappedRecord, pupilId: number, g: GroupInstance, conflicts: ImportConflict[]): Promise<void> {
    const v = g.values;
    const key = `guardians.${g.n}`;
    const snils = typeof v.snils === 'string' ? v.snils : null;
    const linked = await this.trx
      .selectFrom('pupil_guardian as pg')
      .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
      .selectAll('g')
      .select('pg.kinship')
      .where('pg.pupil_id', '=', pupilId)
      .execute();
    const nameKey = searchKey(`${String(v.lastName)} ${String(v.firstName)} ${stored(v.middleName) ?? ''}`);
    let found: { id: number; kinship: Kinship | null } | undefined;
    if (snils) {
      const bySnils = await this.trx.selectFrom('guardian').select('id').where('snils', '=', snils).executeTakeFirst();
      if (bySnils) found = { id: bySnils.id, kinship: linked.find((l) => l.id === bySnils.id)?.kinship ?? null };
    }
    if (!found) {
      const byName = linked.filter((l) => searchKey(`${l.last_name} ${l.first_name} ${l.middle_name ?? ''}`) === nameKey);
      if (byName.length > 1) throw new RowRejection(this.header(`${key}.lastName`), 'у обучающегося несколько представителей с таким ФИО: уточните СНИЛС');
      if (byName[0]) found = { id: byName[0].id, kinship: byName[0].kinship };
    }
    const kinship = typeof v.kinship === 'string' && (KINSHIPS as readonly string[]).includes(v.kinship) ? (v.kinship as Kinship) : null;
    const fields = (Object.keys(GUARDIAN_COLUMNS) as GuardianField[]).filter((f) => Object.hasOwn(v, f));

    if (!found) {
      const data: Record<string, unknown> = {};
      for (const f of Object.keys(GUARDIAN_COLUMNS)) data[f] = stored(v[f]);
      const parsed = guardianInputSchema.safeParse(data);
      if (!parsed.success) {
        const issue = firstIssue(parsed.error);
        throw new RowRejection(this.header(`${key}.${issue.field}`), issue.message);
      }
      const d = parsed.data;
      const inserted = await this.trx
        .insertInto('guardian')
        .values({ last_name: d.lastName, first_name: d.firstName, middle_name: d.middleName, snils: d.snils, phone: d.phone, email: d.email, updated_at: this.at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.trx.insertInto('pupil_guardian').values({ pupil_id: pupilId, guardian_id: inserted.id, kinship: kinship ?? 'иное', authority_doc: null }).execute();
      const baselines: Record<string, string | null> = {};
      for (const f of fields) if (d[f] !== null) baselines[f] = d[f];
      this.baselines.stage(PROFILE_ENTITY.guardian, inserted.id, baselines);
      if (kinship) this.baselines.stage(PROFILE_ENTITY.link, inserted.id, { [`kinship:${pupilId}`]: kinship });
      this.later(() => this.input.audit({ entity: 'guardian', entityId: inserted.id, action: 'Добавление законного представителя при загрузке списка', details: { row: record.row, pupilId, fields: Object.keys(baselines) } }));
      this.later(() => (this.counts.guardians.created += 1));
      return;
    }

    const row = await this.trx.selectFrom('guardian').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow();
    if (row.data_destroyed_at) fields.splice(0, fields.length, ...fields.filter((f) => !DESTROYED.guardian.has(f)));
    const inApp = Object.fromEntries(fields.map((f) => [f, row[GUARDIAN_COLUMNS[f]] ?? null])) as Record<string, string | null>;
    const inFile = Object.fromEntries(fields.map((f) => [f, stored(v[f])]));
    const merge = mergeFields(fields, inApp, inFile, await this.baselines.read(this.trx, PROFILE_ENTITY.guardian, found.id), this.takeOf(record.row, key));
    for (const c of merge.conflicts) conflicts.push({ row: record.row, column: this.header(`${key}.${c.field}`), inApp: shown(c.field, c.inApp), inFile: shown(c.field, c.inFile) });
    let changed = false;
    const changedFields = Object.keys(merge.updates) as GuardianField[];
    if (changedFields.length > 0) {
      const next: Record<string, unknown> = {};
      for (const f of Object.keys(GUARDIAN_COLUMNS) as GuardianField[]) next[f] = Object.hasOwn(merge.updates, f) ? merge.updates[f] : row[GUARDIAN_COLUMNS[f]];
      const parsed = guardianInputSchema.safeParse(next);
      if (!parsed.success) {
        const issue = firstIssue(parsed.error);
        throw new RowRejection(this.header(`${key}.${issue.field}`), issue.message);
      }
      const set: Record<string, unknown> = { updated_at: this.at };
      for (const f of changedFields) set[GUARDIAN_COLUMNS[f]] = (parsed.data as Record<string, unknown>)[f] ?? null;
      await this.trx.updateTable('guardian').set(set).where('id', '=', found.id).execute();
      changed = true;
    }
    this.baselines.stage(PROFILE_ENTITY.guardian, found.id, merge.baselines);

    const linkField = `kinship:${pupilId}`;
    if (found.kinship === null) {
      // Found by СНИЛС among another pupil's guardians (a brother's or sister's parent): linked here too.
      await this.trx.insertInto('pupil_guardian').values({ pupil_id: pupilId, guardian_id: found.id, kinship: kinship ?? 'иное', authority_doc: null }).execute();
      if (kinship) this.baselines.stage(PROFILE_ENTITY.link, found.id, { [linkField]: kinship });
      changed = true;
    } else if (kinship) {
      const base = await this.baselines.read(this.trx, PROFILE_ENTITY.link, found.id);
      const take = this.takeOf(record.row, key)('kinship');
      const link = mergeFields([linkField], { [linkField]: found.kinship }, { [linkField]: kinship }, base, () => take);
      for (const c of link.conflicts) conflicts.push({ row: record.row, column: this.header(`${key}.kinship`), inApp: c.inApp, inFile: c.inFile });
      if (Object.hasOwn(link.updates, linkField)) {
        await this.trx.updateTable('pupil_guardian').set({ kinship }).where('pupil_id', '=', pupilId).where('guardian_id', '=', found.id).execute();
        changed = true;
        changedFields.push('kinship' as GuardianField);
      }
      this.baselines.stage(PROFILE_ENTITY.link, found.id, link.baselines);
    }
    if (changed) {
      this.later(() => this.input.audit({ entity: 'guardian', entityId: found.id, action: 'Изменение при загрузке списка', details: { row: record.row, pupilId, fields: changedFields } }));
      this.later(() => (this.counts.guardians.updated += 1));
    } else this.later(() => (this.counts.guardians.unchanged += 1));
  }

  private async record(record: MappedRecord): Promise<void> {
    const { cls, year } = this.classOf(record.values);
    const found = this.findPupil(record.values);
    if (found.length > 1) throw new RowRejection(this.header('lastName'), 'в реестре несколько обучающихся с такими данными: уточните СНИЛС');
    const conflicts: ImportConflict[] = [];
    let pupilId: number;
    if (found[0]) {
      pupilId = found[0].id;
      const earlier = this.rowOfPupil.get(pupilId);
      if (earlier !== undefined) throw new RowRejection(this.header('lastName'), `этот обучающийся уже указан в строке ${earlier}`);
      await this.updateExisting(record, pupilId, cls, year, conflicts);
    } else pupilId = await this.admitNew(record, cls, year);
    for (const g of record.groups.guardians ?? []) await this.guardian(record, pupilId, g, conflicts);
    this.later(() => {
      this.rowOfPupil.set(pupilId, record.row);
      this.conflicts.push(...conflicts);
    });
  }

  /** A domain refusal (admit's age check, a closed year, a taken order number) as the row's reason. */
  private rejection(error: ApiError): RowRejection {
    const field = Object.keys(error.fields ?? {})[0] ?? '';
    const byField: Record<string, string> = { 'pupil.birthDate': 'birthDate', date: 'admissionDate', order: 'admissionOrder', pupil: 'lastName' };
    const target = byField[field] ?? (field.startsWith('pupil.') ? field.slice(6) : 'classLabel');
    return new RowRejection(this.header(target), error.message.replace(/\.$/, ''));
  }

  async run(records: MappedRecord[]) {
    const total = records.length;
    for (let i = 0; i < total; i += 1) {
      if (i % 50 === 0) {
        await yieldToEventLoop();
        this.input.progress(i, total, 'Обучающиеся и представители');
      }
      const record = records[i]!;
      if (record.problems.length > 0) {
        this.rejected.push(...record.problems.map((p) => ({ row: p.row, column: p.column, reason: p.reason })));
        continue;
      }
      await sql`savepoint roster_row`.execute(this.trx);
      try {
        await this.record(record);
        await sql`release roster_row`.execute(this.trx);
        for (const change of this.pending) change();
        this.pending = [];
        this.baselines.rowStood();
      } catch (error) {
        this.pending = [];
        this.baselines.rowRefused();
        await sql`rollback to roster_row`.execute(this.trx);
        await sql`release roster_row`.execute(this.trx);
        const refusal = error instanceof RowRejection ? error : error instanceof ApiError && error.code !== 'cancelled' ? this.rejection(error) : null;
        if (!refusal) throw error;
        this.rejected.push({ row: record.row, column: refusal.column, reason: refusal.reason });
      }
    }
    await this.baselines.flush(this.trx);
    this.input.progress(total, total, 'Обучающиеся и представители');
    return { counts: this.counts, rejected: this.rejected, conflicts: this.conflicts };
  }
}

export const importRoster: Importer = async (input) => {
  if (input.source.kind !== 'table') throw new ApiError('refused', 'Список обучающихся загружается из таблицы (XLSX или CSV).');
  const table = mapRows(input.profile, input.source.file.rows);
  const job = new RosterImport(input, table.headers);
  await job.load();
  const result = await job.run(table.records);
  return { ...result, warnings: table.warnings };
};
