import type { backupStatusMethods } from '../../common/api/backup-status-contract';
import { checkFolder, sameDeviceWarnings } from '../backup/devices';
import { backupHistory, backupStatus } from '../backup/status';
import type { Handler } from '../context';

/**
 * Reading the state of the backups (issue 8). Read-only: the folder check of `checkTargets`
 * creates and removes one empty test file, nothing else.
 */

const status: Handler<'backup.status'> = async (ctx) => backupStatus({ opened: ctx.app.opened, settings: ctx.app.settings, now: ctx.now() });

const checkTargets: Handler<'backup.checkTargets'> = async (_ctx, params) => {
  const targets = [...new Set(params.targets)];
  return { targets: targets.map((t) => checkFolder(t, 'write')), warnings: sameDeviceWarnings(targets) };
};

const history: Handler<'backup.history'> = async (ctx, params) => backupHistory(ctx.db, params);

export const backupStatusHandlers: { [M in keyof typeof backupStatusMethods]: Handler<M> } = {
  'backup.status': status,
  'backup.checkTargets': checkTargets,
  'backup.history': history,
};
