import { VOLUME_KIND_LABELS } from '../../../common/api/archive-contract';
import type { Db } from '../../../db/connection';
import { JOURNAL_CSS } from '../../../templates/journal/css';
import { monthName } from '../../../templates/journal/paging';
import { attendanceLedgerHtml, finalMarksLedgerHtml, ledgerTitleHtml, movementLedgerHtml, movementTotalsHtml } from '../../../templates/ledgers/sections';
import { safeFileName } from '../documents';
import type { VolumeSection, VolumeSource } from '../volume/source';
import { countAbsences, loadAbsences } from '../journal/attendance';
import { loadFinalMarks } from '../journal/final-marks';
import { loadRoster, rowPupils, volumeSchool, type ClassInfo } from '../journal/roster';
import { withCounts } from './final-marks-counts';
import { allClassLabels, loadClassMovement, movementTotals } from './movement';
import { ledgerScope, lessonDates, type LedgerScope } from './scope';

/**
 * The summary ledgers of a year (the whole school, a section per class, or one class) as volume
 * sources. A section keeps only its class; the class's data is read when the section is printed,
 * so a 100-class ledger never holds more than one class's data and HTML at a time.
 */

export type LedgerKind = 'final_marks_ledger' | 'attendance_ledger' | 'movement_ledger';

export const MOVEMENT_TOTALS_HEADING = 'Итого по школе';

/** The months of the year's span: ['2025-09', …, '2026-05']. */
export function monthsOfYear(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (let guard = 0; guard < 24; guard += 1) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > last) break;
    out.push(key);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

function classSection(kind: LedgerKind, db: Db, cls: ClassInfo, labels: () => Promise<Map<number, string>>): VolumeSection {
  const heading = `${cls.label} класс`;
  switch (kind) {
    case 'final_marks_ledger':
      return {
        heading,
        landscape: true,
        renderBody: async () => {
          const roster = await loadRoster(db, cls);
          const marks = await loadFinalMarks(db, cls, roster);
          return finalMarksLedgerHtml({ heading, pupils: marks.pupils, tables: marks.tables.map(withCounts) });
        },
      };
    case 'attendance_ledger':
      return {
        heading,
        landscape: true,
        renderBody: async () => {
          const roster = await loadRoster(db, cls);
          const months = monthsOfYear(cls.yearStart, cls.yearEnd);
          const index = new Map(months.map((m, i) => [m, i]));
          const totals = countAbsences(await loadAbsences(db, cls.id), roster, months.length, (date) => index.get(date.slice(0, 7)) ?? -1);
          return attendanceLedgerHtml({
            heading,
            months: months.map((m) => monthName(`${m}-01`)),
            pupils: rowPupils(roster, cls),
            byMonth: totals.bySpan,
            year: totals.year,
            classByMonth: totals.classBySpan,
            classYear: totals.classYear,
          });
        },
      };
    case 'movement_ledger':
      return {
        heading,
        landscape: false,
        renderBody: async () => movementLedgerHtml(await loadClassMovement(db, cls, await labels())),
      };
  }
}

function scopeLabel(scope: LedgerScope): string {
  if (scope.only) return `${scope.only.label} класс`;
  const first = scope.classes[0]?.label ?? '';
  const last = scope.classes.at(-1)?.label ?? '';
  return first === last ? `${first} класс` : `${first}–${last} классы`;
}

export async function ledgerSource(db: Db, kind: LedgerKind, yearId: number, classId: number | undefined): Promise<VolumeSource> {
  const scope = await ledgerScope(db, yearId, classId);
  const school = await volumeSchool(db);
  const dates = kind === 'movement_ledger' ? { from: scope.year.startsOn, to: scope.year.endsOn } : await lessonDates(db, scope);
  let labelsCache: Promise<Map<number, string>> | null = null;
  const labels = () => (labelsCache ??= allClassLabels(db));
  const sections = scope.classes.map((cls) => classSection(kind, db, cls, labels));
  if (kind === 'movement_ledger' && scope.only === null) {
    sections.push({ heading: MOVEMENT_TOTALS_HEADING, landscape: false, renderBody: async () => movementTotalsHtml(MOVEMENT_TOTALS_HEADING, await movementTotals(db, scope.classes)) });
  }
  const kindLabel = VOLUME_KIND_LABELS[kind];
  const where = scope.only ? `${scope.only.label} класса` : 'школы';
  // A one-class ledger names its class (the register, the cover and the file tell it from the school's).
  const title = scope.only ? `${kindLabel} ${where}` : kindLabel;
  const yearName = scope.year.name;
  return {
    kind,
    meta: {
      title: `${kindLabel} ${where}, ${yearName} учебный год`,
      author: school.name,
      subject: `${kindLabel} за ${yearName} учебный год`,
      keywords: ['Канцелярия', 'сводная ведомость', kindLabel.toLowerCase(), yearName, ...(scope.only ? [scope.only.label] : []), 'архив'],
    },
    school,
    title,
    yearName,
    classLabel: scope.only?.label ?? null,
    dateFrom: dates.from,
    dateTo: dates.to,
    certificationNoun: 'деле',
    css: JOURNAL_CSS,
    titlePageBody: ledgerTitleHtml({
      schoolName: school.name,
      schoolAddress: school.address,
      title: kindLabel.toUpperCase(),
      yearName,
      scope: scopeLabel(scope),
      dateFrom: dates.from,
      dateTo: dates.to,
      classes: scope.classes.length,
    }),
    sections,
    baseName: safeFileName(`${kindLabel}${scope.only ? ` ${scope.only.label}` : ''} ${yearName.replace('/', '-')}`),
    audit: { entity: scope.only ? 'school_class' : 'school_year', entityId: scope.only?.id ?? scope.year.id, classId: scope.only?.id ?? null, yearId: scope.year.id },
  };
}
