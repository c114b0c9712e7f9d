import { readFileSync } from 'node:fs';
import type { Role } from '../../common/roles';

/** What global setup prepared: two running hosts and the accounts of every role. */
export interface E2eState {
  dir: string;
  /** The register with users of every role; URL with the launch token. */
  url: string;
  /** A register that was never initialized (first-run screen). */
  freshUrl: string;
  /**
   * A register of its own for the contingent tests: they fill it with a demo school, which the
   * overview test (run later, files go in name order) expects not to exist yet on the main one.
   */
  contingentUrl: string;
  pids: number[];
  users: Record<Role | 'victim', { login: string; password: string; fullName: string }>;
}

export const STATE_ENV = 'SCHOOL_OFFICE_E2E_STATE';

export function readState(): E2eState {
  const file = process.env[STATE_ENV];
  if (!file) throw new Error(`${STATE_ENV} is not set: run the tests through playwright.config.ts (global setup)`);
  return JSON.parse(readFileSync(file, 'utf8')) as E2eState;
}
