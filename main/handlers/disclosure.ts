import type { disclosureMethods } from '../../common/api/disclosure-contract';
import { ApiError } from '../../common/api/errors';
import type { Handler } from '../context';
import { countChangesSince } from '../disclosure/entries';
import { disclosedUser, disclosureView, markDisclosed, normalizeSince, previewChanges, revertChanges, sinceFor, toChange } from '../disclosure/service';
import { findUserById } from './users-repo';

type Methods = keyof typeof disclosureMethods;

const disclose: Handler<'users.disclose'> = async (ctx, params) => {
  const since = normalizeSince(ctx, params.since);
  const { before, after } = await markDisclosed(ctx, params.id, since);
  const changes = await countChangesSince(ctx.db, after.id, since);
  ctx.audit({ entity: 'user', entityId: after.id, before: disclosureView(before), after: disclosureView(after), details: { since, changes, note: params.note ?? null } });
  return { user: disclosedUser(after), changes };
};

const disclosedChanges: Handler<'users.disclosedChanges'> = async (ctx, params) => {
  const row = await findUserById(ctx.db, params.id);
  if (params.since === undefined && row.disclosed_since === null) return { user: disclosedUser(row), since: null, changes: [] };
  const since = sinceFor(ctx, row, params.since);
  const outcomes = await previewChanges(ctx, row, since);
  return { user: disclosedUser(row), since, changes: outcomes.map(toChange) };
};

const revertSince: Handler<'users.revertSince'> = async (ctx, params) => {
  const row = await findUserById(ctx.db, params.id);
  if (row.disclosed_since === null) {
    throw new ApiError('refused', `Учётная запись ${row.login} не отмечена как раскрытая. Сначала отметьте её («Учётные данные раскрыты…»): она будет заблокирована.`);
  }
  const since = sinceFor(ctx, row, params.since);
  const outcomes = await revertChanges(ctx, row, since, params.dryRun);
  const reverted = outcomes.filter((o) => o.status === 'reverted').map((o) => o.entry.id);
  const conflicts = outcomes.filter((o) => o.status === 'refused').map((o) => ({ auditId: o.entry.id, reason: o.reason ?? '' }));
  ctx.audit({ entity: 'user', entityId: row.id, details: { since, dryRun: params.dryRun, reverted: reverted.length, conflicts: conflicts.length } });
  return { reverted, conflicts, dryRun: params.dryRun };
};

/** App accounts whose credentials were disclosed: lock, list and revert their changes since T. */
export const disclosureHandlers: { [M in Methods]: Handler<M> } = {
  'users.disclose': disclose,
  'users.disclosedChanges': disclosedChanges,
  'users.revertSince': revertSince,
};
