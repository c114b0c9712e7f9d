import type { z } from 'zod';
import { contract, type MethodName, type Params, type Result } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { commitDraft, type Invoker } from '../../common/api/year-draft-commit';
import type { Handler, HandlerContext } from '../context';
import { writableYear } from '../year/guard';
import { yearStructureHandlers } from './year-structure';

/**
 * years.applyDraft: the «Учебный год» screens' save of a draft (a new year from the wizard, or
 * a part edited in «Структура года»). The draft is written by the same procedure and the same
 * set-up handlers as single calls would be, but inside this call's one write transaction: a
 * refusal of any part (a class teacher given twice, 20 hours of a subject) rolls back
 * everything before it — no half-opened year, no half-saved class list.
 */

/** The set-up methods a draft is written with. */
const STEPS = ['years.open', 'years.get', 'years.saveCalendar', 'classes.save', 'classes.delete', 'curriculum.save'] as const;
type Step = (typeof STEPS)[number];
const isStep = (method: MethodName): method is Step => (STEPS as readonly string[]).includes(method);

/** The dispatcher's wording of invalid parameters, with the fields the draft's forms know. */
function invalidParams(error: z.ZodError): ApiError {
  const fields: Record<string, string> = {};
  const lines: string[] = [];
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '(параметры)';
    const message = issue.code === 'unrecognized_keys' ? `лишние поля: ${issue.keys.join(', ')}` : issue.message;
    fields[key] ??= message;
    lines.push(`«${key}»: ${message}`);
  }
  return new ApiError('invalid_params', `Проверьте данные: ${lines.join('; ')}.`, fields);
}

/**
 * The set-up methods as the draft procedure calls them, run in `ctx` — the transaction and the
 * audit of this call. Parameters are checked by each method's own schema (so errors carry the
 * same field names as a single call's); audit entries keep the step's own title.
 */
function inTransaction(ctx: HandlerContext, recorded: { count: number }): Invoker {
  return {
    async invoke<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      if (!isStep(method)) throw new Error(`years.applyDraft does not write through ${method}`);
      const parsed = contract[method].params.safeParse(params);
      if (!parsed.success) throw invalidParams(parsed.error);
      const step: HandlerContext = {
        ...ctx,
        audit: (note) => {
          recorded.count += 1;
          ctx.audit({ ...note, action: note.action ?? contract[method].title });
        },
      };
      const handler = yearStructureHandlers[method] as unknown as Handler<M>;
      return handler(step, parsed.data as never);
    },
  };
}

const applyDraft: Handler<'years.applyDraft'> = async (ctx, params) => {
  // A closed year is refused before anything is compared (its data are read-only).
  if (params.yearId !== undefined) await writableYear(ctx.db, params.yearId);
  const target = params.open ? { open: params.open } : { yearId: params.yearId! };
  const recorded = { count: 0 };
  const done = await commitDraft(inTransaction(ctx, recorded), target, params.draft);
  // Nothing differed from the year as it is: one entry says so (ids and part names only).
  if (recorded.count === 0) ctx.audit({ details: { yearId: done.yearId, parts: Object.keys(params.draft), changed: false } });
  return done;
};

export const yearDraftHandlers = {
  'years.applyDraft': applyDraft,
} satisfies { [M in MethodName]?: Handler<M> };
