import { createElement } from 'react';
import { renderHtml } from '../../templates/layout';
import { WeeklyExtractsDocument } from '../../templates/weekly-extract';
import type { Db } from '../../db/connection';
import { loadWeeklyExtracts } from './extract-loader';
import type { DocumentOfKind, Rendered } from './rendered';

/** Weekly paper extracts of marks, absences and homework for the families without electronic access. */
export async function renderWeeklyExtracts(db: Db, document: DocumentOfKind<'weeklyExtracts'>, today: string, fontCss: string): Promise<Rendered> {
  const loaded = await loadWeeklyExtracts(db, document.classId, document.week, today);
  // Portrait: the day-by-day table has six narrow columns and reads best on a tall page.
  return {
    loaded,
    html: renderHtml(createElement(WeeklyExtractsDocument, { data: loaded.data, meta: loaded.meta, fontCss })),
    landscape: false,
    documents: loaded.data.pupils.length,
  };
}
