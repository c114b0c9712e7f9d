import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row that the hash covers, in a fixed order. */
export interface ChainedFields {
  at: string;
  user_id: number | null;
  user_login: string | null;
  method: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  details_json: string | null;
}

export function entryHash(prevHash: string, f: ChainedFields): string {
  const payload = JSON.stringify([
    prevHash,
    f.at,
    f.user_id,
    f.user_login,
    f.method,
    f.action,
    f.entity,
    f.entity_id,
    f.before_json,
    f.after_json,
    f.details_json,
  ]);
  return createHash('sha256').update(payload, 'utf8').digest('hex');
}

/** JSON with sorted keys, so that equal objects always hash equally. */
export function canonicalJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
