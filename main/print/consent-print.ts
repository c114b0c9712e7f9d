import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import type { DocumentOfKind, Rendered } from './rendered';

/** Consent forms (one family or a whole class), the coverage list and the act of destruction. */
export function renderConsentDocument(
  _db: Db,
  document: DocumentOfKind<'consentFormsFamily' | 'consentFormsClass' | 'consentCoverage' | 'destructionAct'>,
  _today: string,
  _fontCss: string,
): Promise<Rendered> {
  return Promise.reject(new ApiError('internal', `Печать «${document.kind}» ещё не готова.`));
}
