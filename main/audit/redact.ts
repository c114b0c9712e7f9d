/**
 * Removes secrets from anything that goes into the audit log. Passwords, access codes and
 * session tokens are replaced by a marker, so the log shows that they changed, never what to.
 */
const SECRET_KEY = /(password|secret|token|session|passphrase|^code$|accessCode)/i;
export const REDACTED = '[скрыто]';

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : redact(inner);
    }
    return out;
  }
  return value;
}
