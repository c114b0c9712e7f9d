import type { Migration } from 'kysely';
import * as m001 from './001-initial';
import * as m002 from './002-consents';
import * as m003 from './003-audit-erasure';
import * as m004 from './004-user-disclosed';
import * as m005 from './005-import-baseline';
import * as m006 from './006-pupil-birth-index';
import * as m007 from './007-year-close';
import * as m008 from './008-closed-year-guard';
import * as m009 from './009-year-close-codes';
import * as m010 from './010-movement-links-index';
import * as m011 from './011-archive-register';
import * as m012 from './012-backup-key';

/**
 * Numbered migrations, in order. Names never change once released: the database records them.
 * Add a new file `NNN-what.ts` with `up` (and `down`), list it here, and give it a test.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-initial': m001,
  '002-consents': m002,
  '003-audit-erasure': m003,
  '004-user-disclosed': m004,
  '005-import-baseline': m005,
  '006-pupil-birth-index': m006,
  '007-year-close': m007,
  '008-closed-year-guard': m008,
  '009-year-close-codes': m009,
  '010-movement-links-index': m010,
  '011-archive-register': m011,
  '012-backup-key': m012,
};

export const SCHEMA_VERSION = Object.keys(MIGRATIONS).length;
