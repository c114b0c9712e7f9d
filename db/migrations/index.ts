import type { Migration } from 'kysely';
import * as m001 from './001-initial';

/**
 * Numbered migrations, in order. Names never change once released: the database records them.
 * Add a new file `NNN-what.ts` with `up` (and `down`), list it here, and give it a test.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-initial': m001,
};

export const SCHEMA_VERSION = Object.keys(MIGRATIONS).length;
