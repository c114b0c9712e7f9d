import type { ConversionName } from '../../../common/exchange/conversions';
import { FINAL_MARK_PERIODS } from '../../../common/exchange/entities';
import { profileSchema, type ImportProfile, type ProfileColumn } from '../../../common/exchange/profile';

/**
 * The built-in import profiles of formats.md, as data. `roster`, `access-codes`, `lessons` and
 * `final-marks` are table profiles read by mapRows; `journal-report` and `kiasuo` are special
 * layouts (a block per pupil on a sheet; a package of JSON files) whose readers live elsewhere —
 * they are listed here for their metadata (title, file kinds, entity) and have no columns.
 * A user profile starts as a copy of one of these (see copyProfile).
 */

const col = (field: string, header: string | string[], convert: ConversionName, required = false): ProfileColumn => ({
  field,
  headers: Array.isArray(header) ? header : [header],
  required,
  convert,
});

const PERSON_OF_PUPIL = [
  col('classLabel', 'Класс', 'classLabel', true),
  col('lastName', 'Фамилия', 'text', true),
  col('firstName', 'Имя', 'text', true),
  col('middleName', 'Отчество', 'text'),
  col('birthDate', 'Дата рождения', 'date', true),
];

const roster: ImportProfile = {
  version: 1,
  id: 'roster',
  title: 'Список обучающихся',
  entity: 'pupils',
  layout: 'table',
  fileKinds: ['xlsx', 'csv'],
  columns: [
    ...PERSON_OF_PUPIL,
    col('gender', 'Пол', 'gender'),
    col('snils', 'СНИЛС', 'snils'),
    col('docKind', 'Вид документа', 'documentKind'),
    col('docSeries', 'Серия документа', 'text'),
    col('docNumber', 'Номер документа', 'text'),
    col('docIssuedOn', 'Дата выдачи документа', 'date'),
    col('docIssuedBy', 'Кем выдан', 'text'),
    col('regAddress', 'Адрес регистрации', 'text'),
    col('liveAddress', 'Адрес проживания', 'text'),
    col('phone', 'Телефон', 'phone'),
    col('email', ['E-mail', 'Email', 'Электронная почта'], 'email'),
    col('admissionDate', 'Дата зачисления', 'date'),
    col('admissionOrder', '№ приказа о зачислении', 'text'),
  ],
  repeatGroups: [
    {
      group: 'guardians',
      n: [1, 2],
      columns: [
        col('lastName', 'Представитель {n}: Фамилия', 'text', true),
        col('firstName', 'Представитель {n}: Имя', 'text', true),
        col('middleName', 'Представитель {n}: Отчество', 'text'),
        col('kinship', 'Представитель {n}: Степень родства', 'kinship'),
        col('phone', 'Представитель {n}: Телефон', 'phone'),
        col('email', ['Представитель {n}: E-mail', 'Представитель {n}: Email'], 'email'),
        col('snils', 'Представитель {n}: СНИЛС', 'snils'),
      ],
    },
  ],
  match: ['snils', 'nameBirth'],
};

const accessCodes: ImportProfile = {
  version: 1,
  id: 'access-codes',
  title: 'Коды доступа',
  entity: 'codes',
  layout: 'table',
  fileKinds: ['xlsx', 'csv'],
  columns: [
    ...PERSON_OF_PUPIL,
    col('role', 'Роль', 'accessRole', true),
    col('guardian', 'Представитель', 'text'),
    col('code', 'Код', 'text', true),
    col('validUntil', 'Действует до', 'date'),
  ],
  match: ['nameBirth'],
};

const lessons: ImportProfile = {
  version: 1,
  id: 'lessons',
  title: 'Темы уроков и домашние задания',
  entity: 'lessons',
  layout: 'table',
  fileKinds: ['xlsx', 'csv'],
  columns: [
    col('classLabel', 'Класс', 'classLabel', true),
    col('subject', 'Предмет', 'text', true),
    col('date', 'Дата', 'date', true),
    col('topic', 'Тема урока', 'text', true),
    col('group', 'Группа', 'text'),
    col('lessonNumber', 'Номер урока', 'integer'),
    col('teacher', 'Учитель', 'text'),
    col('homework', 'Домашнее задание', 'text'),
    col('substitute', 'Замена', 'text'),
  ],
  match: [],
};

const finalMarks: ImportProfile = {
  version: 1,
  id: 'final-marks',
  title: 'Итоговые отметки',
  entity: 'finalMarks',
  layout: 'table',
  fileKinds: ['xlsx', 'csv'],
  columns: [
    ...PERSON_OF_PUPIL,
    col('subject', 'Предмет', 'text', true),
    ...Object.entries(FINAL_MARK_PERIODS).map(([field, header]) => col(field, header, 'finalMark')),
  ],
  match: ['nameBirth'],
};

const journalReport: ImportProfile = {
  version: 1,
  id: 'journal-report',
  title: 'Отчёт об успеваемости и посещаемости ученика (весь класс)',
  entity: 'journal',
  layout: 'journal-report',
  fileKinds: ['xlsx'],
  columns: [],
  match: ['nameBirth'],
};

const kiasuo: ImportProfile = {
  version: 1,
  id: 'kiasuo',
  title: 'Пакет данных КИАСУО',
  entity: 'kiasuo',
  layout: 'kiasuo-package',
  fileKinds: ['zip-json'],
  columns: [],
  match: [],
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Checked once at load (a built-in that fails its own schema is a programming error) and frozen: callers copy, never edit. */
export const BUILTIN_PROFILES: readonly ImportProfile[] = [roster, accessCodes, journalReport, lessons, finalMarks, kiasuo].map((p) =>
  deepFreeze(profileSchema.parse(p)),
);

export type BuiltinProfileId = 'roster' | 'access-codes' | 'journal-report' | 'lessons' | 'final-marks' | 'kiasuo';

export function builtinProfile(id: BuiltinProfileId): ImportProfile;
export function builtinProfile(id: string): ImportProfile | undefined;
export function builtinProfile(id: string): ImportProfile | undefined {
  return BUILTIN_PROFILES.find((p) => p.id === id);
}

export function isBuiltinProfileId(id: string): id is BuiltinProfileId {
  return BUILTIN_PROFILES.some((p) => p.id === id);
}

/** A deep copy of a profile under a new id and title, to be edited on the mapping screen and saved. */
export function copyProfile(source: ImportProfile, id: string, title: string): ImportProfile {
  const copy = structuredClone(source) as ImportProfile;
  return { ...copy, id, title, basedOn: source.basedOn ?? source.id };
}
