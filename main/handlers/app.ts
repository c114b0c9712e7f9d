import { SCHEMA_VERSION } from '../../db/migrations/index';
import type { Handler } from '../context';
import { APP_VERSION } from '../version';

export const status: Handler<'app.status'> = async (ctx) => {
  const user = await ctx.db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
  const school = await ctx.db.selectFrom('school').select('name').where('id', '=', 1).executeTakeFirst();
  return { initialized: user !== undefined, schoolName: school?.name ?? null, appVersion: APP_VERSION, schemaVersion: SCHEMA_VERSION };
};

export const cancelJob: Handler<'jobs.cancel'> = async (ctx, params) => ({ cancelled: ctx.app.jobs.cancel(params.jobId) });
