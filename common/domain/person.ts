/** Validation and normalisation of personal data fields; pure, shared by the UI and main. */

/** '+7XXXXXXXXXX' from what people type ('8 (913) 123-45-67', '9131234567', '+7 913…'), or null. */
export function normalizePhone(text: string): string | null {
  const digits = text.replace(/\D/g, '');
  if (digits.length === 10 && digits.startsWith('9')) return `+7${digits}`;
  if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) return `+7${digits.slice(1)}`;
  if (digits.length === 10) return `+7${digits}`;
  return null;
}

/** '+7 (913) 123-45-67' for display. */
export function formatPhone(phone: string): string {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `+7 (${m[1]}) ${m[2]}-${m[3]}-${m[4]}` : phone;
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type PupilDocumentKind = 'birth_certificate' | 'passport' | 'foreign';

export const DOCUMENT_KIND_LABELS: Record<PupilDocumentKind, string> = {
  birth_certificate: 'свидетельство о рождении',
  passport: 'паспорт гражданина РФ',
  foreign: 'иной документ',
};

/** Problems of a document's series and number for its kind, by field; empty when fine. */
export function documentProblems(kind: PupilDocumentKind, series: string, number: string): { series?: string; number?: string } {
  const problems: { series?: string; number?: string } = {};
  const s = series.trim();
  const n = number.trim();
  if (kind === 'birth_certificate') {
    if (!/^[IVXLC]{1,6}-[А-ЯЁ]{2}$/.test(s)) problems.series = 'серия свидетельства — римские цифры, дефис и две русские буквы, например IV-БА';
    if (!/^\d{6}$/.test(n)) problems.number = 'номер свидетельства — 6 цифр';
  } else if (kind === 'passport') {
    if (!/^\d{2}\s?\d{2}$/.test(s)) problems.series = 'серия паспорта — 4 цифры';
    if (!/^\d{6}$/.test(n)) problems.number = 'номер паспорта — 6 цифр';
  } else if (!n) {
    problems.number = 'укажите номер документа';
  }
  return problems;
}

/** Full years between a birth date and a day (ISO dates). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Whether the pupil's age on 1 September of the class's year suits the parallel (1st class: 5–10). */
export function ageProblem(birthDate: string, parallel: number, yearStart: string): string | null {
  const age = ageOn(birthDate, yearStart);
  const min = parallel + 4;
  const max = parallel + 9;
  if (age < min || age > max) {
    return `возраст на начало учебного года ${age} — не подходит для ${parallel} класса (ожидается от ${min} до ${max} лет)`;
  }
  return null;
}

export function isRealIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
