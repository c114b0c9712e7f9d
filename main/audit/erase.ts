import type { Db } from '../../db/connection';
import { canonicalJson, PAYLOAD_FIELDS, sha256Hex, type PayloadField } from './chain';

/**
 * Cuts destroyed personal data out of the event log (ст. 21 ч. 5 152-ФЗ) without breaking the
 * chain: each destroyed value is replaced by a marker naming the act, the JSON keeps its shape,
 * and audit_erasure keeps the digest of the original payload, which the chain (version 2) hashes.
 */
export interface ErasureScope {
  /** Entries about this entity (audit_log.entity / entity_id). */
  entity: string;
  /** Which of them; every entity of the kind when absent (then narrow with textContains). */
  entityIds?: readonly (number | string)[];
  /** Keys whose values are destroyed, at any depth of the payload. */
  keys: readonly string[];
  /** Only payloads that satisfy this (e.g. a link row naming the guardian); all when absent. */
  when?: (payload: unknown) => boolean;
  /** A cheap SQL pre-filter on the payload text, checked exactly by `when`. */
  textContains?: string;
}

export interface ErasureAct {
  id: number;
  /** What replaces each destroyed value, e.g. «[уничтожено: акт № 3 от 01.12.2026]». */
  marker: string;
}

/** Replaces the non-empty values of `keys`; returns the new value and whether anything changed. */
function eraseKeys(value: unknown, keys: ReadonlySet<string>, marker: string): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const r = eraseKeys(item, keys, marker);
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      // A value that is already gone (null, or erased by an earlier act) reveals nothing.
      if (keys.has(key) && inner !== null && inner !== undefined && !(typeof inner === 'string' && inner.startsWith('[уничтожено:'))) {
        out[key] = marker;
        changed = true;
        continue;
      }
      const r = eraseKeys(inner, keys, marker);
      changed ||= r.changed;
      out[key] = r.value;
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What an act erased: each payload and the digest of its text after the erasure. The act's own
 * log entry carries this list (under ERASURE_CLAIMS_KEY of its details), so the erased texts are
 * bound into the chain too: editing one later, or claiming an erasure that no act made, shows.
 */
export interface ErasureClaim {
  entryId: number;
  field: PayloadField;
  sha256: string;
}

export const ERASURE_CLAIMS_KEY = 'erasures';

/** The claims recorded in an act's log entry (details JSON), or none. */
export function readErasureClaims(detailsJson: string | null): ErasureClaim[] {
  if (detailsJson === null) return [];
  try {
    const details = JSON.parse(detailsJson) as Record<string, unknown> | null;
    const list = details && typeof details === 'object' ? details[ERASURE_CLAIMS_KEY] : undefined;
    if (!Array.isArray(list)) return [];
    return list.filter(
      (c): c is ErasureClaim =>
        !!c && typeof c === 'object' && typeof (c as ErasureClaim).entryId === 'number' && PAYLOAD_FIELDS.includes((c as ErasureClaim).field) && typeof (c as ErasureClaim).sha256 === 'string',
    );
  } catch {
    return [];
  }
}

/** Erases within one write transaction; returns how many entries had a payload changed, and the claims to log. */
export async function eraseFromAudit(trx: Db, scopes: readonly ErasureScope[], act: ErasureAct): Promise<{ entries: number; claims: ErasureClaim[] }> {
  const changedEntries = new Set<number>();
  const claims: ErasureClaim[] = [];
  for (const scope of scopes) {
    if (scope.entityIds?.length === 0) continue;
    let query = trx.selectFrom('audit_log').select(['id', 'before_json', 'after_json', 'details_json']).where('entity', '=', scope.entity);
    if (scope.entityIds) query = query.where('entity_id', 'in', scope.entityIds.map(String));
    if (scope.textContains !== undefined) {
      const needle = scope.textContains;
      query = query.where((eb) => eb.or(PAYLOAD_FIELDS.map((f) => eb(eb.fn('instr', [f, eb.val(needle)]), '>', 0))));
    }
    const keys = new Set(scope.keys);
    for (const row of await query.orderBy('id').execute()) {
      for (const field of PAYLOAD_FIELDS) {
        const text = row[field];
        if (text === null) continue;
        const payload = parse(text);
        if (payload === undefined || (scope.when && !scope.when(payload))) continue;
        const erased = eraseKeys(payload, keys, act.marker);
        if (!erased.changed) continue;
        // The first erasure keeps the digest the chain was built on; a later act only cuts more out.
        await trx
          .insertInto('audit_erasure')
          .values({ entry_id: row.id, field, original_sha256: sha256Hex(text), act_id: act.id })
          .onConflict((oc) => oc.columns(['entry_id', 'field']).doNothing())
          .execute();
        const erasedText = canonicalJson(erased.value);
        await trx.updateTable('audit_log').set({ [field]: erasedText }).where('id', '=', row.id).execute();
        changedEntries.add(row.id);
        claims.push({ entryId: row.id, field, sha256: sha256Hex(erasedText ?? '') });
      }
    }
  }
  return { entries: changedEntries.size, claims };
}
