/** Russian wording shared by the disclosure listing: moments, field names, objects. */

const pad = (n: number) => String(n).padStart(2, '0');

/** «12.03.2026 14:05» in the computer's local time, as the office reads the clock. */
export function ruMoment(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const FIELD_LABELS: Record<string, string> = {
  lastName: 'фамилия',
  firstName: 'имя',
  middleName: 'отчество',
  birthDate: 'дата рождения',
  gender: 'пол',
  snils: 'СНИЛС',
  docKind: 'вид документа',
  docSeries: 'серия документа',
  docNumber: 'номер документа',
  docIssuedBy: 'кем выдан документ',
  docIssuedOn: 'дата выдачи документа',
  regAddress: 'адрес регистрации',
  liveAddress: 'адрес проживания',
  phone: 'телефон',
  email: 'электронная почта',
  name: 'название',
  shortName: 'краткое название',
  address: 'адрес',
  directorName: 'директор',
  inn: 'ИНН',
  fullName: 'ФИО',
  role: 'роль',
  locked: 'блокировка',
  lockAfterMinutes: 'блокировка экрана',
  orderSuffix: 'окончание номера приказа',
  validUntil: 'срок действия',
  status: 'состояние',
};

export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? key;
}

export function fieldList(keys: readonly string[]): string {
  return keys.map(fieldLabel).join(', ');
}
