import { sql, type Kysely } from 'kysely';

/**
 * The archive register (issue 7): sealed volumes with their retention, SHA-256 and Ed25519
 * signature, the archive keys' public halves, and the runs of «печать года».
 *
 * `archive_volume` of 001 was a placeholder nothing wrote; it is rebuilt here because an
 * archive number now has versions (a re-print replaces a sealed volume under the same number,
 * the old version kept and marked replaced), so `(archive_no, version)` is the key. A refusal
 * stops the migration if the old table somehow holds rows, instead of losing them.
 *
 * Sealed volumes are immutable: a trigger lets an UPDATE change only the status fields
 * (replaced, destroyed) and never back to «sealed»; DELETE is refused. At most one current
 * («sealed») volume exists per document (kind, year, class).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

const KINDS = sql`kind in ('class_journal','final_marks_ledger','attendance_ledger','movement_ledger')`;

export async function up(db: AnyDb): Promise<void> {
  const old = await sql<{ n: number }>`select count(*) as n from archive_volume`.execute(db);
  if ((old.rows[0]?.n ?? 0) > 0) {
    throw new Error('В таблице archive_volume есть записи прежнего формата: обновление остановлено, чтобы их не потерять. Обратитесь к разработчикам.');
  }
  await db.schema.dropTable('archive_volume').execute();

  await db.schema
    .createTable('archive_key')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    // SHA-256 of the raw 32-byte public key, hex; printed (grouped) on the certification sheets.
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    .addColumn('public_key_pem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('archive_batch')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    // JSON array of volume kinds.
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('duplex', 'integer', (c) => c.notNull().check(sql`duplex in (0,1)`))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('started_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('running').check(sql`status in ('running','finished','interrupted')`))
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('archive_volume')
    // AUTOINCREMENT: an id once given to a registered volume is never given again.
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // «2026-003»: the year the volume's school year ends and its sequence in that year.
    .addColumn('archive_no', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .addColumn('kind', 'text', (c) => c.notNull().check(KINDS))
    .addColumn('year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('class_id', 'integer', (c) => c.references('school_class.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('date_from', 'text', (c) => c.notNull())
    .addColumn('date_to', 'text', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('sheets', 'integer', (c) => c.notNull())
    .addColumn('duplex', 'integer', (c) => c.notNull().check(sql`duplex in (0,1)`))
    .addColumn('cover_counted', 'integer', (c) => c.notNull().check(sql`cover_counted in (0,1)`))
    .addColumn('retention_years', 'integer', (c) => c.notNull().check(sql`retention_years >= 1`))
    .addColumn('destroy_after', 'text', (c) => c.notNull())
    // Relative to the archive folder (and to the second-copy folder).
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`length(sha256) = 64`))
    // Ed25519 over the signed statement (main/archive/signature.ts), base64.
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_fingerprint', 'text', (c) => c.notNull().references('archive_key.fingerprint'))
    .addColumn('sealed_at', 'text', (c) => c.notNull())
    .addColumn('sealed_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('batch_id', 'integer', (c) => c.references('archive_batch.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('sealed').check(sql`status in ('sealed','replaced','destroyed')`))
    .addColumn('replaced_by', 'integer', (c) => c.references('archive_volume.id'))
    .addColumn('destroyed_at', 'text')
    // «№ 3 от 15.01.2032»: the act the director approved.
    .addColumn('destruction_act', 'text')
    .addUniqueConstraint('archive_volume_number', ['archive_no', 'version'])
    .modifyEnd(sql`strict`)
    .execute();

  // One current volume per document; replaced and destroyed ones are history.
  await sql`create unique index archive_volume_current on archive_volume (kind, year_id, coalesce(class_id, 0)) where status = 'sealed'`.execute(db);
  await db.schema.createIndex('archive_volume_year').on('archive_volume').columns(['year_id', 'kind']).execute();

  await sql`
    create trigger archive_volume_immutable before update on archive_volume
    when new.archive_no is not old.archive_no or new.version is not old.version or new.kind is not old.kind
      or new.year_id is not old.year_id or new.class_id is not old.class_id or new.title is not old.title
      or new.date_from is not old.date_from or new.date_to is not old.date_to or new.pages is not old.pages
      or new.sheets is not old.sheets or new.duplex is not old.duplex or new.cover_counted is not old.cover_counted
      or new.retention_years is not old.retention_years or new.destroy_after is not old.destroy_after
      or new.file_name is not old.file_name or new.sha256 is not old.sha256 or new.signature is not old.signature
      or new.key_fingerprint is not old.key_fingerprint or new.sealed_at is not old.sealed_at
      or new.sealed_by is not old.sealed_by or new.batch_id is not old.batch_id
      or (new.status = 'sealed' and old.status <> 'sealed') or old.status = 'destroyed'
    begin select raise(abort, 'archive_volume_immutable'); end`.execute(db);
  await sql`
    create trigger archive_volume_no_delete before delete on archive_volume
    begin select raise(abort, 'archive_volume_immutable'); end`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('archive_volume').execute();
  await db.schema.dropTable('archive_batch').execute();
  await db.schema.dropTable('archive_key').execute();
  // The placeholder of 001, as it was.
  await db.schema
    .createTable('archive_volume')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('year_id', 'integer', (c) => c.references('school_year.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('class_journal','final_marks_ledger','attendance_ledger','movement_ledger','other')`),
    )
    .addColumn('class_id', 'integer', (c) => c.references('school_class.id'))
    .addColumn('volume_number', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('date_from', 'text', (c) => c.notNull())
    .addColumn('date_to', 'text', (c) => c.notNull())
    .addColumn('sheets', 'integer', (c) => c.notNull())
    .addColumn('retention_years', 'integer', (c) => c.notNull())
    .addColumn('file_path', 'text')
    .addColumn('sha256', 'text')
    .addColumn('sealed_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft','sealed','destroyed')`))
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
    .modifyEnd(sql`strict`)
    .execute();
}
