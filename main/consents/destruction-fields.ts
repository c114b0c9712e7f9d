import type { GuardianTable, PupilTable } from '../../db/schema';

/**
 * What a destruction after a withdrawn consent removes, per subject. The archive minimum stays:
 * ФИО, birth date and gender of the pupil, the alphabet-book number, movement, orders, classes
 * and marks (kept by law on education); for a guardian ФИО and kinship.
 * `key` is the name the API and the audit log use (personalView / guardianView), `column` the table's.
 */
export interface DestroyedField<C extends string> {
  key: string;
  column: C;
  label: string;
}

type PupilColumn = keyof PupilTable & string;
type GuardianColumn = keyof GuardianTable & string;

const COMMON = [
  { key: 'snils', column: 'snils', label: 'СНИЛС' },
  { key: 'docKind', column: 'doc_kind', label: 'вид документа, удостоверяющего личность' },
  { key: 'docSeries', column: 'doc_series', label: 'серия документа' },
  { key: 'docNumber', column: 'doc_number', label: 'номер документа' },
  { key: 'docIssuedBy', column: 'doc_issued_by', label: 'кем выдан документ' },
  { key: 'docIssuedOn', column: 'doc_issued_on', label: 'дата выдачи документа' },
  { key: 'regAddress', column: 'reg_address', label: 'адрес регистрации' },
  { key: 'liveAddress', column: 'live_address', label: 'адрес проживания' },
  { key: 'phone', column: 'phone', label: 'телефон' },
  { key: 'email', column: 'email', label: 'адрес электронной почты' },
] as const;

export const PUPIL_DESTROYED: readonly DestroyedField<PupilColumn>[] = COMMON;

export const GUARDIAN_DESTROYED: readonly DestroyedField<GuardianColumn>[] = [...COMMON, { key: 'birthDate', column: 'birth_date', label: 'дата рождения' }];

/** The guardian's document of authority lives on the link to the pupil (pupil_guardian.authority_doc). */
export const AUTHORITY_DOC = { key: 'authorityDoc', label: 'документ, подтверждающий полномочия представителя' } as const;

/** The categories an act names: the whole list, whether or not each held a value. */
export function categoriesText(kind: 'pupil' | 'guardian'): string {
  const labels = kind === 'pupil' ? PUPIL_DESTROYED.map((f) => f.label) : [...GUARDIAN_DESTROYED.map((f) => f.label), AUTHORITY_DOC.label];
  return `${labels.join('; ')}; сканы согласий субъекта`;
}
