import { z } from 'zod';
import { ApiError } from '../api/errors';
import { CONVERSION_NAMES, type ConversionName } from './conversions';
import { ENTITIES, IMPORT_ENTITIES, type EntitySpec, type FieldSpec } from './entities';
import { GROUP_PLACEHOLDER, groupHeader, normalizeHeader } from './headers';

/**
 * An import profile is data: which file kinds it reads, which sheet, where the header row is,
 * which column is which field and how each value is converted. Built-in profiles and the ones a
 * user saves from the mapping screen share this schema, and profiles travel as JSON files
 * (profileToJson / profileFromJson), so everything here is checked with Russian messages that
 * name the path of the offending value.
 *
 * Layouts: 'table' profiles map columns (mapRows in main/exchange/map.ts). 'journal-report' and
 * 'kiasuo-package' describe files whose reading is special (a block per pupil, a ZIP of JSON);
 * they carry only metadata here and no columns.
 */

export const PROFILE_VERSION = 1;
export const FILE_KINDS = ['xlsx', 'csv', 'zip-json'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const LAYOUTS = ['table', 'journal-report', 'kiasuo-package'] as const;
export type ProfileLayout = (typeof LAYOUTS)[number];
/** How a pupil found in a file is matched to one in the app: by СНИЛС, or by full name and birth date. */
export const MATCH_KEYS = ['snils', 'nameBirth'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

/** Header search starts at the top and looks this many non-empty rows down unless the profile says otherwise. */
export const DEFAULT_HEADER_SEARCH_ROWS = 50;
/** A profile file larger than this is not a profile. */
export const MAX_PROFILE_JSON_CHARS = 1_000_000;

const TYPE_NAMES: Record<string, string> = {
  string: 'строка',
  number: 'число',
  int: 'целое число',
  boolean: 'да/нет (true или false)',
  array: 'список',
  object: 'объект',
};

/** Russian messages for the generic checks; the specific ones are written at the schema. */
const ruError: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'обязательное поле не указано' : `ожидается ${TYPE_NAMES[iss.expected] ?? iss.expected}`;
    case 'unrecognized_keys':
      return iss.keys.length === 1 ? `лишнее поле «${iss.keys[0]}»` : `лишние поля ${iss.keys.map((k) => `«${k}»`).join(', ')}`;
    case 'too_small':
      if (iss.origin === 'array') return `нужно не меньше ${String(iss.minimum)} элемент(ов)`;
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? 'пустая строка' : `не короче ${String(iss.minimum)} символов`;
      return `не меньше ${String(iss.minimum)}`;
    case 'too_big':
      if (iss.origin === 'array') return `не больше ${String(iss.maximum)} элемент(ов)`;
      if (iss.origin === 'string') return `не длиннее ${String(iss.maximum)} символов`;
      return `не больше ${String(iss.maximum)}`;
    case 'invalid_value':
      return `допустимые значения: ${iss.values.map((v) => `«${String(v)}»`).join(', ')}`;
    case 'invalid_union':
      return 'значение не подходит ни под один из допустимых видов';
    default:
      return 'неверное значение';
  }
};

const conversionSchema = z.enum(CONVERSION_NAMES, {
  error: (iss) => `неизвестное преобразование «${String(iss.input)}»; допустимые: ${CONVERSION_NAMES.join(', ')}`,
});
const entitySchema = z.enum(IMPORT_ENTITIES, {
  error: (iss) => `неизвестный вид данных «${String(iss.input)}»; допустимые: ${IMPORT_ENTITIES.join(', ')}`,
});
const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'имя поля — латинские буквы и цифры, с маленькой буквы');
const headerText = z
  .string()
  .max(200)
  .refine((h) => normalizeHeader(h) !== '', 'пустой заголовок');

export const profileColumnSchema = z
  .object({
    field: fieldName,
    /** Accepted header names (alternatives); the first is the one written in new files and messages. */
    headers: z.array(headerText).min(1).max(20),
    /** A required column must be in the file and filled in every row (in a repeat group: in every filled instance). */
    required: z.boolean(),
    convert: conversionSchema,
  })
  .strict();
export type ProfileColumn = z.infer<typeof profileColumnSchema>;

export const repeatGroupSchema = z
  .object({
    /** The group's key in the entity catalog, e.g. 'guardians'. */
    group: fieldName,
    /** The numbers the placeholder {n} takes, e.g. [1, 2]. */
    n: z.array(z.number().int().min(1).max(20)).min(1).max(20),
    /** Headers hold {n}: «Представитель {n}: Фамилия». A group's columns are never required in the file. */
    columns: z.array(profileColumnSchema).min(1).max(50),
  })
  .strict();
export type RepeatGroup = z.infer<typeof repeatGroupSchema>;

export const headerSearchSchema = z
  .object({
    /** Look for the header row among this many non-empty rows from the top. */
    maxRows: z.number().int().min(1).max(1000).optional(),
    /** The header row is exactly this spreadsheet row (chosen on the preview). */
    row: z.number().int().min(1).max(1_048_576).optional(),
  })
  .strict();

