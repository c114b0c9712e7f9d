import { ApiError } from '../../common/api/errors';
import type { ConvertedValue } from '../../common/exchange/conversions';
import { ENTITIES } from '../../common/exchange/entities';
import { groupHeader, normalizeHeader } from '../../common/exchange/headers';
import { DEFAULT_HEADER_SEARCH_ROWS, type ImportProfile, type ProfileColumn } from '../../common/exchange/profile';
import type { RawCell, SheetRow } from './read';
import { cellText, convertCell, isEmptyCell } from './convert';

/**
 * Rows of a table → records of a profile's fields (formats.md, «Rules for every import»): finds
 * the header row, places the columns by name in any order, converts every cell and collects each
 * cell's problem with the file's row number and the column as the file names it. Nothing here
 * knows the database: entity importers take the records from here.
 */

export interface CellProblem {
  /** The row number as the spreadsheet shows it. */
  row: number;
  /** The header as written in the file. */
  column: string;
  reason: string;
}

export interface MapWarning {
  column: string;
  reason: string;
}

/** Field → converted value; a field whose column the file lacks is absent, an empty cell is null. */
export type RecordValues = Record<string, ConvertedValue | null>;

export interface GroupInstance {
  /** The number of the group's instance, e.g. 2 for «Представитель 2: …». */
  n: number;
  values: RecordValues;
}

export interface MappedRecord {
  row: number;
  values: RecordValues;
  /** Repeat group → its filled instances (an instance whose cells are all empty is left out). */
  groups: Record<string, GroupInstance[]>;
  problems: CellProblem[];
}

export interface MappedTable {
  headerRow: number;
  /** Field ('lastName', or 'guardians.1.lastName' in a repeat group) → column index from 0. */
  columns: Record<string, number>;
  /** The same keys → the header as written in the file. */
  headers: Record<string, string>;
  warnings: MapWarning[];
  records: MappedRecord[];
}

interface Target {
  key: string;
  column: ProfileColumn;
  /** The column's first header with the group number filled in: how messages name it when the file lacks it. */
  label: string;
  group?: { name: string; n: number };
}

function targetsOf(profile: ImportProfile): Target[] {
  const targets: Target[] = profile.columns.map((column) => ({ key: column.field, column, label: column.headers[0]! }));
  for (const g of profile.repeatGroups ?? []) {
    for (const n of g.n) {
      for (const column of g.columns) {
        targets.push({ key: `${g.group}.${n}.${column.field}`, column, label: groupHeader(column.headers[0]!, n), group: { name: g.group, n } });
      }
    }
  }
  return targets;
}

function headerLookup(targets: Target[]): Map<string, Target> {
  const lookup = new Map<string, Target>();
  for (const t of targets) {
    for (const h of t.column.headers) {
      const key = normalizeHeader(t.group ? groupHeader(h, t.group.n) : h);
      if (!lookup.has(key)) lookup.set(key, t);
    }
  }
  return lookup;
}

const quoted = (names: string[]) => names.map((n) => `«${n}»`).join(', ');

/** The first candidate row holding every required column (or, with none required, any known one). */
function findHeaderRow(profile: ImportProfile, rows: SheetRow[], targets: Target[], lookup: Map<string, Target>): SheetRow {
  const required = targets.filter((t) => !t.group && t.column.required);
  const nonEmpty = rows.filter((r) => r.cells.some((c) => !isEmptyCell(c)));
  const fixedRow = profile.headerSearch?.row;
  const maxRows = profile.headerSearch?.maxRows ?? DEFAULT_HEADER_SEARCH_ROWS;
  const candidates = fixedRow !== undefined ? nonEmpty.filter((r) => r.row === fixedRow) : nonEmpty.slice(0, maxRows);
  if (fixedRow !== undefined && candidates.length === 0) {
    throw new ApiError('refused', `Строка заголовков ${fixedRow}, указанная в профиле «${profile.title}», пуста или её нет в файле.`);
  }
  let best: { row: SheetRow; hits: number } | null = null;
  for (const row of candidates) {
    const found = new Set(row.cells.map((c) => lookup.get(normalizeHeader(cellText(c)))?.key).filter((k) => k !== undefined));
    const hits = required.filter((t) => found.has(t.key)).length;
    if (hits === required.length && (required.length > 0 || found.size > 0)) return row;
    if (!best || hits > best.hits) best = { row, hits };
  }
  // With the row fixed by the profile, name what that row lacks; otherwise no row looked like a header at all.
  if (!best || (best.hits === 0 && fixedRow === undefined)) {
    const names = required.length ? required.map((t) => t.label) : targets.map((t) => t.label);
    throw new ApiError('refused', `В файле не найдена строка заголовков: в первых ${maxRows} строках нет столбцов ${quoted(names)}.`);
  }
  const found = new Set(best.row.cells.map((c) => lookup.get(normalizeHeader(cellText(c)))?.key));
  const missing = required.filter((t) => !found.has(t.key)).map((t) => t.label);
  const noun = missing.length === 1 ? 'обязательного столбца' : 'обязательных столбцов';
  throw new ApiError('refused', `В файле нет ${noun} ${quoted(missing)} (строка заголовков ${best.row.row}).`);
}

