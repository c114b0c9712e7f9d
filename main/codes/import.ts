import { searchKey } from '../../common/domain/russian';
import type { ImportProfile } from '../../common/exchange/profile';
import { emptyCounts, type EntityCounts, type ImportWarning, type RejectedRow } from '../../common/exchange/report';
import type { Db } from '../../db/connection';
import type { AuditNote } from '../context';
import type { MappedTable, RecordValues } from '../exchange/map';
import { activeCodeOf, classOfPupilOn, codeView, holderKey, refusedElectronic, storeCode, type Holder } from './codes';

/**
 * The rules of loading access codes (formats.md, profile `access-codes`), applied to the records
 * the exchange engine mapped from a file (main/exchange/map.ts) by the built-in profile or any
 * user profile copied from it. The file is read and mapped elsewhere; here a record becomes a
 * code of a pupil or of a guardian of that pupil, or a rejected row naming the column as the
 * file writes it. Codes are secrets: they never go into a reason, a warning or the audit log.
 */

/** Codes as the regional lists write them: letters and digits, maybe with dashes. */
const CODE_SHAPE = /^[A-Za-z0-9-]{4,64}$/;

export interface CodeRecordsInput {
  /** The import's transaction: everything is written as for real (the runner rolls a dry run back). */
  db: Db;
  profile: ImportProfile;
  mapped: MappedTable;
  /** The school's local day: the class a pupil is in is checked on it. */
  today: string;
  /** ISO time stamped on new codes. */
  at: string;
  audit(note: AuditNote): void;
  progress(done: number, total: number): void;
}

export interface CodeRecordsResult {
  counts: EntityCounts;
  rejected: RejectedRow[];
  warnings: ImportWarning[];
}

interface Planned {
  row: number;
  holder: Holder;
  secret: string;
  validUntil: string | null;
  action: keyof EntityCounts;
}

class Rejection extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const textOf = (values: RecordValues, field: string): string => {
  const v = values[field];
  return typeof v === 'string' ? v : '';
};

/** Pupils keyed by normalised full name and birth date (a school has a few thousand). */
async function pupilsByPerson(db: Db): Promise<Map<string, number[]>> {
  const pupils = await db.selectFrom('pupil').select(['id', 'last_name', 'first_name', 'middle_name', 'birth_date']).execute();
  const byPerson = new Map<string, number[]>();
  for (const p of pupils) {
    const key = `${searchKey(`${p.last_name} ${p.first_name} ${p.middle_name ?? ''}`)}|${p.birth_date}`;
    byPerson.set(key, [...(byPerson.get(key) ?? []), p.id]);
  }
  return byPerson;
}

/** The guardian of this pupil the file names; a refusal of electronic access refuses the row. */
async function guardianHolder(db: Db, pupilId: number, name: string): Promise<Holder> {
  if (!name) throw new Rejection('guardian', 'для родителя или законного представителя укажите его ФИО');
  const linked = await db
    .selectFrom('pupil_guardian as pg')
    .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
    .select(['g.id', 'g.last_name', 'g.first_name', 'g.middle_name'])
    .where('pg.pupil_id', '=', pupilId)
    .execute();
  const match = linked.filter((g) => searchKey(`${g.last_name} ${g.first_name} ${g.middle_name ?? ''}`) === searchKey(name));
  if (match.length === 0) throw new Rejection('guardian', 'не найден среди законных представителей этого обучающегося');
  if (match.length > 1) throw new Rejection('guardian', 'у обучающегося несколько представителей с таким ФИО: уточните данные');
  const guardianId = match[0]!.id;
  // A refusal is final: such a code is not even stored. A consent merely not yet collected
  // does not stop the import; the slip is withheld until it is (see codeBlockReason).
  if (await refusedElectronic(db, guardianId)) throw new Rejection('guardian', 'родитель отказался от электронного доступа');
  return { kind: 'guardian', pupilId, guardianId };
}

