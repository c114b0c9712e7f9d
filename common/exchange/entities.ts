import type { ConversionName } from './conversions';

/**
 * What each import entity can take from a table: its fields, the conversion each field needs,
 * and which fields an importer cannot do without. A profile (built-in or made by the user on the
 * mapping screen) is checked against this catalog, so a saved profile can never hand the
 * importer a field it does not know or a value of the wrong kind.
 */

export const IMPORT_ENTITIES = ['pupils', 'codes', 'lessons', 'journal', 'finalMarks', 'kiasuo'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

export interface FieldSpec {
  /** Russian name shown on the mapping screen and in messages. */
  label: string;
  /** The conversions that give this field the value the importer expects (the first is the usual one). */
  converts: readonly ConversionName[];
  /** The importer cannot work without it: a table profile must have it as a required column. */
  essential?: boolean;
}

export interface GroupSpec {
  label: string;
  /** At most this many instances (N = 1…max). */
  maxCount: number;
  fields: Readonly<Record<string, FieldSpec>>;
}

export interface EntitySpec {
  label: string;
  /** Read from special layouts only (no columns): the journal report and the КИАСУО package. */
  tableless?: boolean;
  fields: Readonly<Record<string, FieldSpec>>;
  groups: Readonly<Record<string, GroupSpec>>;
  /** At least one of these fields must be a column of the profile and of the file. */
  anyOf?: readonly string[];
}

const text = (label: string, essential = false): FieldSpec => ({ label, converts: ['text'], essential });
const date = (label: string, essential = false): FieldSpec => ({ label, converts: ['date'], essential });
const finalMark = (label: string): FieldSpec => ({ label, converts: ['finalMark'] });
const classLabel: FieldSpec = { label: 'Класс', converts: ['classLabel'], essential: true };

/** The period columns of final marks, in the order of a school year; the field names are the importer's period keys. */
export const FINAL_MARK_PERIODS = {
  quarter1: '1 четверть',
  quarter2: '2 четверть',
  quarter3: '3 четверть',
  quarter4: '4 четверть',
  half1: '1 полугодие',
  half2: '2 полугодие',
  trimester1: '1 триместр',
  trimester2: '2 триместр',
  trimester3: '3 триместр',
  year: 'Год',
  exam: 'Экзамен',
  final: 'Итог',
} as const;
export type FinalMarkPeriod = keyof typeof FINAL_MARK_PERIODS;

export const ENTITIES: Readonly<Record<ImportEntity, EntitySpec>> = {
  pupils: {
    label: 'Обучающиеся и представители',
    fields: {
      classLabel,
      lastName: text('Фамилия', true),
      firstName: text('Имя', true),
      middleName: text('Отчество'),
      birthDate: date('Дата рождения', true),
      gender: { label: 'Пол', converts: ['gender'] },
      snils: { label: 'СНИЛС', converts: ['snils'] },
      docKind: { label: 'Вид документа', converts: ['documentKind'] },
      docSeries: text('Серия документа'),
      docNumber: text('Номер документа'),
      docIssuedOn: date('Дата выдачи документа'),
      docIssuedBy: text('Кем выдан'),
      regAddress: text('Адрес регистрации'),
      liveAddress: text('Адрес проживания'),
      phone: { label: 'Телефон', converts: ['phone'] },
      email: { label: 'E-mail', converts: ['email'] },
      admissionDate: date('Дата зачисления'),
      admissionOrder: text('№ приказа о зачислении'),
    },
    groups: {
      guardians: {
        label: 'Представитель',
        maxCount: 4,
        fields: {
          lastName: text('Фамилия', true),
          firstName: text('Имя', true),
          middleName: text('Отчество'),
          kinship: { label: 'Степень родства', converts: ['kinship'] },
          phone: { label: 'Телефон', converts: ['phone'] },
          email: { label: 'E-mail', converts: ['email'] },
          snils: { label: 'СНИЛС', converts: ['snils'] },
        },
      },
    },
  },
  codes: {
    label: 'Коды доступа',
    fields: {
      classLabel,
      role: { label: 'Роль', converts: ['accessRole'], essential: true },
      code: text('Код', true),
      lastName: text('Фамилия', true),
      firstName: text('Имя', true),
      middleName: text('Отчество'),
      birthDate: date('Дата рождения', true),
      guardian: text('Представитель (ФИО)'),
      validUntil: date('Действует до'),
    },
    groups: {},
  },
  lessons: {
    label: 'Темы уроков и домашние задания',
    fields: {
      classLabel,
      subject: text('Предмет', true),
      date: date('Дата', true),
      topic: text('Тема урока', true),
      group: text('Группа'),
      lessonNumber: { label: 'Номер урока', converts: ['integer'] },
      teacher: text('Учитель'),
      homework: text('Домашнее задание'),
      substitute: text('Замена'),
    },
    groups: {},
  },
  journal: { label: 'Отметки и посещаемость (отчёт журнала)', tableless: true, fields: {}, groups: {} },
  finalMarks: {
    label: 'Итоговые отметки',
    fields: {
      classLabel,
      lastName: text('Фамилия', true),
      firstName: text('Имя', true),
      middleName: text('Отчество'),
      birthDate: date('Дата рождения', true),
      subject: text('Предмет', true),
      ...Object.fromEntries(Object.entries(FINAL_MARK_PERIODS).map(([field, label]) => [field, finalMark(label)])),
    },
    groups: {},
    anyOf: Object.keys(FINAL_MARK_PERIODS),
  },
  kiasuo: { label: 'Пакет данных КИАСУО', tableless: true, fields: {}, groups: {} },
};
