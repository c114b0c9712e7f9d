import type { z } from 'zod';
import {
  guardianInputSchema,
  pupilInputSchema,
  type GuardianInput,
  type PupilCard,
  type PupilInput,
} from '../../../../common/api/contingent';
import { DOCUMENT_KIND_LABELS, formatPhone, type PupilDocumentKind } from '../../../../common/domain/person';
import { formatSnils } from '../../../../common/domain/snils';
import { SelectField, TextField } from '../../components/ui';

/** The fields of a pupil or a guardian as typed (strings; empty = not given). */
export interface PersonValues {
  lastName: string;
  firstName: string;
  middleName: string;
  birthDate: string;
  gender: '' | 'м' | 'ж';
  snils: string;
  docKind: '' | PupilDocumentKind;
  docSeries: string;
  docNumber: string;
  docIssuedBy: string;
  docIssuedOn: string;
  regAddress: string;
  liveAddress: string;
  phone: string;
  email: string;
}

export const EMPTY_PERSON: PersonValues = {
  lastName: '',
  firstName: '',
  middleName: '',
  birthDate: '',
  gender: '',
  snils: '',
  docKind: '',
  docSeries: '',
  docNumber: '',
  docIssuedBy: '',
  docIssuedOn: '',
  regAddress: '',
  liveAddress: '',
  phone: '',
  email: '',
};

type Stored = Partial<Record<keyof PersonValues, string | null>>;

/** Values for the form from what the server holds. */
export function personValuesFrom(p: Stored): PersonValues {
  const v = { ...EMPTY_PERSON };
  for (const key of Object.keys(EMPTY_PERSON) as (keyof PersonValues)[]) {
    const value = p[key];
    if (typeof value === 'string') (v as Record<string, string>)[key] = value;
  }
  if (v.snils) v.snils = formatSnils(v.snils);
  if (v.phone) v.phone = formatPhone(v.phone);
  return v;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

export function pupilInputOf(v: PersonValues): PupilInput {
  return {
    lastName: v.lastName.trim(),
    firstName: v.firstName.trim(),
    middleName: orNull(v.middleName),
    birthDate: v.birthDate,
    gender: (v.gender || undefined) as 'м' | 'ж',
    snils: orNull(v.snils),
    docKind: v.docKind || null,
    docSeries: orNull(v.docSeries),
    docNumber: orNull(v.docNumber),
    docIssuedBy: orNull(v.docIssuedBy),
    docIssuedOn: orNull(v.docIssuedOn),
    regAddress: orNull(v.regAddress),
    liveAddress: orNull(v.liveAddress),
    phone: orNull(v.phone),
    email: orNull(v.email),
  };
}

export function guardianInputOf(v: PersonValues): GuardianInput {
  return {
    lastName: v.lastName.trim(),
    firstName: v.firstName.trim(),
    middleName: orNull(v.middleName),
    birthDate: orNull(v.birthDate),
    snils: orNull(v.snils),
    docKind: v.docKind === 'passport' || v.docKind === 'foreign' ? v.docKind : null,
    docSeries: orNull(v.docSeries),
    docNumber: orNull(v.docNumber),
    docIssuedBy: orNull(v.docIssuedBy),
    docIssuedOn: orNull(v.docIssuedOn),
    regAddress: orNull(v.regAddress),
    liveAddress: orNull(v.liveAddress),
    phone: orNull(v.phone),
    email: orNull(v.email),
  };
}

/** The same checks the main process runs, before the call: field → message with `prefix.`. */
export function schemaProblems(schema: z.ZodType, input: unknown, prefix: string): Record<string, string> | null {
  const parsed = schema.safeParse(input);
  if (parsed.success) return null;
  const found: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    found[key] ??= issue.path.length === 1 && issue.path[0] === 'gender' ? 'выберите пол' : issue.message;
  }
  return found;
}

export const pupilProblems = (v: PersonValues, prefix: string) => schemaProblems(pupilInputSchema, pupilInputOf(v), prefix);
export const guardianProblems = (v: PersonValues, prefix: string) => schemaProblems(guardianInputSchema, guardianInputOf(v), prefix);

const GENDER_OPTIONS = [
  { value: '' as const, label: '— выберите —' },
  { value: 'м' as const, label: 'мужской' },
  { value: 'ж' as const, label: 'женский' },
];

/**
 * The personal data fields. `errors` are keyed by field name (already without prefix).
 * `only: 'search'` shows just what is needed to look for a former pupil.
 */
