import type { VolumeKind } from '../../../common/api/archive-contract';
import type { DocumentMeta, SchoolHeader } from '../../../templates/types';

/**
 * The seam between the documents (class journal, summary ledgers: main/print/journal/,
 * main/print/ledgers/) and the volume printer (main/print/volume/print-volume.ts).
 *
 * A document is a title page plus a list of sections. The printer prints each section as its
 * own chunk (so it knows the page each one starts on, for the contents, and so memory stays
 * bounded), several chunks at once on the machine's cores, merges them, numbers the pages, adds
 * the contents, the cover and the certification sheet, and counts the sheets.
 */
export interface VolumeSection {
  /** The contents entry this section starts («Русский язык», «Итоговые отметки»). */
  heading: string;
  /** Printed A4 landscape (dense grids) or portrait (text). */
  landscape: boolean;
  /**
   * The section's body HTML (no <html>/<head>: the printer wraps it with the fonts, the base
   * CSS and `VolumeSource.css`). Called when the section is printed, so a volume never holds
   * all its HTML at once.
   */
  renderBody(): Promise<string> | string;
}

export interface VolumeSource {
  kind: VolumeKind;
  /** PDF metadata: title, author (the school), subject, keywords. */
  meta: DocumentMeta;
  school: SchoolHeader;
  /** «Классный журнал 5А класса», «Сводная ведомость итоговых отметок». */
  title: string;
  /** «2025/2026». */
  yearName: string;
  /** «5А», or null for a whole-school ledger. */
  classLabel: string | null;
  /** Крайние даты: first and last dates of the documents inside (ISO). */
  dateFrom: string;
  dateTo: string;
  /** «журнале» or «деле»: «В настоящем журнале пронумеровано…». */
  certificationNoun: 'журнале' | 'деле';
  /** CSS of the document's templates, added after the base CSS in every chunk. */
  css: string;
  /** The title page body HTML (portrait). */
  titlePageBody: string;
  /** The sections after the contents, in order. */
  sections: VolumeSection[];
  /** A file name without extension, safe on Windows («Журнал 5А 2025-2026»). */
  baseName: string;
  /** What the audit records (never personal data). */
  audit: { entity: string; entityId: number | null; classId: number | null; yearId: number };
}
