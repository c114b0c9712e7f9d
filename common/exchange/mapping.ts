import { ENTITIES } from './entities';
import { checkProfile, type ImportProfile, type ProfileProblem, type RepeatGroup } from './profile';
import { GROUP_PLACEHOLDER, groupHeader, normalizeHeader } from './headers';

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

/**
 * Field → chosen column index as a string, '' when none. A repeat group's field of instance n is
 * keyed 'guardians.1.lastName' (the importer's own key; a plain field name never holds a dot).
 */
export type Mapping = Record<string, string>;

export function groupKey(group: string, n: number, field: string): string {
  return `${group}.${n}.${field}`;
}

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

/**
 * The instance numbers the screen offers for a group: the profile's own, and as many more (up to
 * the entity's limit) as the user added with «Добавить представителя».
 */
export function groupNumbers(profile: ImportProfile, group: RepeatGroup, extra = 0): number[] {
  const max = ENTITIES[profile.entity].groups[group.group]?.maxCount ?? Math.max(...group.n);
  const shown = new Set(group.n);
  for (let n = 1; shown.size < group.n.length + extra && n <= max; n += 1) shown.add(n);
  return [...shown].sort((a, b) => a - b);
}

/** What the profile's own header names find in the file (as the importer does: the first column of a name). */
export function defaultMapping(profile: ImportProfile, columns: readonly FileColumn[], extra: Readonly<Record<string, number>> = {}): Mapping {
  const out: Mapping = {};
  const find = (headers: readonly string[]) => {
    const names = new Set(headers.map(normalizeHeader));
    const found = columns.find((f) => names.has(normalizeHeader(f.text)));
    return found ? String(found.index) : '';
  };
  for (const c of profile.columns) out[c.field] = find(c.headers);
  for (const g of profile.repeatGroups ?? []) {
    for (const n of groupNumbers(profile, g, extra[g.group] ?? 0)) {
      for (const c of g.columns) out[groupKey(g.group, n, c.field)] = g.n.includes(n) ? find(c.headers.map((h) => groupHeader(h, n))) : '';
    }
  }
  return out;
}

/** 'lastName' → «Фамилия»; 'guardians.1.lastName' → «Представитель 1: Фамилия». */
export function fieldLabel(profile: ImportProfile, field: string): string {
  const spec = ENTITIES[profile.entity];
  const [group, n, inner] = field.split('.');
  if (inner !== undefined && n !== undefined && group !== undefined && Object.hasOwn(spec.groups, group)) {
    const g = spec.groups[group]!;
    return `${g.label} ${n}: ${Object.hasOwn(g.fields, inner) ? g.fields[inner]!.label : inner}`;
  }
  return Object.hasOwn(spec.fields, field) ? spec.fields[field]!.label : field;
}

/** The label of a repeat group's field alone (inside the instance's own box): «Фамилия». */
export function groupFieldLabel(profile: ImportProfile, group: string, field: string): string {
  const g = ENTITIES[profile.entity].groups[group];
  return g && Object.hasOwn(g.fields, field) ? g.fields[field]!.label : field;
}

/** «Представитель». */
export function groupLabel(profile: ImportProfile, group: string): string {
  return ENTITIES[profile.entity].groups[group]?.label ?? group;
}

/** Russian problems of the choices themselves, by field: a required field without a column, a column taken twice. */
export function mappingErrors(profile: ImportProfile, mapping: Mapping, columns: readonly FileColumn[], extra: Readonly<Record<string, number>> = {}): Record<string, string> {
  const errors: Record<string, string> = {};
  const owner = new Map<string, string>();
  const claim = (key: string, chosen: string) => {
    const prev = owner.get(chosen);
    const header = columns.find((f) => String(f.index) === chosen)?.text ?? chosen;
    if (prev !== undefined) errors[key] = `столбец «${header}» уже выбран для поля «${fieldLabel(profile, prev)}»`;
    else owner.set(chosen, key);
  };
  for (const c of profile.columns) {
    const chosen = mapping[c.field] ?? '';
    if (chosen === '') {
      if (c.required) errors[c.field] = 'обязательное поле: выберите столбец файла';
      continue;
    }
    claim(c.field, chosen);
  }
  // A group's instance is optional as a whole; once any of its columns is chosen, its required fields are too.
  for (const g of profile.repeatGroups ?? []) {
    for (const n of groupNumbers(profile, g, extra[g.group] ?? 0)) {
      const used = g.columns.some((c) => (mapping[groupKey(g.group, n, c.field)] ?? '') !== '');
      for (const c of g.columns) {
        const key = groupKey(g.group, n, c.field);
        const chosen = mapping[key] ?? '';
        if (chosen === '') {
          if (used && c.required) errors[key] = `обязательное поле, раз загружаются другие столбцы: ${groupLabel(profile, g.group).toLowerCase()} ${n}`;
          continue;
        }
        claim(key, chosen);
      }
    }
  }
  return errors;
}