export function PersonFields({
  kind,
  value,
  onValue,
  errors,
  only,
  firstField = true,
}: {
  kind: 'pupil' | 'guardian';
  value: PersonValues;
  onValue(value: PersonValues): void;
  errors: Record<string, string>;
  only?: 'search';
  firstField?: boolean;
}) {
  const set = (key: keyof PersonValues) => (text: string) => onValue({ ...value, [key]: text });
  const docOptions: { value: '' | PupilDocumentKind; label: string }[] = [
    { value: '', label: 'не указан' },
    ...(kind === 'pupil' ? (['birth_certificate', 'passport', 'foreign'] as const) : (['passport', 'foreign'] as const)).map((k) => ({
      value: k,
      label: DOCUMENT_KIND_LABELS[k],
    })),
  ];
  const seriesHint =
    value.docKind === 'birth_certificate' ? 'например IV-БА' : value.docKind === 'passport' ? '4 цифры, например 04 15' : undefined;
  return (
    <div className="form-grid person-fields">
      <TextField label="Фамилия" value={value.lastName} onValue={set('lastName')} error={errors.lastName} first={firstField} autoComplete="off" />
      <TextField label="Имя" value={value.firstName} onValue={set('firstName')} error={errors.firstName} autoComplete="off" />
      <TextField label="Отчество" value={value.middleName} onValue={set('middleName')} error={errors.middleName} autoComplete="off" hint="если есть" />
      <TextField label="Дата рождения" type="date" value={value.birthDate} onValue={set('birthDate')} error={errors.birthDate} />
      <TextField label="СНИЛС" value={value.snils} onValue={set('snils')} error={errors.snils} autoComplete="off" inputMode="numeric"
        hint="11 цифр, например 112-233-445 95" />
      {only === 'search' ? null : (
        <>
          {kind === 'pupil' ? (
            <SelectField label="Пол" value={value.gender} onValue={(g) => onValue({ ...value, gender: g })} options={GENDER_OPTIONS} error={errors.gender} />
          ) : null}
          <SelectField label="Документ" value={value.docKind} onValue={(k) => onValue({ ...value, docKind: k })} options={docOptions} error={errors.docKind} />
          {value.docKind ? (
            <>
              <TextField label="Серия документа" value={value.docSeries} onValue={set('docSeries')} error={errors.docSeries} hint={seriesHint} autoComplete="off" />
              <TextField label="Номер документа" value={value.docNumber} onValue={set('docNumber')} error={errors.docNumber} autoComplete="off" />
              <TextField label="Кем выдан" value={value.docIssuedBy} onValue={set('docIssuedBy')} error={errors.docIssuedBy} autoComplete="off" />
              <TextField label="Дата выдачи" type="date" value={value.docIssuedOn} onValue={set('docIssuedOn')} error={errors.docIssuedOn} />
            </>
          ) : null}
          <TextField label="Адрес регистрации" value={value.regAddress} onValue={set('regAddress')} error={errors.regAddress} autoComplete="off" fieldClassName="span-2" />
          <TextField label="Адрес проживания" value={value.liveAddress} onValue={set('liveAddress')} error={errors.liveAddress} autoComplete="off" fieldClassName="span-2"
            hint="если отличается от адреса регистрации" />
          <TextField label="Телефон" type="tel" value={value.phone} onValue={set('phone')} error={errors.phone} autoComplete="off" hint="+7 913 123-45-67" />
          <TextField label="E-mail" type="email" value={value.email} onValue={set('email')} error={errors.email} autoComplete="off" />
        </>
      )}
    </div>
  );
}

/** Read-only view of personal data (definition list). */
export function PersonView({ p }: { p: Omit<PupilCard, 'guardians' | 'memberships' | 'events'> }) {
  const rows: [string, string | null][] = [
    ['Дата рождения', p.birthDate ? p.birthDate.split('-').reverse().join('.') : null],
    ['Пол', p.gender === 'м' ? 'мужской' : 'женский'],
    ['СНИЛС', p.snils ? formatSnils(p.snils) : null],
    [
      'Документ',
      p.docKind
        ? `${DOCUMENT_KIND_LABELS[p.docKind]} ${[p.docSeries, p.docNumber].filter(Boolean).join(' № ')}${p.docIssuedBy ? `, выдан ${p.docIssuedBy}` : ''}${
            p.docIssuedOn ? ` ${p.docIssuedOn.split('-').reverse().join('.')}` : ''
          }`
        : null,
    ],
    ['Адрес регистрации', p.regAddress],
    ['Адрес проживания', p.liveAddress],
    ['Телефон', p.phone ? formatPhone(p.phone) : null],
    ['E-mail', p.email],
  ];
  return (
    <dl className="kv">
      {rows.map(([label, value]) => (
        <div className="kv-row" key={label}>
          <dt>{label}</dt>
          <dd>{value ?? <span className="muted">не указано</span>}</dd>
        </div>
      ))}
    </dl>
  );
}
