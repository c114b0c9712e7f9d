import { describe, expect, it } from 'vitest';
import { redact, REDACTED } from '../../main/audit/redact';
import { canonicalJson, entryHash, GENESIS_HASH } from '../../main/audit/chain';

describe('audit redaction and hashing', () => {
  it('hides passwords, codes and tokens at any depth, and keeps the rest', () => {
    const input = { login: 'sec', password: 'p', nested: [{ code: '123-456', newPassword: 'x', sessionId: 's', fullName: 'Ф' }] };
    expect(redact(input)).toEqual({ login: 'sec', password: REDACTED, nested: [{ code: REDACTED, newPassword: REDACTED, sessionId: REDACTED, fullName: 'Ф' }] });
  });

  it('hashes equal content equally regardless of key order, and any change differently', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
    const fields = { at: '2026-01-01T00:00:00.000Z', user_id: 1, user_login: 'admin', method: 'm', action: 'a', entity: null, entity_id: null, before_json: null, after_json: '{"x":1}', details_json: null };
    const h = entryHash(GENESIS_HASH, fields);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS_HASH, { ...fields, after_json: '{"x":2}' })).not.toBe(h);
    expect(entryHash('1'.repeat(64), fields)).not.toBe(h);
  });
});