const profileObject = z
  .object({
    version: z.literal(PROFILE_VERSION, { error: `неизвестная версия профиля: ожидается ${PROFILE_VERSION}` }),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'идентификатор — латинские строчные буквы, цифры и дефис, до 64 символов'),
    title: z.string().trim().min(1).max(200),
    /** The built-in profile this one was copied from (user profiles). */
    basedOn: z.string().max(64).optional(),
    entity: entitySchema,
    layout: z.enum(LAYOUTS),
    fileKinds: z.array(z.enum(FILE_KINDS)).min(1).max(FILE_KINDS.length),
    /** A sheet name, or its position counting from 1; the first sheet when absent. */
    sheet: z.union([z.string().trim().min(1).max(31), z.number().int().min(1).max(1000)]).optional(),
    headerSearch: headerSearchSchema.optional(),
    columns: z.array(profileColumnSchema).max(200),
    repeatGroups: z.array(repeatGroupSchema).max(10).optional(),
    match: z.array(z.enum(MATCH_KEYS)).max(MATCH_KEYS.length),
  })
  .strict();

type Ctx = z.core.$RefinementCtx<z.infer<typeof profileObject>>;
type Path = (string | number)[];

function issue(ctx: Ctx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

function checkLayout(p: z.infer<typeof profileObject>, spec: EntitySpec, ctx: Ctx): void {
  const kinds = new Set(p.fileKinds);
  if (kinds.size !== p.fileKinds.length) issue(ctx, ['fileKinds'], 'вид файла указан дважды');
  if (p.layout === 'table') {
    if (spec.tableless) issue(ctx, ['layout'], `данные «${spec.label}» читаются особым образом, а не по столбцам таблицы`);
    if (kinds.has('zip-json')) issue(ctx, ['fileKinds'], 'табличный профиль читает только xlsx и csv');
    if (p.columns.length === 0) issue(ctx, ['columns'], 'табличному профилю нужен хотя бы один столбец');
    return;
  }
  const wanted = p.layout === 'journal-report' ? { entity: 'journal', kind: 'xlsx' } : { entity: 'kiasuo', kind: 'zip-json' };
  if (p.entity !== wanted.entity) issue(ctx, ['entity'], `раскладка «${p.layout}» относится к данным «${wanted.entity}»`);
  if (p.fileKinds.some((k) => k !== wanted.kind)) issue(ctx, ['fileKinds'], `раскладка «${p.layout}» читает только ${wanted.kind}`);
  if (p.columns.length > 0) issue(ctx, ['columns'], `у раскладки «${p.layout}» нет столбцов`);
  if (p.repeatGroups?.length) issue(ctx, ['repeatGroups'], `у раскладки «${p.layout}» нет повторяющихся групп`);
}

/** Field known, not repeated, converted the way the importer needs, essential ones required. */
function checkColumns(columns: ProfileColumn[], fields: Readonly<Record<string, FieldSpec>>, where: string, base: Path, ctx: Ctx): void {
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    const spec = Object.hasOwn(fields, c.field) ? fields[c.field] : undefined;
    if (!spec) {
      issue(ctx, [...base, i, 'field'], `поле «${c.field}» не относится к данным «${where}»; допустимые: ${Object.keys(fields).join(', ')}`);
      return;
    }
    if (seen.has(c.field)) issue(ctx, [...base, i, 'field'], `поле «${c.field}» указано дважды`);
    seen.add(c.field);
    if (!spec.converts.includes(c.convert)) {
      issue(ctx, [...base, i, 'convert'], `поле «${c.field}» (${spec.label}) ожидает преобразование «${spec.converts.join('» или «')}», а указано «${c.convert}»`);
    }
    if (spec.essential && !c.required) issue(ctx, [...base, i, 'required'], `поле «${c.field}» (${spec.label}) должно быть обязательным`);
  });
  for (const [field, spec] of Object.entries(fields)) {
    if (spec.essential && !seen.has(field)) issue(ctx, base, `нет обязательного поля «${field}» (${spec.label}) для данных «${where}»`);
  }
}

/** No two columns may accept the same header: the file's column would be claimed twice. */
function checkHeaders(p: z.infer<typeof profileObject>, ctx: Ctx): void {
  const owners = new Map<string, string>();
  const claim = (header: string, owner: string, path: Path) => {
    const key = normalizeHeader(header);
    const prev = owners.get(key);
    if (prev !== undefined && prev !== owner) issue(ctx, path, `заголовок «${header}» уже отнесён к полю «${prev}»`);
    else owners.set(key, owner);
  };
  p.columns.forEach((c, i) =>
    c.headers.forEach((h, j) => {
      if (h.includes(GROUP_PLACEHOLDER)) issue(ctx, ['columns', i, 'headers', j], `${GROUP_PLACEHOLDER} бывает только в заголовках повторяющейся группы`);
      claim(h, c.field, ['columns', i, 'headers', j]);
    }),
  );
  p.repeatGroups?.forEach((g, gi) =>
    g.columns.forEach((c, i) =>
      c.headers.forEach((h, j) => {
        const path = ['repeatGroups', gi, 'columns', i, 'headers', j];
        if (!h.includes(GROUP_PLACEHOLDER)) {
          issue(ctx, path, `заголовок столбца группы должен содержать ${GROUP_PLACEHOLDER} — место номера, например «Представитель ${GROUP_PLACEHOLDER}: Фамилия»`);
          return;
        }
        for (const n of g.n) claim(groupHeader(h, n), `${g.group}.${n}.${c.field}`, path);
      }),
    ),
  );
}

