import { ENTITIES } from '../../../../common/exchange/entities';
import { checkProfile, type ImportProfile, type ProfileProblem } from '../../../../common/exchange/profile';
import { normalizeHeader } from '../../../../common/exchange/headers';

/**
 * The pure part of the mapping screen: where the header row of a preview is, which file column
 * each field of a profile takes, and the user profile made from the user's choices. The names
 * are compared exactly as the importer compares them (normalizeHeader), so what the screen
 * pre-fills is what the import will find.
 */

export interface PreviewRow {
  row: number;
  cells: string[];
}

export interface FileColumn {
  /** Index of the cell in the row, from 0. */
  index: number;
  /** The header as written in the file. */
  text: string;
  /** Text for the column select: the header, with its column letter when two headers read the same. */
  label: string;
}

/** Field → chosen column index as a string, '' when none. */
export type Mapping = Record<string, string>;

export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Every header the profile knows (with the group numbers filled in), normalised. */
function knownHeaders(profile: ImportProfile): Set<string> {
  const out = new Set<string>();
  for (const c of profile.columns) for (const h of c.headers) out.add(normalizeHeader(h));
  for (const g of profile.repeatGroups ?? []) for (const c of g.columns) for (const n of g.n) for (const h of c.headers) out.add(normalizeHeader(h.split('{n}').join(String(n))));
  return out;
}

/**
 * The header row: the one the profile fixes, else the row holding most of the profile's headers
 * (the first of equals). With a renamed required column the importer's own rule (all required
 * headers) finds nothing, yet the user still needs the row to map from.
 */
export function findHeaderRow(profile: ImportProfile, rows: readonly PreviewRow[]): PreviewRow | null {
  const fixed = profile.headerSearch?.row;
  if (fixed !== undefined) return rows.find((r) => r.row === fixed) ?? null;
  const known = knownHeaders(profile);
  let best: PreviewRow | null = null;
  let bestScore = 0;
  for (const r of rows) {
    const score = r.cells.filter((c) => c !== '' && known.has(normalizeHeader(c))).length;
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

export function fileColumns(header: PreviewRow | null): FileColumn[] {
  if (!header) return [];
  const filled = header.cells.map((text, index) => ({ index, text })).filter((c) => normalizeHeader(c.text) !== '');
  const seen = new Map<string, number>();
  for (const c of filled) seen.set(normalizeHeader(c.text), (seen.get(normalizeHeader(c.text)) ?? 0) + 1);
  return filled.map((c) => ({ ...c, label: (seen.get(normalizeHeader(c.text)) ?? 0) > 1 ? `${c.text} (столбец ${columnLetter(c.index)})` : c.text }));
}

/** What the profile's own header names find in the file. */
export function defaultMapping(profile: ImportProfile, columns: readonly FileColumn[]): Mapping {
  const out: Mapping = {};
  for (const c of profile.columns) {
    const names = new Set(c.headers.map(normalizeHeader));
    const found = columns.find((f) => names.has(normalizeHeader(f.text)));
    out[c.field] = found ? String(found.index) : '';
  }
  return out;
}

export function fieldLabel(profile: ImportProfile, field: string): string {
  const fields = ENTITIES[profile.entity].fields;
  return Object.hasOwn(fields, field) ? fields[field]!.label : field;
}

/** Russian problems of the choices themselves, by field: a required field without a column, a column taken twice. */
export function mappingErrors(profile: ImportProfile, mapping: Mapping, columns: readonly FileColumn[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const owner = new Map<string, string>();
  for (const c of profile.columns) {
    const chosen = mapping[c.field] ?? '';
    if (chosen === '') {
      if (c.required) errors[c.field] = 'обязательное поле: выберите столбец файла';
      continue;
    }
    const prev = owner.get(chosen);
    const header = columns.find((f) => String(f.index) === chosen)?.text ?? chosen;
    if (prev !== undefined) errors[c.field] = `столбец «${header}» уже выбран для поля «${fieldLabel(profile, prev)}»`;
    else owner.set(chosen, c.field);
  }
  return errors;
}

export function mappingChanged(defaults: Mapping, mapping: Mapping): boolean {
  return Object.keys(mapping).some((field) => (mapping[field] ?? '') !== (defaults[field] ?? ''));
}

/**
 * The user's profile: a copy of the base one whose changed columns take the file's header text
 * (an optional field set to «не загружать» is left out). Checked like any profile file.
 */
export function buildUserProfile(
  base: ImportProfile,
  defaults: Mapping,
  mapping: Mapping,
  columns: readonly FileColumn[],
  now = Date.now(),
): { ok: true; profile: ImportProfile } | { ok: false; problems: ProfileProblem[] } {
  const out: ImportProfile['columns'] = [];
  for (const c of base.columns) {
    const chosen = mapping[c.field] ?? '';
    if (chosen === (defaults[c.field] ?? '')) {
      out.push(structuredClone(c));
      continue;
    }
    if (chosen === '') continue;
    const header = columns.find((f) => String(f.index) === chosen)?.text ?? '';
    out.push({ ...structuredClone(c), headers: [header.trim()] });
  }
  const builtIn = base.basedOn ?? base.id;
  const title = base.basedOn ? base.title : `${base.title} (свой)`;
  const candidate: ImportProfile = { ...structuredClone(base), id: `user-${now}`, title, basedOn: builtIn, columns: out };
  return checkProfile(candidate);
}

/** What the mapping step hands up: the profile to import with (null: the built-in one by its id) and whether it is usable. */
export interface MappingState {
  profile: ImportProfile | null;
  ready: boolean;
}

/** Report entities in Russian. */
export const ENTITY_TITLES: Record<string, string> = {
  pupils: 'Обучающиеся',
  guardians: 'Представители',
  codes: 'Коды доступа',
  classes: 'Классы',
  periods: 'Учебные периоды',
  lessons: 'Уроки',
  marks: 'Отметки',
  attendance: 'Посещаемость',
  finalMarks: 'Итоговые отметки',
};