/** Refuses a file whose columns leave the profile's groups or period columns unusable. */
function checkCompleteness(profile: ImportProfile, targets: Target[], placed: Map<string, number>, headerRow: number): void {
  const anyOf = ENTITIES[profile.entity].anyOf;
  if (anyOf) {
    const options = targets.filter((t) => !t.group && anyOf.includes(t.column.field));
    if (options.length > 0 && !options.some((t) => placed.has(t.key))) {
      throw new ApiError('refused', `В файле нет ни одного из столбцов ${quoted(options.map((t) => t.label))} (строка заголовков ${headerRow}).`);
    }
  }
  const instances = new Map<string, Target[]>();
  for (const t of targets) {
    if (!t.group) continue;
    const k = `${t.group.name}.${t.group.n}`;
    instances.set(k, [...(instances.get(k) ?? []), t]);
  }
  for (const members of instances.values()) {
    if (!members.some((t) => placed.has(t.key))) continue;
    const missing = members.find((t) => t.column.required && !placed.has(t.key));
    if (missing) {
      throw new ApiError('refused', `В файле нет обязательного столбца «${missing.label}»: без него не прочитать остальные столбцы этой группы (строка заголовков ${headerRow}).`);
    }
  }
}

export function mapRows(profile: ImportProfile, rows: SheetRow[]): MappedTable {
  if (profile.layout !== 'table') {
    throw new ApiError('refused', `Профиль «${profile.title}» читает файл особым образом, а не по столбцам таблицы.`);
  }
  const targets = targetsOf(profile);
  const lookup = headerLookup(targets);
  const header = findHeaderRow(profile, rows, targets, lookup);

  const placed = new Map<string, number>();
  const columns: Record<string, number> = {};
  const headers: Record<string, string> = {};
  const warnings: MapWarning[] = [];
  header.cells.forEach((cell, index) => {
    const written = cellText(cell);
    const name = normalizeHeader(written);
    if (!name) return;
    const target = lookup.get(name);
    if (!target) warnings.push({ column: written, reason: 'неизвестный столбец пропущен' });
    else if (placed.has(target.key)) warnings.push({ column: written, reason: `столбец повторяется — взят первый, столбец ${placed.get(target.key)! + 1}` });
    else {
      placed.set(target.key, index);
      columns[target.key] = index;
      headers[target.key] = written;
    }
  });
  checkCompleteness(profile, targets, placed, header.row);

  const present = targets.filter((t) => placed.has(t.key));
  const plain = present.filter((t) => !t.group);
  const grouped = present.filter((t) => t.group);
  const cellAt = (row: SheetRow, t: Target): RawCell => row.cells[placed.get(t.key)!] ?? null;

  const records: MappedRecord[] = [];
  for (const row of rows) {
    if (row.row <= header.row) continue;
    if (present.every((t) => isEmptyCell(cellAt(row, t)))) continue;
    // Long lists repeat the header row on every printed page; such a row is not a record.
    if (present.every((t) => normalizeHeader(cellText(cellAt(row, t))) === normalizeHeader(headers[t.key]!))) continue;

    const problems: CellProblem[] = [];
    const convert = (t: Target, into: RecordValues) => {
      const cell = cellAt(row, t);
      const field = t.column.field;
      if (isEmptyCell(cell)) {
        into[field] = null;
        if (t.column.required) problems.push({ row: row.row, column: headers[t.key]!, reason: 'обязательное поле не заполнено' });
        return;
      }
      const result = convertCell(t.column.convert, cell);
      into[field] = result.ok ? result.value : null;
      if (!result.ok) problems.push({ row: row.row, column: headers[t.key]!, reason: result.reason });
    };

    const values: RecordValues = {};
    for (const t of plain) convert(t, values);
    const groups: Record<string, GroupInstance[]> = Object.fromEntries((profile.repeatGroups ?? []).map((g) => [g.group, []]));
    for (const g of profile.repeatGroups ?? []) {
      for (const n of g.n) {
        const members = grouped.filter((t) => t.group!.name === g.group && t.group!.n === n);
        if (members.every((t) => isEmptyCell(cellAt(row, t)))) continue;
        const instance: GroupInstance = { n, values: {} };
        for (const t of members) convert(t, instance.values);
        groups[g.group]!.push(instance);
      }
    }
    records.push({ row: row.row, values, groups, problems });
  }
  return { headerRow: header.row, columns, headers, warnings, records };
}
