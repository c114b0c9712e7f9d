import { z } from 'zod';

/**
 * The four consents of 152-ФЗ that a school collects, each a separate document since
 * 1 September 2025 (ст. 9; distribution under ст. 10.1 separate again).
 */
export const CONSENT_PURPOSES = ['pupil_data', 'guardian_data', 'distribution', 'electronic_results'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const consentPurposeSchema = z.enum(CONSENT_PURPOSES, { message: 'цель согласия: pupil_data, guardian_data, distribution или electronic_results' });

export const CONSENT_PURPOSE_LABELS: Record<ConsentPurpose, string> = {
  pupil_data: 'обработка данных обучающегося',
  guardian_data: 'обработка данных представителя',
  distribution: 'распространение данных обучающегося',
  electronic_results: 'результаты в электронной форме',
};

/** Whose data the consent is about: the pupil's (signed by a guardian, and by the pupil from 14) or the guardian's own. */
export const CONSENT_SUBJECT: Record<ConsentPurpose, 'pupil' | 'guardian'> = {
  pupil_data: 'pupil',
  guardian_data: 'guardian',
  distribution: 'pupil',
  electronic_results: 'guardian',
};

/** Consents whose withdrawal starts the 30-day destruction clock (ст. 21 ч. 5). */
export const DESTRUCTIBLE_PURPOSES: readonly ConsentPurpose[] = ['pupil_data', 'guardian_data', 'distribution'];
export const DESTRUCTION_DAYS = 30;
/** How long an act of destruction and its event-log export are kept (приказ Роскомнадзора № 179). */
export const DESTRUCTION_ACT_KEEP_YEARS = 3;

export const CONSENT_STATUSES = ['given', 'refused', 'withdrawn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export const CONSENT_STATUS_LABELS: Record<ConsentStatus, string> = {
  given: 'дано',
  refused: 'отказ',
  withdrawn: 'отозвано',
};

/** Age from which a pupil signs their own consent alongside the guardian (common school practice). */
export const PUPIL_SIGNS_FROM_AGE = 14;

/** Scans of signed consents: PDF or image, capped so the database stays small enough to back up. */
export const SCAN_MAX_BYTES = 5 * 1024 * 1024;
export const SCAN_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/* ---------- Result shapes of the consent register (consent contract) ---------- */

/** One missing consent in the coverage list: who should sign what, and why it counts as missing. */
export const coverageMissingSchema = z.object({
  pupilId: z.number().int(),
  /** The pupil's id for pupil consents, the guardian's id for guardian consents. */
  personId: z.number().int(),
  personKind: z.enum(['pupil', 'guardian']),
  person: z.string(),
  purpose: consentPurposeSchema,
  reason: z.string(),
});
export type CoverageMissing = z.infer<typeof coverageMissingSchema>;

/** A guardian who refused (or withdrew) electronic results: the family gets printed extracts. */
export const coverageRefusedSchema = z.object({
  pupilId: z.number().int(),
  guardianId: z.number().int(),
  guardian: z.string(),
  pupil: z.string(),
  status: z.enum(['refused', 'withdrawn']),
  decidedOn: z.string(),
});
export type CoverageRefused = z.infer<typeof coverageRefusedSchema>;

export const coverageClassSchema = z.object({
  classId: z.number().int(),
  class: z.string(),
  pupils: z.number().int(),
  missing: z.array(coverageMissingSchema),
  refusedElectronic: z.array(coverageRefusedSchema),
});
export type CoverageClass = z.infer<typeof coverageClassSchema>;

export const consentCoverageSchema = z.object({
  date: z.string(),
  classes: z.array(coverageClassSchema),
});
export type ConsentCoverage = z.infer<typeof consentCoverageSchema>;
