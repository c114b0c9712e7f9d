import { DEFAULT_RETENTION_YEARS } from '../common/api/archive-contract';
import { settingsSchema, type Settings } from '../common/api/schemas';
import type { Db } from '../db/connection';

export const DEFAULT_SETTINGS: Settings = {
  lockAfterMinutes: 15,
  orderSuffix: '-у',
  retentionYears: { ...DEFAULT_RETENTION_YEARS },
  countCoverAndCertification: false,
  duplexByDefault: false,
  archiveMirrorDir: '',
  backupTargets: [],
  backupIntervalDays: 30,
  backupScheduleEnabled: true,
  backupKeepLatest: 10,
  backupKeepMonthly: 12,
};

/** Settings are stored one JSON value per key; unknown or broken values fall back to defaults. */
export async function readSettings(db: Db): Promise<Settings> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).execute();
  const stored: Record<string, unknown> = {};
  for (const row of rows) {
    try {
      stored[row.key] = JSON.parse(row.value) as unknown;
    } catch {
      // A hand-edited value that is not JSON: ignore it, the default applies.
    }
  }
  const merged = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...stored });
  return merged.success ? merged.data : DEFAULT_SETTINGS;
}

export async function writeSettings(trx: Db, changes: Partial<Settings>, at: Date): Promise<void> {
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const row = { key, value: JSON.stringify(value), updated_at: at.toISOString() };
    await trx
      .insertInto('setting')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }
}
