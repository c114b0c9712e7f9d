import type { Db } from '../../../db/connection';

type Fields = Record<string, string | null>;

const keyOf = (entity: string, entityId: number) => `${entity}:${entityId}`;

/** Rows per INSERT: 6 parameters each, well under SQLite's limit of 32,766 parameters. */
const CHUNK = 500;

/**
 * What an import writes into import_baseline (the last imported value of every field), kept in
 * memory while the import runs and written in a few multi-row statements at its end.
 *
 * A roster of a whole school writes tens of thousands of baseline values; one statement per
 * record cost a fifth of the import. Reads see the values staged earlier in the same import (a
 * guardian met again on a sibling's row), and a row that is refused takes its staged values back
 * with it, as its savepoint takes back its other writes.
 */
export class BaselineBuffer {
  /** Values of the rows that stood, to be written by flush(). */
  private readonly staged = new Map<string, { entity: string; entityId: number; fields: Fields }>();
  /** Values of the row being imported: moved to `staged` when it stands, dropped when it is refused. */
  private row = new Map<string, { entity: string; entityId: number; fields: Fields }>();

  constructor(
    private readonly profile: string,
    private readonly at: string,
  ) {}

  stage(entity: string, entityId: number, fields: Fields): void {
    if (Object.keys(fields).length === 0) return;
    const key = keyOf(entity, entityId);
    const entry = this.row.get(key) ?? { entity, entityId, fields: {} };
    Object.assign(entry.fields, fields);
    this.row.set(key, entry);
  }

  /** The last imported values of a record: the database's, then this import's on top. */
  async read(trx: Db, entity: string, entityId: number): Promise<Fields> {
    const rows = await trx.selectFrom('import_baseline').select(['field', 'value']).where('entity', '=', entity).where('entity_id', '=', entityId).execute();
    const key = keyOf(entity, entityId);
    return { ...Object.fromEntries(rows.map((r) => [r.field, r.value])), ...this.staged.get(key)?.fields, ...this.row.get(key)?.fields };
  }

  rowStood(): void {
    for (const [key, entry] of this.row) {
      const earlier = this.staged.get(key);
      if (earlier) Object.assign(earlier.fields, entry.fields);
      else this.staged.set(key, entry);
    }
    this.row = new Map();
  }

  rowRefused(): void {
    this.row = new Map();
  }

  /** Writes every staged value (inside the import's transaction). */
  async flush(trx: Db): Promise<void> {
    const rows = [...this.staged.values()].flatMap(({ entity, entityId, fields }) =>
      Object.entries(fields).map(([field, value]) => ({ entity, entity_id: entityId, field, value, profile: this.profile, imported_at: this.at })),
    );
    this.staged.clear();
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('import_baseline')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc.columns(['entity', 'entity_id', 'field']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), profile: eb.ref('excluded.profile'), imported_at: eb.ref('excluded.imported_at') })),
        )
        .execute();
    }
  }
}
