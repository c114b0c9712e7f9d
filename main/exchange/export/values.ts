import { DOCUMENT_KIND_LABELS, normalizePhone, type PupilDocumentKind } from '../../../common/domain/person';
import { formatSnils } from '../../../common/domain/snils';

/** How register values are written into export cells, shared by the profiles. */

/** «123-456-789 01», the way it is printed on the card and typed in the regional systems. */
export function snilsText(snils: string | null): string | null {
  return snils ? formatSnils(snils) : null;
}

/**
 * «8 (913) 123-45-67». Not «+7 …»: a text starting with «+» would be neutralised against
 * formulas (and shown with an apostrophe); the imports read the 8-form just as well.
 */
export function phoneText(phone: string | null): string | null {
  if (!phone) return null;
  // Stored phones are not all in one form (older records, the demo school): normalise first.
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(normalizePhone(phone) ?? '');
  return m ? `8 (${m[1]}) ${m[2]}-${m[3]}-${m[4]}` : phone;
}

/** «Свидетельство о рождении», as the regional lists spell the kind of document. */
export function documentKindText(kind: PupilDocumentKind | null): string | null {
  if (!kind) return null;
  const label = DOCUMENT_KIND_LABELS[kind];
  return label.charAt(0).toUpperCase() + label.slice(1);
}

