import type { ConsentTemplateDraft } from '../../common/api/consents-contract';
import { DEFAULT_DISTRIBUTION_CATEGORIES, defaultTemplates } from '../consents/templates';
import { ageOn, workdayOnOrAfter, type Day, type SchoolCalendar } from './calendar';
import type { PeoplePlan } from './people';
import type { Random } from './random';
import type { SchoolCard } from './school';

/**
 * Consent templates (version 1 of each purpose, separate documents as required since 1 September
 * 2025) and the consents of the demo families: pupil data for every pupil (signed by a guardian,
 * and by the pupil from 14), guardian data for every guardian, electronic results given by ~95 %
 * of guardians and refused by the rest (whole families), distribution for ~60 % of pupils.
 */

export type Purpose = 'pupil_data' | 'guardian_data' | 'distribution' | 'electronic_results';

export type TemplatePlan = ConsentTemplateDraft;

/**
 * Version 1 of each text: the same suggested texts an administrator starts from in the app, so
 * the demo prints the forms a real school would.
 */
export function consentTemplates(school: SchoolCard): TemplatePlan[] {
  return defaultTemplates(school);
}

export interface ConsentPlan {
  subjectKind: 'pupil' | 'guardian';
  pupil: number | null;
  guardian: number | null;
  purpose: Purpose;
  status: 'given' | 'refused';
  day: Day;
  signedByGuardian: number | null;
  signedByPupil: boolean;
  categories: string[] | null;
}

/** The categories of the distribution template, in its order (the first is always chosen). */
const DISTRIBUTION_CATEGORIES = DEFAULT_DISTRIBUTION_CATEGORIES;

/**
 * Families sign at the start of the year (the new separate consents), newcomers on the day of
 * admission. Consents are listed family by family, in the order given.
 */
export function planConsents(rng: Random, calendar: SchoolCalendar, people: PeoplePlan, admissionDay: readonly Day[]): ConsentPlan[] {
  const out: ConsentPlan[] = [];
  for (const family of people.families) {
    const signer = family.guardians[0] ?? null;
    let familyDay = Number.POSITIVE_INFINITY;
    for (const c of family.children) {
      const pupil = people.pupils[c];
      if (!pupil) continue;
      const day = pupil.midYear ? (admissionDay[c] as Day) : workdayOnOrAfter(calendar.startsOn + rng.int(0, 12));
      familyDay = Math.min(familyDay, day);
      const fourteen = ageOn(pupil.birth, day) >= 14;
      out.push({
        subjectKind: 'pupil',
        pupil: c,
        guardian: null,
        purpose: 'pupil_data',
        status: 'given',
        day,
        signedByGuardian: signer,
        signedByPupil: fourteen,
        categories: null,
      });
      const r = rng.next();
      if (r < 0.6) {
        const categories = DISTRIBUTION_CATEGORIES.filter((_, i) => i === 0 || rng.chance(i === 1 ? 0.9 : i === 2 ? 0.7 : 0.4));
        out.push({ subjectKind: 'pupil', pupil: c, guardian: null, purpose: 'distribution', status: 'given', day, signedByGuardian: signer, signedByPupil: fourteen, categories });
      } else if (r < 0.65) {
        out.push({ subjectKind: 'pupil', pupil: c, guardian: null, purpose: 'distribution', status: 'refused', day, signedByGuardian: signer, signedByPupil: fourteen, categories: null });
      }
    }
    for (const g of family.guardians) {
      const day = familyDay;
      out.push({ subjectKind: 'guardian', pupil: null, guardian: g, purpose: 'guardian_data', status: 'given', day, signedByGuardian: g, signedByPupil: false, categories: null });
      out.push({
        subjectKind: 'guardian',
        pupil: null,
        guardian: g,
        purpose: 'electronic_results',
        status: family.refusesElectronic ? 'refused' : 'given',
        day,
        signedByGuardian: g,
        signedByPupil: false,
        categories: null,
      });
    }
  }
  return out;
}
