import type { exchangeMethods } from '../../common/api/exchange-contract';
import { localDay } from '../../common/domain/local-day';
import type { Handler } from '../context';
import { runExport } from '../exchange/export/run';

type Methods = keyof typeof exchangeMethods;

/**
 * Exports the register in one of the built-in profiles. Nothing changes, yet each export is
 * recorded (profile, filters, number of records; never the data itself), as a printout is:
 * the file takes personal data out of the app.
 */
const exportData: Handler<'exchange.export'> = async (ctx, params) => {
  const { jobId, ...exported } = params;
  const file = await ctx.app.jobs.run(jobId, (job) => runExport(ctx.db, exported, localDay(ctx.now()), job));
  const { profile, ...filters } = exported;
  await ctx.write(async () => ctx.audit({ entity: 'export', details: { profile, rows: file.rows, filters } }));
  return { fileName: file.fileName, contentBase64: file.content.toString('base64'), rows: file.rows };
};

export const exchangeHandlers: { [M in Methods]: Handler<M> } = {
  'exchange.export': exportData,
};