function checkGroups(p: z.infer<typeof profileObject>, spec: EntitySpec, ctx: Ctx): void {
  const seen = new Set<string>();
  p.repeatGroups?.forEach((g, gi) => {
    const gspec = Object.hasOwn(spec.groups, g.group) ? spec.groups[g.group] : undefined;
    if (!gspec) {
      const known = Object.keys(spec.groups);
      issue(ctx, ['repeatGroups', gi, 'group'], `группа «${g.group}» не относится к данным «${spec.label}»${known.length ? `; допустимые: ${known.join(', ')}` : ''}`);
      return;
    }
    if (seen.has(g.group)) issue(ctx, ['repeatGroups', gi, 'group'], `группа «${g.group}» указана дважды`);
    seen.add(g.group);
    if (new Set(g.n).size !== g.n.length) issue(ctx, ['repeatGroups', gi, 'n'], 'номер указан дважды');
    if (g.n.some((n) => n > gspec.maxCount)) issue(ctx, ['repeatGroups', gi, 'n'], `номер не больше ${gspec.maxCount}`);
    checkColumns(g.columns, gspec.fields, gspec.label, ['repeatGroups', gi, 'columns'], ctx);
  });
}

function checkMatch(p: z.infer<typeof profileObject>, ctx: Ctx): void {
  const fields = new Set(p.columns.map((c) => c.field));
  if (new Set(p.match).size !== p.match.length) issue(ctx, ['match'], 'способ сопоставления указан дважды');
  p.match.forEach((m, i) => {
    const need = m === 'snils' ? ['snils'] : ['lastName', 'firstName', 'birthDate'];
    const missing = need.filter((f) => !fields.has(f));
    if (missing.length) issue(ctx, ['match', i], `сопоставление «${m}» требует столбцов ${missing.map((f) => `«${f}»`).join(', ')}`);
  });
}

export const profileSchema = profileObject.superRefine((p, ctx) => {
  const spec = ENTITIES[p.entity];
  checkLayout(p, spec, ctx);
  if (p.layout !== 'table' || spec.tableless) return;
  checkColumns(p.columns, spec.fields, spec.label, ['columns'], ctx);
  checkGroups(p, spec, ctx);
  checkHeaders(p, ctx);
  checkMatch(p, ctx);
  if (spec.anyOf && !p.columns.some((c) => spec.anyOf!.includes(c.field))) {
    issue(ctx, ['columns'], `нужен хотя бы один из столбцов: ${spec.anyOf.map((f) => spec.fields[f]?.label ?? f).join(', ')}`);
  }
});
export type ImportProfile = z.infer<typeof profileSchema>;

/** 'columns[2].convert' for a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(профиль целиком)';
}

export interface ProfileProblem {
  path: string;
  message: string;
}

/** Checks a profile with Russian messages; the mapping screen uses this too. */
export function checkProfile(value: unknown): { ok: true; profile: ImportProfile } | { ok: false; problems: ProfileProblem[] } {
  const result = profileSchema.safeParse(value, { error: ruError });
  if (result.success) return { ok: true, profile: result.data };
  return { ok: false, problems: result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
}

/** A profile from a JSON file; ApiError('refused') naming every problem by its path. */
export function profileFromJson(text: string): ImportProfile {
  if (text.length > MAX_PROFILE_JSON_CHARS) throw new ApiError('refused', 'Файл профиля импорта слишком большой (больше 1 МБ): это не профиль.');
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ApiError('refused', 'Файл профиля импорта не читается как JSON. Выберите файл, сохранённый программой.');
  }
  const checked = checkProfile(value);
  if (checked.ok) return checked.profile;
  const fields = Object.fromEntries(checked.problems.map((p) => [p.path, p.message]));
  const list = checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new ApiError('refused', `Профиль импорта не принят: ${list}.`, fields);
}

/** The profile as a JSON file (stable key order, readable). */
export function profileToJson(profile: ImportProfile): string {
  return `${JSON.stringify(profileSchema.parse(profile), null, 2)}\n`;
}

/** The headers of a column as they are matched, with a group's number filled in. */
export function columnHeaders(column: ProfileColumn, n?: number): string[] {
  return n === undefined ? column.headers : column.headers.map((h) => groupHeader(h, n));
}

export type { ConversionName };