export async function importCodeRecords(input: CodeRecordsInput): Promise<CodeRecordsResult> {
  const { db, mapped, today } = input;
  // A rejected row names the column as the file writes it; a column the file lacks, as the profile does.
  const columnOf = (field: string) => mapped.headers[field] ?? input.profile.columns.find((c) => c.field === field)?.headers[0] ?? field;
  const result: CodeRecordsResult = { counts: emptyCounts(), rejected: [], warnings: mapped.warnings.map((w) => ({ column: w.column, reason: w.reason })) };
  const byPerson = await pupilsByPerson(db);

  const planned: Planned[] = [];
  const holderRows = new Map<string, number>();
  const secretOwners = new Map<string, string>();

  let done = 0;
  for (const record of mapped.records) {
    done += 1;
    if (done % 200 === 0) input.progress(done, mapped.records.length);
    if (record.problems.length > 0) {
      for (const p of record.problems) result.rejected.push({ row: p.row, column: p.column, reason: p.reason });
      continue;
    }
    const v = record.values;
    try {
      const secret = textOf(v, 'code').replace(/\s+/g, '');
      if (!CODE_SHAPE.test(secret)) throw new Rejection('code', 'код записан неверно: допустимы только латинские буквы, цифры и дефис');
      const birthDate = textOf(v, 'birthDate');
      const key = `${searchKey(`${textOf(v, 'lastName')} ${textOf(v, 'firstName')} ${textOf(v, 'middleName')}`)}|${birthDate}`;
      const found = byPerson.get(key) ?? [];
      if (found.length === 0) throw new Rejection('lastName', 'обучающийся с такими ФИО и датой рождения не найден в реестре');
      if (found.length > 1) throw new Rejection('lastName', 'в реестре несколько обучающихся с такими ФИО и датой рождения: уточните данные');
      const pupilId = found[0]!;

      const wanted = v['classLabel'] as { parallel: number; letter: string };
      const current = await classOfPupilOn(db, pupilId, today);
      if (!current) throw new Rejection('classLabel', 'обучающийся сегодня не числится ни в одном классе');
      if (current.label !== `${wanted.parallel}${wanted.letter}`) {
        throw new Rejection('classLabel', `обучающийся сейчас в классе ${current.label}, а в файле указан ${wanted.parallel}${wanted.letter}`);
      }

      const holder: Holder = v['role'] === 'guardian' ? await guardianHolder(db, pupilId, textOf(v, 'guardian')) : { kind: 'pupil', pupilId, guardianId: null };
      const hk = holderKey(holder);
      const seenRow = holderRows.get(hk);
      if (seenRow !== undefined) throw new Rejection('code', `для этого лица код уже указан в строке ${seenRow}`);

      // A code belongs to one person: a pupil's code must never be given to a parent.
      const ownerInFile = secretOwners.get(secret);
      if (ownerInFile !== undefined && ownerInFile !== hk) {
        throw new Rejection('code', ownerInFile.startsWith('p:') ? 'это код обучающегося: он не может быть выдан представителю' : 'этот код в файле уже указан для другого лица');
      }
      const stored = await db.selectFrom('access_code').select(['id', 'holder_kind', 'pupil_id', 'guardian_id', 'status', 'valid_until']).where('code_secret', '=', secret).execute();
      const other = stored.find((s) => holderKey({ kind: s.holder_kind, pupilId: s.pupil_id, guardianId: s.guardian_id }) !== hk);
      if (other) {
        throw new Rejection('code', other.holder_kind === 'pupil' ? 'это код обучающегося: он не может быть выдан другому лицу' : 'этот код уже выдан другому лицу');
      }
      const same = stored.find((s) => s.status === 'new' || s.status === 'issued');
      if (!same && stored.length > 0) throw new Rejection('code', 'этот код был отозван или разглашён: нужен новый код');

      holderRows.set(hk, record.row);
      secretOwners.set(secret, hk);
      const validUntil = typeof v['validUntil'] === 'string' ? v['validUntil'] : null;
      const action: Planned['action'] = same ? ((same.valid_until ?? null) === validUntil ? 'unchanged' : 'updated') : (await activeCodeOf(db, holder)) ? 'updated' : 'created';
      planned.push({ row: record.row, holder, secret, validUntil, action });
    } catch (error) {
      if (error instanceof Rejection) result.rejected.push({ row: record.row, column: columnOf(error.field), reason: error.reason });
      else throw error;
    }
  }

  // Every row is checked against the database as it was before the file: only then is anything written.
  for (const p of planned) {
    result.counts[p.action] += 1;
    if (p.action !== 'unchanged') await writeCode(input, p);
  }
  return result;
}

async function writeCode(input: CodeRecordsInput, p: Planned): Promise<void> {
  const { db } = input;
  const existing = await db.selectFrom('access_code').selectAll().where('code_secret', '=', p.secret).where('status', 'in', ['new', 'issued']).executeTakeFirst();
  if (existing) {
    await db.updateTable('access_code').set({ valid_until: p.validUntil }).where('id', '=', existing.id).execute();
    input.audit({ entity: 'access_code', entityId: existing.id, before: codeView(existing), after: codeView({ ...existing, valid_until: p.validUntil }), details: { row: p.row } });
    return;
  }
  const stored = await storeCode(db, p.holder, p.secret, p.validUntil, input.at);
  const row = await db.selectFrom('access_code').selectAll().where('id', '=', stored.id).executeTakeFirstOrThrow();
  input.audit({ entity: 'access_code', entityId: stored.id, after: codeView(row), details: { row: p.row, replacedCodeId: stored.replacedId } });
}
