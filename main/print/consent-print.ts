import { createElement } from 'react';
import type { Db } from '../../db/connection';
import { ConsentCoverageDocument } from '../../templates/consent-coverage';
import { ConsentFormsDocument } from '../../templates/consent-form';
import { DestructionActDocument } from '../../templates/destruction-act';
import { renderHtml } from '../../templates/layout';
import { loadConsentCoverage, loadConsentFormsClass, loadConsentFormsFamily, loadDestructionAct } from './consent-loaders';
import type { DocumentOfKind, Rendered } from './rendered';

/** Consent forms (one family or a whole class), the coverage list and the act of destruction; all A4 portrait. */
export async function renderConsentDocument(
  db: Db,
  document: DocumentOfKind<'consentFormsFamily' | 'consentFormsClass' | 'consentCoverage' | 'destructionAct'>,
  today: string,
  fontCss: string,
): Promise<Rendered> {
  switch (document.kind) {
    case 'consentFormsFamily':
    case 'consentFormsClass': {
      const loaded =
        document.kind === 'consentFormsFamily'
          ? await loadConsentFormsFamily(db, document.pupilId, document.purposes, today)
          : await loadConsentFormsClass(db, document.classId, document.purposes, today);
      const html = renderHtml(createElement(ConsentFormsDocument, { data: loaded.data, meta: loaded.meta, fontCss }));
      return { loaded, html, landscape: false, documents: loaded.data.forms.length };
    }
    case 'consentCoverage': {
      const loaded = await loadConsentCoverage(db, document.classId, today);
      return { loaded, html: renderHtml(createElement(ConsentCoverageDocument, { data: loaded.data, meta: loaded.meta, fontCss })), landscape: false };
    }
    case 'destructionAct': {
      const loaded = await loadDestructionAct(db, document.actId);
      return { loaded, html: renderHtml(createElement(DestructionActDocument, { data: loaded.data, meta: loaded.meta, fontCss })), landscape: false };
    }
  }
}
