import { createElement } from 'react';
import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import { ArchiveDestructionActDocument, type ArchiveActRow } from '../../templates/archive-destruction-act';
import { renderHtml, ruDate } from '../../templates/layout';
import type { DocumentMeta } from '../../templates/types';
import type { VolumeRecord } from '../../templates/volume/types';
import { readSchool } from '../handlers/school';
import { initialsFirst } from '../print/documents';
import { countPdfPages, type PdfEngine } from '../print/engine';
import { fontFaceCss } from '../print/fonts';
import { setPdfInfo } from '../print/metadata';

/**
 * The act of selecting volumes for destruction: which volumes are due on a day, and the printed
 * act. A volume is due when its term has ended before that day (`destroy_after < asOf`) and it
 * is still kept (sealed, or replaced by a newer version: the old version is kept for its term
 * too). Destroyed volumes never appear again.
 */

export interface DueVolume extends VolumeRecord {
  id: number;
  status: 'sealed' | 'replaced';
}

/** The volumes whose term has ended by `asOf`, in archive-number order. */
export async function dueVolumes(db: Db, asOf: string): Promise<DueVolume[]> {
  const rows = await db
    .selectFrom('archive_volume as v')
    .innerJoin('school_year as y', 'y.id', 'v.year_id')
    .select([
      'v.id',
      'v.archive_no',
      'v.version',
      'v.title',
      'y.name as year_name',
      'v.date_from',
      'v.date_to',
      'v.sheets',
      'v.retention_years',
      'v.destroy_after',
      'v.status',
    ])
    .where('v.status', 'in', ['sealed', 'replaced'])
    .where('v.destroy_after', '<', asOf)
    .orderBy('v.archive_no')
    .orderBy('v.version')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    archiveNo: r.archive_no,
    version: r.version,
    title: r.title,
    yearName: r.year_name,
    dateFrom: r.date_from,
    dateTo: r.date_to,
    sheets: r.sheets,
    retentionYears: r.retention_years,
    destroyAfter: r.destroy_after,
    status: r.status === 'replaced' ? 'replaced' : 'sealed',
  }));
}

/** The first day after `asOf` on which some kept volume becomes due, or null when none ever will. */
export async function nextDueDay(db: Db, asOf: string): Promise<string | null> {
  const row = await db
    .selectFrom('archive_volume')
    .select((eb) => eb.fn.min('destroy_after').as('first'))
    .where('status', 'in', ['sealed', 'replaced'])
    .where('destroy_after', '>=', asOf)
    .executeTakeFirst();
  return row?.first ? dayAfter(row.first) : null;
}

/** '2031-12-31' → '2032-01-01'. */
export function dayAfter(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The refusal when nothing is due: says when the first volume becomes due, if ever. */
export function nothingDueError(asOf: string, next: string | null): ApiError {
  const head = `На ${ruDate(asOf)} в архиве нет дел с истёкшим сроком хранения: акт не составляется.`;
  const tail = next
    ? ` Ближайшие дела можно будет включить в акт с ${ruDate(next)} — укажите эту или более позднюю дату.`
    : ' В описи нет хранящихся дел: сначала сдайте дела в архив.';
  return new ApiError('refused', head + tail);
}

function actRow(volume: DueVolume): ArchiveActRow {
  const title = volume.title.includes(volume.yearName) ? volume.title : `${volume.title}, ${volume.yearName} учебный год`;
  const notes = [`${volume.sheets} л.`];
  if (volume.status === 'replaced') notes.push('заменено новой версией');
  return {
    title,
    dateFrom: volume.dateFrom,
    dateTo: volume.dateTo,
    inventory: volume.archiveNo.slice(0, 4),
    index: volume.version > 1 ? `${volume.archiveNo}, версия ${volume.version}` : volume.archiveNo,
    retentionYears: volume.retentionYears,
    note: notes.join('; '),
  };
}

export interface PrintedAct {
  fileName: string;
  pages: number;
  pdf: Buffer;
}

/** Renders and prints the act for the given (non-empty) list of due volumes: one small document. */
export async function printDestructionAct(db: Db, engine: PdfEngine, asOf: string, volumes: readonly DueVolume[], at: Date): Promise<PrintedAct> {
  const school = await readSchool(db);
  const meta: DocumentMeta = {
    title: `Акт о выделении к уничтожению документов, не подлежащих хранению, на ${ruDate(asOf)}`,
    author: school.name || 'Образовательная организация',
    subject: 'Акт о выделении к уничтожению архивных дел с истёкшим сроком хранения',
    keywords: ['Канцелярия', 'архив', 'акт о выделении к уничтожению'],
  };
  const html = renderHtml(
    createElement(ArchiveDestructionActDocument, {
      data: {
        school: { name: meta.author, address: school.address, directorShort: initialsFirst(school.directorName) },
        asOf,
        rows: volumes.map(actRow),
      },
      meta,
      fontCss: fontFaceCss(),
    }),
  );
  const printed = await engine.print(html, { title: meta.title, landscape: false });
  const pdf = setPdfInfo(printed, { title: meta.title, author: meta.author, subject: meta.subject, keywords: meta.keywords.join(', '), creator: 'Канцелярия' }, at);
  return { fileName: `Акт о выделении к уничтожению на ${asOf}.pdf`, pages: countPdfPages(pdf), pdf };
}
