import { SNILS_EXEMPT_MAX, snilsChecksum } from '../../common/domain/snils';
import { addYears, yearOf, type Day } from './calendar';
import { translit } from './names';
import { PASSPORT_REGIONS, passportIssuer, zagsIssuer } from './places';
import type { Random } from './random';

/** Identity documents, СНИЛС, phones and e-mails of the demo people. */

/** Hands out unique СНИЛС numbers with a valid checksum, all above the exempt range. */
export class SnilsPool {
  private readonly used = new Set<string>();

  next(rng: Random): string {
    for (;;) {
      const number = rng.int(SNILS_EXEMPT_MAX + 1_000_000, 199_999_999);
      const first9 = String(number).padStart(9, '0');
      const snils = first9 + snilsChecksum(first9);
      if (!this.used.has(snils)) {
        this.used.add(snils);
        return snils;
      }
    }
  }
}

export interface IdentityDocument {
  kind: 'birth_certificate' | 'passport';
  series: string;
  number: string;
  issuedBy: string;
  issuedOn: Day;
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V'] as const;

/**
 * The document a pupil has on `asOf`: a passport once 14 (issued within a few weeks of the 14th
 * birthday), otherwise the birth certificate (series like «IV-БА», six-digit number).
 */
export function pupilDocument(rng: Random, birth: Day, asOf: Day): IdentityDocument {
  const fourteen = addYears(birth, 14);
  const passportOn = fourteen + rng.int(5, 40);
  if (passportOn <= asOf) {
    return {
      kind: 'passport',
      series: `04${String(yearOf(passportOn) % 100).padStart(2, '0')}`,
      number: rng.digits(6),
      issuedBy: passportIssuer(rng, yearOf(passportOn)),
      issuedOn: passportOn,
    };
  }
  return {
    kind: 'birth_certificate',
    series: `${rng.pick(ROMAN)}-${rng.weighted<string>([['БА', 8], ['ВЭ', 1], ['ПИ', 1]])}`,
    number: rng.digits(6),
    issuedBy: zagsIssuer(rng),
    issuedOn: birth + rng.int(4, 45),
  };
}

/** An adult's passport: the latest of the ones issued at 14, 20 and 45 before `asOf`. */
export function adultPassport(rng: Random, birth: Day, asOf: Day): IdentityDocument {
  let issuedOn = addYears(birth, 14) + rng.int(5, 60);
  for (const age of [20, 45]) {
    const candidate = addYears(birth, age) + rng.int(5, 60);
    if (candidate <= asOf) issuedOn = candidate;
  }
  const region = rng.chance(0.85) ? '04' : rng.pick(Object.keys(PASSPORT_REGIONS));
  const year = yearOf(issuedOn);
  return {
    kind: 'passport',
    series: `${region}${String(year % 100).padStart(2, '0')}`,
    number: rng.digits(6),
    issuedBy: passportIssuer(rng, year, region),
    issuedOn,
  };
}

const MOBILE_CODES = ['913', '923', '902', '908', '950', '983', '960', '962', '965', '999', '904', '929'] as const;

/** A mobile number as the register stores every phone (normalizePhone): «+79131234567». */
export function mobilePhone(rng: Random): string {
  const n = rng.digits(7);
  return `+7${rng.pick(MOBILE_CODES)}${n}`;
}

const MAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['mail.ru', 40],
  ['yandex.ru', 30],
  ['gmail.com', 10],
  ['bk.ru', 8],
  ['list.ru', 7],
  ['inbox.ru', 5],
];

/** A personal e-mail built from the name. */
export function personalEmail(rng: Random, first: string, last: string, birth: Day | null): string {
  const f = translit(first);
  const l = translit(last);
  const tail = birth !== null && rng.chance(0.5) ? String(yearOf(birth)) : rng.chance(0.5) ? String(rng.int(1, 99)) : '';
  const local = rng.weighted<string>([
    [`${f}.${l}${tail}`, 3],
    [`${l}.${f[0] ?? ''}${tail}`, 2],
    [`${f}${l}${tail}`, 1],
    [`${l}${tail || rng.int(1, 999)}`, 1],
  ]);
  return `${local}@${rng.weighted(MAIL_DOMAINS)}`;
}

/** A ten-digit legal entity ИНН of the Krasnoyarsk tax office (24…) with its check digit. */
export function organisationInn(rng: Random): string {
  const first9 = `2465${rng.digits(5)}`;
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += (first9.charCodeAt(i) - 48) * (weights[i] ?? 0);
  return first9 + String((sum % 11) % 10);
}
