import { generateDemoSchool } from '../demo/generate';
import type { Handler } from '../context';

/**
 * Fills an empty register with a realistic, deterministic school. Runs in the dispatcher's one
 * write transaction: cancelling or failing leaves the register as it was.
 */
export const generate: Handler<'demo.generate'> = async (ctx, params) => {
  const startedAt = Date.now();
  return ctx.app.jobs.run(params.jobId, async (job) => {
    const counts = await generateDemoSchool(ctx.db, { seed: params.seed, pupils: params.pupils, year: params.year }, job);
    const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
    ctx.audit({ entity: 'school', entityId: 1, details: { seed: params.seed, pupils: params.pupils, year: params.year, counts } });
    return { year: params.year, seconds, counts };
  });
};
