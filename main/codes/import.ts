import { parseClassLabel, searchKey } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import type { HandlerContext } from '../context';
import { activeCodeOf, classOfPupilOn, codeView, holderKey, refusedElectronic, storeCode, type Holder } from './codes';
import { rejectedRowsWorkbook } from '../exchange/rejected-file';
import { cellDate, cellText, findHeader, normalizeHeader, readSheet, type RawCell, type SheetRow, type TextEncoding } from './sheet';
import { localDay } from '../../common/domain/local-day';

/** The import report of formats.md for the `access-codes` profile. */
export interface CodesImportReport {
  profile: 'access-codes';
  file: string;
  dryRun: boolean;
  counts: { codes: { created: number; updated: number; unchanged: number } };
  rejected: { row: number; column: string; reason: string }[];
  warnings: { column: string; reason: string }[];
  /** The refused rows with a reason column, to fix and load again (holds codes: never logged). */
  rejectedFile: { fileName: string; contentBase64: string } | null;
}

const REQUIRED = ['Класс', 'Роль', 'Код', 'Фамилия', 'Имя', 'Дата рождения'];
const OPTIONAL = ['Отчество', 'Представитель', 'Действует до'];

const ROLE_PUPIL = new Set(['обучающийся', 'обучающаяся', 'ученик', 'ученица']);
const ROLE_GUARDIAN = new Set(['родитель', 'законный представитель', 'представитель']);

/** Codes as the regional lists write them: letters and digits, maybe with dashes. */
const CODE_SHAPE = /^[A-Za-z0-9-]{4,64}$/;

interface Planned {
  row: number;
  holder: Holder;
  secret: string;
  validUntil: string | null;
  action: 'created' | 'updated' | 'unchanged';
}

class Rejection extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export async function importCodes(ctx: HandlerContext, params: { fileName: string; contentBase64: string; dryRun: boolean; encoding?: TextEncoding }): Promise<CodesImportReport> {
  const rows = await readSheet(params.fileName, Buffer.from(params.contentBase64, 'base64'), params.encoding ?? 'auto');
  return importCodeRows(ctx, rows, params);
}

/**
 * The import of rows already read; the exchange engine's `access-codes` profile calls this with
 * the rows of its safe reader (main/exchange/import/codes.ts), and records its own summary
 * (`summary: false`).
 */
