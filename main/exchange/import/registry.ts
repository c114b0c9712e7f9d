import { ApiError } from '../../../common/api/errors';
import type { ImportEntity } from '../../../common/exchange/entities';
import type { ImportProfile, ProfileLayout } from '../../../common/exchange/profile';
import { importAccessCodes } from './codes';
import { importRoster } from './roster';
import { importLessons } from './lessons';
import { importJournalReport } from './journal-report';
import { importFinalMarks } from './final-marks';
import { importKiasuo } from './kiasuo';
import type { Importer } from './types';

/**
 * Which importer takes a profile's data: table profiles by their entity, the special layouts
 * (a journal report, a КИАСУО package) by their layout. One line per importer.
 */
export type ImporterKey = ImportEntity | Exclude<ProfileLayout, 'table'>;

export const IMPORTERS: Partial<Record<ImporterKey, Importer>> = {
  pupils: importRoster,
  codes: importAccessCodes,
  lessons: importLessons,
  finalMarks: importFinalMarks,
  'journal-report': importJournalReport,
  'kiasuo-package': importKiasuo,
};

export function importerKey(profile: ImportProfile): ImporterKey {
  return profile.layout === 'table' ? profile.entity : profile.layout;
}

export function importerFor(profile: ImportProfile): Importer {
  const importer = IMPORTERS[importerKey(profile)];
  if (!importer) throw new ApiError('refused', `Загрузка по профилю «${profile.title}» пока не поддерживается.`);
  return importer;
}
