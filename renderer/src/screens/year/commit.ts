import type { ApiTransport, Result } from '../../../../common/api/contract';
import {
  calendarRequest,
  classesRequest,
  curriculumRequest,
  newYearRequest,
  type NewYearInput,
} from '../../../../common/api/year-draft-contract';
import type { CalendarDraft, DraftClass, YearDraft } from './draft';

/**
 * The screens' saves of a draft: each is ONE call of years.applyDraft, which writes the draft on
 * the server in one transaction (main/handlers/year-draft.ts) — a refusal leaves the year as it
 * was, and its fields name the draft's rows (`classes.<key>.letter`, `periods.2.endsOn`,
 * `curriculum.<classKey>.rows.1.hoursPerWeek`) for the forms to show next to them.
 */

type Api = Pick<ApiTransport, 'invoke'>;
type Applied = Result<'years.applyDraft'>;

/** The request parameters of the checks (checks.ts): the same conversion the server makes. */
export { calendarParams, curriculumParams } from '../../../../common/api/year-draft-commit';
export type { NewYearInput };

/** «Открыть год»: the year with the whole wizard's draft, or nothing. */
export const openYearWithDraft = (api: Api, input: NewYearInput, draft: YearDraft): Promise<Applied> => api.invoke('years.applyDraft', newYearRequest(input, draft));

export const saveCalendarDraft = (api: Api, yearId: number, calendar: CalendarDraft): Promise<Applied> => api.invoke('years.applyDraft', calendarRequest(yearId, calendar));

export const saveClassesDraft = (api: Api, yearId: number, classes: readonly DraftClass[]): Promise<Applied> => api.invoke('years.applyDraft', classesRequest(yearId, classes));

export const saveCurriculumDraft = (api: Api, yearId: number, classes: readonly DraftClass[]): Promise<Applied> =>
  api.invoke('years.applyDraft', curriculumRequest(yearId, classes));