export function mappingChanged(defaults: Mapping, mapping: Mapping): boolean {
  return Object.keys(mapping).some((field) => (mapping[field] ?? '') !== (defaults[field] ?? ''));
}

/**
 * The header template of a group's column from the file's header of instance n: the number n
 * written in the header («Родитель 1 фамилия») becomes {n} («Родитель {n} фамилия»). Null when
 * the header does not hold the number: the profile could not tell instances apart by it.
 */
export function headerTemplate(header: string, n: number): string | null {
  const number = new RegExp(`(?<!\\d)${n}(?!\\d)`, 'g');
  const found = header.trim().match(number);
  if (!found || found.length !== 1) return null;
  return header.trim().replace(number, GROUP_PLACEHOLDER);
}

type GroupBuild = { ok: true; group: RepeatGroup | null } | { ok: false; problems: ProfileProblem[] };

/** A repeat group rebuilt from the choices of its instances; unchanged choices keep the group as it was. */
function buildGroup(
  base: ImportProfile,
  g: RepeatGroup,
  gi: number,
  defaults: Mapping,
  mapping: Mapping,
  columns: readonly FileColumn[],
  extra: number,
): GroupBuild {
  const numbers = groupNumbers(base, g, extra);
  const keys = numbers.flatMap((n) => g.columns.map((c) => groupKey(g.group, n, c.field)));
  if (keys.every((k) => (mapping[k] ?? '') === (defaults[k] ?? ''))) return { ok: true, group: structuredClone(g) };
  const used = numbers.filter((n) => g.columns.some((c) => (mapping[groupKey(g.group, n, c.field)] ?? '') !== ''));
  if (used.length === 0) return { ok: true, group: null };
  const problems: ProfileProblem[] = [];
  const out: RepeatGroup['columns'] = [];
  g.columns.forEach((c, ci) => {
    const templates = new Set<string>();
    for (const n of used) {
      const chosen = mapping[groupKey(g.group, n, c.field)] ?? '';
      if (chosen === '') continue;
      const header = columns.find((f) => String(f.index) === chosen)?.text ?? '';
      const template = headerTemplate(header, n);
      if (template === null) {
        problems.push({
          path: `repeatGroups[${gi}].columns[${ci}]`,
          message: `${fieldLabel(base, groupKey(g.group, n, c.field))}: в названии столбца «${header.trim()}» нет номера ${n} (или он встречается дважды) — профиль различает представителей по номеру в названии. Переименуйте столбец в файле, например «${groupHeader(c.headers[0]!, n)}».`,
        });
        continue;
      }
      templates.add(template);
    }
    if (templates.size > 0) out.push({ ...structuredClone(c), headers: [...templates] });
  });
  if (problems.length) return { ok: false, problems };
  return { ok: true, group: { ...structuredClone(g), n: used, columns: out } };
}

/**
 * The user's profile: a copy of the base one whose changed columns take the file's header text
 * (an optional field set to «не загружать» is left out). A repeat group whose choices changed
 * takes header templates made from the chosen headers (see headerTemplate) and the numbers of the
 * instances that have a column. Checked like any profile file, and then once more against the
 * file: the names must find exactly the chosen columns, since the importer goes by names only.
 */
export function buildUserProfile(
  base: ImportProfile,
  defaults: Mapping,
  mapping: Mapping,
  columns: readonly FileColumn[],
  now = Date.now(),
  extra: Readonly<Record<string, number>> = {},
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
  const groups: RepeatGroup[] = [];
  const problems: ProfileProblem[] = [];
  (base.repeatGroups ?? []).forEach((g, gi) => {
    const built = buildGroup(base, g, gi, defaults, mapping, columns, extra[g.group] ?? 0);
    if (!built.ok) problems.push(...built.problems);
    else if (built.group) groups.push(built.group);
  });
  if (problems.length) return { ok: false, problems };
  const builtIn = base.basedOn ?? base.id;
  const title = base.basedOn ? base.title : `${base.title} (свой)`;
  const candidate: ImportProfile = { ...structuredClone(base), id: `user-${now}`, title, basedOn: builtIn, columns: out };
  if (groups.length) candidate.repeatGroups = groups;
  else delete candidate.repeatGroups;
  const checked = checkProfile(candidate);
  if (!checked.ok) return checked;
  const found = defaultMapping(checked.profile, columns);
  const mismatched = Object.keys(mapping).filter((k) => k.includes('.') && (mapping[k] ?? '') !== (found[k] ?? ''));
  if (mismatched.length) {
    return {
      ok: false,
      problems: mismatched.map((k) => {
        const took = columns.find((f) => String(f.index) === (found[k] ?? ''))?.text;
        return {
          path: k,
          message: `${fieldLabel(base, k)}: по названиям столбцов профиль возьмёт ${took ? `«${took}»` : 'ничего'}, а выбрано другое. Выберите столбцы с одинаковыми названиями, различающимися только номером представителя.`,
        };
      }),
    };
  }
  return checked;
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
