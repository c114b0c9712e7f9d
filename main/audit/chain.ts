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

/** The payload columns: the only parts of an entry that may later be erased (destroyed personal data). */
export const PAYLOAD_FIELDS = ['before_json', 'after_json', 'details_json'] as const;
export type PayloadField = (typeof PAYLOAD_FIELDS)[number];

/** Digests of payloads whose text was erased: the chain keeps the original's digest, not the text. */
export type PayloadDigests = Partial<Record<PayloadField, string>>;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function payloadDigest(text: string | null): string | null {
  return text === null ? null : sha256Hex(text);
}

/**
 * Chain version 2. The payloads enter the hash as their SHA-256 digests, so that personal data
 * destroyed after a withdrawn consent can be cut out of an entry (its original digest kept in
 * audit_erasure) while every hash of the chain stays what it was.
 */
export function entryHash(prevHash: string, f: ChainedFields, erased: PayloadDigests = {}): string {
  const digest = (field: PayloadField) => erased[field] ?? payloadDigest(f[field]);
  const payload = JSON.stringify([
    prevHash,
    f.at,
    f.user_id,
    f.user_login,
    f.method,
    f.action,
    f.entity,
    f.entity_id,
    digest('before_json'),
    digest('after_json'),
    digest('details_json'),
  ]);
  return sha256Hex(payload);
}

/**
 * Chain version 1 (schema up to 002): the payload texts themselves were hashed. Kept as the
 * reference for migration 003, which verifies an old log with it before re-chaining it under
 * version 2 (the migration holds a frozen copy: db/ does not import main/; its test checks both agree).
 */
export function entryHashV1(prevHash: string, f: ChainedFields): string {
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
  return sha256Hex(payload);
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
