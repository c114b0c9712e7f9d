import { sql, type Kysely } from 'kysely';

/**
 * The backup key pair (issue 8): scheduled backups are written to its public half without a
 * passphrase; the private half is stored only wrapped under scrypt(passphrase), so the
 * passphrase itself is never stored. One current key (replaced_at IS NULL); a key replaced after
 * a lost passphrase stays as history, marked with when.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('backup_key')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // SHA-256 (hex) of the public key's SPKI DER.
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('kdf_json', 'text', (c) => c.notNull())
    .addColumn('wrapped_private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('replaced_at', 'text')
    .modifyEnd(sql`strict`)
    .execute();
  // At most one current key.
  await sql`create unique index backup_key_current on backup_key ((1)) where replaced_at is null`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('backup_key').execute();
}
