import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../../common/api/contract';
import { ROLES, type Role } from '../../common/roles';
import { openInitializedApp, type TestApp } from '../support/app';

/**
 * Walks every method of the contract for every role. Params are deliberately invalid (an
 * unknown key), so an allowed call stops at validation and nothing is changed: what differs
 * is only whether the role check lets the call through.
 */
let t: TestApp & { adminSession: string };
const userIds = new Map<Role, number>();

beforeAll(async () => {
  t = await openInitializedApp();
  for (const role of ROLES) {
    if (role === 'admin') {
      userIds.set(role, 1);
      continue;
    }
    const user = await t.call('users.create', { login: `u-${role}`, fullName: `Пользователь ${role}`, role, password: 'password-1' }, t.adminSession);
    userIds.set(role, user.id);
  }
});
afterAll(async () => t.close());

function sessionFor(role: Role): string {
  return t.app.sessions.create({ id: userIds.get(role)!, login: `u-${role}`, fullName: role, role }).id;
}

describe('the role × method matrix', () => {
  it('never lets the director write', () => {
    for (const method of METHOD_NAMES) {
      if (contract[method].access === 'write' || contract[method].access === 'job') expect(contract[method].roles, method).not.toContain('director');
      if (contract[method].access === 'read') expect(contract[method].roles, method).toContain('director');
    }
  });

  for (const method of METHOD_NAMES) {
    const def = contract[method];
    it(`${method}: ${def.access}, roles ${def.roles.join(', ')}`, async () => {
      if (def.access !== 'public') {
        expect((await t.refuse(method, {}, null)).code).toBe('no_session');
      }
      for (const role of ROLES) {
        const error = await t.refuse(method, { unexpectedField: 1 }, sessionFor(role));
        if (def.roles.includes(role)) {
          expect(error.code, `${role} may call ${method}`).toBe('invalid_params');
        } else {
          expect(error.code, `${role} may not call ${method}`).toBe('forbidden');
          expect(error.message).toMatch(/не может выполнять операцию/);
        }
      }
    });
  }

  it('records every refusal in the audit log', async () => {
    const denied = await t.app.db.selectFrom('audit_log').select(['user_login', 'details_json']).where('action', '=', 'Отказ в доступе').execute();
    const expected = METHOD_NAMES.reduce((n, m) => n + ROLES.filter((r) => !contract[m].roles.includes(r)).length, 0);
    expect(expected).toBeGreaterThan(0);
    expect(denied).toHaveLength(expected);
  });
});
