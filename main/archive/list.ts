import type { VolumeKind, VolumeRow } from '../../common/api/archive-contract';
import { classLabel } from '../../common/domain/russian';
import type { Db } from '../../db/connection';

/** The register's rows as the contract shows them (the inventory of volumes, «опись»). */

export interface ListFilter {
  yearId?: number;
  kind?: VolumeKind;
  /** Replaced and destroyed volumes too. */
  all?: boolean;
  volumeIds?: readonly number[];
}

function baseQuery(db: Db) {
  return db
    .selectFrom('archive_volume as v')
    .innerJoin('school_year as y', 'y.id', 'v.year_id')
    .leftJoin('school_class as c', 'c.id', 'v.class_id')
    .leftJoin('app_user as u', 'u.id', 'v.sealed_by')
    .select([
      'v.id',
      'v.archive_no',
      'v.version',
      'v.kind',
      'v.title',
      'y.name as year_name',
      'y.starts_on as year_starts_on',
      'c.parallel',
      'c.letter',
      'v.date_from',
      'v.date_to',
      'v.pages',
      'v.sheets',
      'v.duplex',
      'v.retention_years',
      'v.destroy_after',
      'v.sha256',
      'v.key_fingerprint',
      'v.sealed_at',
      'u.full_name as sealed_by_name',
      'v.status',
      'v.replaced_by',
      'v.file_name',
    ]);
}

type Raw = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toRow(r: Raw): VolumeRow {
  return {
    volumeId: r.id,
    archiveNo: r.archive_no,
    version: r.version,
    kind: r.kind,
    title: r.title,
    yearName: r.year_name,
    classLabel: r.parallel !== null && r.letter !== null ? classLabel(r.parallel, r.letter) : null,
    dateFrom: r.date_from,
    dateTo: r.date_to,
    pages: r.pages,
    sheets: r.sheets,
    duplex: r.duplex === 1,
    retentionYears: r.retention_years,
    destroyAfter: r.destroy_after,
    sha256: r.sha256,
    keyFingerprint: r.key_fingerprint,
    sealedAt: r.sealed_at,
    sealedBy: r.sealed_by_name ?? 'неизвестный пользователь',
    status: r.status,
    replacedBy: r.replaced_by,
    fileName: r.file_name,
  };
}

/** Rows ordered by year (newest first), archive number, version. */
export async function listVolumes(db: Db, filter: ListFilter = {}): Promise<VolumeRow[]> {
  let query = baseQuery(db);
  if (filter.yearId !== undefined) query = query.where('v.year_id', '=', filter.yearId);
  if (filter.kind !== undefined) query = query.where('v.kind', '=', filter.kind);
  if (!filter.all) query = query.where('v.status', '=', 'sealed');
  if (filter.volumeIds) {
    if (filter.volumeIds.length === 0) return [];
    query = query.where('v.id', 'in', [...filter.volumeIds]);
  }
  const rows = await query.orderBy('y.starts_on', 'desc').orderBy('v.archive_no').orderBy('v.version').execute();
  return rows.map(toRow);
}

export async function volumeRowById(db: Db, volumeId: number): Promise<VolumeRow | undefined> {
  const [row] = await listVolumes(db, { all: true, volumeIds: [volumeId] });
  return row;
}
