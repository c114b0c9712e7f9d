import { z } from 'zod';
import { readMethod, writeMethod, type MethodDef } from './method';
import { idSchema, userSchema } from './schemas';

/**
 * The moment since which an account's credentials are known to others: an ISO date-time with
 * its zone («2026-03-12T09:00:00Z», «2026-03-12T12:00:00+03:00»). Not in the future: the
 * handler checks that against the app's clock.
 */
export const disclosedSinceSchema = z.iso.datetime({ offset: true, message: 'момент в виде ГГГГ-ММ-ДДTчч:мм:ссZ (или с часовым поясом +03:00)' });

/** One change made by the disclosed account, as the administrator reviews it. */
export const disclosedChangeSchema = z
  .object({
    auditId: idSchema,
    at: z.string(),
    method: z.string(),
    /** The Russian title of the operation from the contract. */
    title: z.string(),
    entity: z.string().nullable(),
    entityId: z.string().nullable(),
    /** What changed, in Russian, without secrets. */
    summary: z.string(),
    revertible: z.boolean(),
    /** Why it cannot be reverted (a later change by someone else, or the kind of operation). */
    conflict: z.string().nullable(),
    reverted: z.boolean(),
  })
  .strict();
export type DisclosedChange = z.infer<typeof disclosedChangeSchema>;


/** App accounts whose credentials were disclosed: lock, list and revert their changes since T. */
export const disclosureMethods = {
  'users.disclose': writeMethod(
    'Отметка о раскрытии учётных данных пользователя',
    ['admin'],
    z.object({ id: idSchema, since: disclosedSinceSchema, note: z.string().trim().max(1000).optional() }).strict(),
    z.object({ user: userSchema, changes: z.number().int() }),
  ),
  'users.disclosedChanges': readMethod(
    'Изменения раскрытой учётной записи',
    ['admin'],
    // `since` defaults to the moment recorded by users.disclose; for an account not marked
    // disclosed and no moment given, the answer is the user with no changes (since: null).
    z.object({ id: idSchema, since: disclosedSinceSchema.optional() }).strict(),
    z.object({ user: userSchema, since: z.string().nullable(), changes: z.array(disclosedChangeSchema) }),
  ),
  'users.revertSince': writeMethod(
    'Отмена изменений раскрытой учётной записи',
    ['admin'],
    z.object({ id: idSchema, since: disclosedSinceSchema.optional(), dryRun: z.boolean() }).strict(),
    z.object({
      reverted: z.array(idSchema),
      conflicts: z.array(z.object({ auditId: idSchema, reason: z.string() })),
      dryRun: z.boolean(),
    }),
  ),
} satisfies Record<string, MethodDef>;
