import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../main/auth/password';

describe('password hashing', () => {
  it('stores scrypt with its cost and a random salt, never the password', async () => {
    const a = await hashPassword('пароль-123');
    const b = await hashPassword('пароль-123');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('пароль');
  });

  it('verifies the right password only', async () => {
    const stored = await hashPassword('пароль-123');
    expect(await verifyPassword('пароль-123', stored)).toBe(true);
    expect(await verifyPassword('пароль-124', stored)).toBe(false);
    expect(await verifyPassword('пароль-123', 'md5$abc')).toBe(false);
  });
});