export async function importCodeRows(
  ctx: HandlerContext,
  rows: SheetRow[],
  params: { fileName: string; dryRun: boolean; summary?: boolean },
): Promise<CodesImportReport> {
  const db: Db = ctx.db;
  const today = localDay(ctx.now());
  const at = ctx.now().toISOString();
  const header = findHeader(rows, REQUIRED, OPTIONAL);
  const col = (name: string) => header.columns.get(normalizeHeader(name));
  const cell = (cells: RawCell[], name: string): RawCell => {
    const i = col(name);
    return i === undefined ? null : (cells[i] ?? null);
  };

  const report: CodesImportReport = {
    profile: 'access-codes',
    file: params.fileName,
    dryRun: params.dryRun,
    counts: { codes: { created: 0, updated: 0, unchanged: 0 } },
    rejected: [],
    warnings: header.unknown.map((column) => ({ column, reason: 'неизвестный столбец пропущен' })),
    rejectedFile: null,
  };

  // Every pupil, keyed by normalised name and birth date (a school has a few thousand).
  const pupils = await db.selectFrom('pupil').select(['id', 'last_name', 'first_name', 'middle_name', 'birth_date']).execute();
  const byPerson = new Map<string, number[]>();
  for (const p of pupils) {
    const key = `${searchKey(`${p.last_name} ${p.first_name} ${p.middle_name ?? ''}`)}|${p.birth_date}`;
    byPerson.set(key, [...(byPerson.get(key) ?? []), p.id]);
  }

  const planned: Planned[] = [];
  const holderRows = new Map<string, number>();
  const secretOwners = new Map<string, string>();

  for (const r of rows) {
    if (r.row <= header.headerRow) continue;
    if (r.cells.every((c) => cellText(c) === '')) continue;
    try {
      const roleText = searchKey(cellText(cell(r.cells, 'Роль')));
      const kind = ROLE_PUPIL.has(roleText) ? 'pupil' : ROLE_GUARDIAN.has(roleText) ? 'guardian' : null;
      if (!kind) throw new Rejection('Роль', 'роль должна быть «Обучающийся», «Родитель» или «Законный представитель»');
      const secret = cellText(cell(r.cells, 'Код')).replace(/\s+/g, '');
      if (!secret) throw new Rejection('Код', 'пустой код');
      if (!CODE_SHAPE.test(secret)) throw new Rejection('Код', 'код записан неверно: допустимы только латинские буквы, цифры и дефис');
      const lastName = cellText(cell(r.cells, 'Фамилия'));
      const firstName = cellText(cell(r.cells, 'Имя'));
      if (!lastName) throw new Rejection('Фамилия', 'не указана фамилия обучающегося');
      if (!firstName) throw new Rejection('Имя', 'не указано имя обучающегося');
      const birthRaw = cell(r.cells, 'Дата рождения');
      const birthDate = cellDate(birthRaw);
      if (!birthDate) throw new Rejection('Дата рождения', cellText(birthRaw) ? 'неверная дата: ожидается ДД.ММ.ГГГГ' : 'не указана дата рождения');
      const validRaw = cell(r.cells, 'Действует до');
      const validUntil = cellText(validRaw) ? cellDate(validRaw) : null;
      if (cellText(validRaw) && !validUntil) throw new Rejection('Действует до', 'неверная дата: ожидается ДД.ММ.ГГГГ');

      const middleName = cellText(cell(r.cells, 'Отчество'));
      const key = `${searchKey(`${lastName} ${firstName} ${middleName}`)}|${birthDate}`;
      const found = byPerson.get(key) ?? [];
      if (found.length === 0) throw new Rejection('Фамилия', 'обучающийся с такими ФИО и датой рождения не найден в реестре');
      if (found.length > 1) throw new Rejection('Фамилия', 'в реестре несколько обучающихся с такими ФИО и датой рождения: уточните данные');
      const pupilId = found[0]!;

      const classText = cellText(cell(r.cells, 'Класс'));
      const wanted = parseClassLabel(classText);
      if (!wanted) throw new Rejection('Класс', `класс «${classText}» записан непонятно: ожидается, например, 5А`);
      const current = await classOfPupilOn(db, pupilId, today);
      if (!current) throw new Rejection('Класс', 'обучающийся сегодня не числится ни в одном классе');
      if (current.label !== `${wanted.parallel}${wanted.letter}`) {
        throw new Rejection('Класс', `обучающийся сейчас в классе ${current.label}, а в файле указан ${wanted.parallel}${wanted.letter}`);
      }

      let holder: Holder = { kind: 'pupil', pupilId, guardianId: null };
      if (kind === 'guardian') {
        const name = cellText(cell(r.cells, 'Представитель'));
        if (!name) throw new Rejection('Представитель', 'для родителя или законного представителя укажите его ФИО');
        const linked = await db
          .selectFrom('pupil_guardian as pg')
          .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
          .select(['g.id', 'g.last_name', 'g.first_name', 'g.middle_name'])
          .where('pg.pupil_id', '=', pupilId)
          .execute();
        const match = linked.filter((g) => searchKey(`${g.last_name} ${g.first_name} ${g.middle_name ?? ''}`) === searchKey(name));
        if (match.length === 0) throw new Rejection('Представитель', 'не найден среди законных представителей этого обучающегося');
        if (match.length > 1) throw new Rejection('Представитель', 'у обучающегося несколько представителей с таким ФИО: уточните данные');
        const guardianId = match[0]!.id;
        holder = { kind: 'guardian', pupilId, guardianId };
        // A refusal is final: such a code is not even stored. A consent merely not yet collected
        // does not stop the import; the slip is withheld until it is (see codeBlockReason).
        if (await refusedElectronic(db, guardianId)) throw new Rejection('Представитель', 'родитель отказался от электронного доступа');
      }

      const hk = holderKey(holder);
      const seenRow = holderRows.get(hk);
      if (seenRow !== undefined) throw new Rejection('Код', `для этого лица код уже указан в строке ${seenRow}`);

      // A code belongs to one person: a pupil's code must never be given to a parent.
      const ownerInFile = secretOwners.get(secret);
      if (ownerInFile !== undefined && ownerInFile !== hk) {
        throw new Rejection('Код', ownerInFile.startsWith('p:') ? 'это код обучающегося: он не может быть выдан представителю' : 'этот код в файле уже указан для другого лица');
      }
      const stored = await db.selectFrom('access_code').select(['id', 'holder_kind', 'pupil_id', 'guardian_id', 'status', 'valid_until']).where('code_secret', '=', secret).execute();
      const other = stored.find((s) => holderKey({ kind: s.holder_kind, pupilId: s.pupil_id, guardianId: s.guardian_id }) !== hk);
      if (other) {
        throw new Rejection('Код', other.holder_kind === 'pupil' ? 'это код обучающегося: он не может быть выдан другому лицу' : 'этот код уже выдан другому лицу');
      }
      const same = stored.find((s) => s.status === 'new' || s.status === 'issued');
      if (!same && stored.length > 0) throw new Rejection('Код', 'этот код был отозван или разглашён: нужен новый код');

      holderRows.set(hk, r.row);
      secretOwners.set(secret, hk);
      const action: Planned['action'] = same ? ((same.valid_until ?? null) === validUntil ? 'unchanged' : 'updated') : (await activeCodeOf(db, holder)) ? 'updated' : 'created';
      planned.push({ row: r.row, holder, secret, validUntil, action });
    } catch (error) {
      if (error instanceof Rejection) report.rejected.push({ row: r.row, column: error.column, reason: error.reason });
      else throw error;
    }
  }

  for (const p of planned) report.counts.codes[p.action] += 1;
  if (report.rejected.length > 0) {
    const reasons = new Map<number, string[]>();
    for (const r of report.rejected) reasons.set(r.row, [...(reasons.get(r.row) ?? []), `${r.column}: ${r.reason}`]);
    const headerRow = rows.find((r) => r.row === header.headerRow)!;
    const book = await rejectedRowsWorkbook(headerRow, rows, reasons);
    const base = params.fileName.replace(/\.[^.]+$/, '');
    report.rejectedFile = { fileName: `${base} — отклонённые строки.xlsx`, contentBase64: book.toString('base64') };
  }

  if (!params.dryRun) {
    for (const p of planned) {
      if (p.action === 'unchanged') continue;
      const existing = await db
        .selectFrom('access_code')
        .selectAll()
        .where('code_secret', '=', p.secret)
        .where('status', 'in', ['new', 'issued'])
        .executeTakeFirst();
      if (existing) {
        await db.updateTable('access_code').set({ valid_until: p.validUntil }).where('id', '=', existing.id).execute();
        ctx.audit({ entity: 'access_code', entityId: existing.id, before: codeView(existing), after: codeView({ ...existing, valid_until: p.validUntil }), details: { row: p.row } });
        continue;
      }
      const stored = await storeCode(db, p.holder, p.secret, p.validUntil, at);
      const row = await db.selectFrom('access_code').selectAll().where('id', '=', stored.id).executeTakeFirstOrThrow();
      ctx.audit({ entity: 'access_code', entityId: stored.id, after: codeView(row), details: { row: p.row, replacedCodeId: stored.replacedId } });
    }
  }
  if (params.summary === false) return report;
  ctx.audit({
    entity: 'access_code_import',
    details: { profile: report.profile, file: report.file, dryRun: report.dryRun, counts: report.counts, rejected: report.rejected.length },
  });
  return report;
}
