import { createDraft, discardDraft, sealDraft } from '../archive/seal';
import { runYearBatch, type SealOne } from '../archive/year-batch';
import type { Handler, HandlerContext } from '../context';
import { pdfEngine } from '../print/chromium';
import { openPdfSession, type PdfEngine, type PdfSession } from '../print/engine';

/**
 * «Печать года» (`archive.sealYear`): the register's own draft + seal for every document of the
 * year, one after another, all printed by ONE browser session kept for the whole batch.
 */

/** An engine whose sessions are the batch's one session: the volume printer's close() leaves it open. */
function sharedSessionEngine(session: PdfSession): PdfEngine {
  const borrowed: PdfSession = { parallel: session.parallel, print: (html, options) => session.print(html, options), close: async () => undefined };
  return { print: (html, options) => session.print(html, options), openSession: async () => borrowed };
}

/** Draft (as a volume, with the cover) then seal with the batch's id; a draft left by a failure is discarded. */
function sealWith(ctx: HandlerContext, engine: PdfEngine): SealOne {
  return async ({ document, duplex, batchId, signal, onProgress }) => {
    const draft = await createDraft(ctx, { document, asVolume: true, duplex, engine, signal, onProgress });
    try {
      return await sealDraft(ctx, draft.draftId, { batchId });
    } catch (error) {
      discardDraft(ctx, draft.draftId);
      throw error;
    }
  };
}

export const sealYear: Handler<'archive.sealYear'> = async (ctx, params) =>
  ctx.app.jobs.run(params.jobId, async (job) => {
    const session = await openPdfSession(pdfEngine());
    try {
      const duplex = params.duplex ?? ctx.app.settings.duplexByDefault;
      return await runYearBatch(ctx, job, { yearId: params.yearId, kinds: params.kinds, duplex }, sealWith(ctx, sharedSessionEngine(session)));
    } finally {
      await session.close();
    }
  });
