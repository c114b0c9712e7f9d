import { MOVEMENT_KIND_LABELS } from '../../../common/api/contingent';
import type { Db } from '../../../db/connection';
import { classLabels } from '../../contingent/classes';
import { effectiveEventsBetween } from '../../contingent/movement';
import type { ExportColumn, ExportSheet } from './sheet-writer';
import { snilsText } from './values';

/**
 * The `movement` export: «Движение обучающихся» for a period, one row per event (formats.md).
 * An event entered in error is cancelled by a counter-event (kind `cancellation`, pointing to it
 * by `cancels_event_id`); neither of the two is movement, so both are left out — the same rule
 * as the movement report and the printed documents.
 */

export const MOVEMENT_COLUMNS: readonly ExportColumn[] = [
  { header: 'Дата', kind: 'date' },
  { header: 'Событие', kind: 'text' },
  { header: '№ приказа', kind: 'code' },
  { header: 'Дата приказа', kind: 'date' },
  { header: 'Фамилия', kind: 'text' },
  { header: 'Имя', kind: 'text' },
  { header: 'Отчество', kind: 'text' },
  { header: 'Дата рождения', kind: 'date' },
  { header: 'СНИЛС', kind: 'code' },
  { header: 'Из класса', kind: 'text' },
  { header: 'В класс', kind: 'text' },
  { header: 'Откуда прибыл / куда выбыл', kind: 'text' },
  { header: 'Причина', kind: 'text' },
];

export interface MovementExport {
  sheet: ExportSheet;
  rows: number;
}

export async function movementExport(db: Db, from: string, to: string): Promise<MovementExport> {
  const labels = await classLabels(db);
  const label = (id: number | null) => (id === null ? null : (labels.get(id) ?? null));
  const events = await effectiveEventsBetween(db, from, to)
    .select([
      'e.event_date',
      'e.kind',
      'o.number',
      'o.order_date',
      'p.last_name',
      'p.first_name',
      'p.middle_name',
      'p.birth_date',
      'p.snils',
      'e.from_class_id',
      'e.to_class_id',
      'e.place',
      'e.reason',
    ])
    .execute();
  const rows = events.map((e) => [
    e.event_date,
    MOVEMENT_KIND_LABELS[e.kind] ?? e.kind,
    e.number,
    e.order_date,
    e.last_name,
    e.first_name,
    e.middle_name,
    e.birth_date,
    snilsText(e.snils),
    label(e.from_class_id),
    label(e.to_class_id),
    e.place,
    e.reason,
  ]);
  return { sheet: { name: 'Движение обучающихся', columns: MOVEMENT_COLUMNS, rows }, rows: rows.length };
}
