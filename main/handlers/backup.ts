import type { backupMethods } from '../../common/api/backup-contract';
import { ApiError } from '../../common/api/errors';
import { changeBackupPassphrase, checkBackupPassphrase, currentBackupKey, NO_KEY_MESSAGE, replaceBackupKey, setUpBackupKey } from '../backup/key-store';
import { backupAndRecord } from '../backup/record';
import { sessionActor, type Handler } from '../context';

/**
 * Backups: the work (snapshot, encryption, verification per target, rotation) is in
 * main/backup/; `backup.run` is a job (progress, cancel) recorded by backupAndRecord. The key
 * methods set up, rewrap or replace the backup key pair; their audit entries name the key by its
 * fingerprint, never a passphrase (the params are redacted by name).
 */

const run: Handler<'backup.run'> = async (ctx, params) => {
  const targets = params.targets ?? ctx.app.settings.backupTargets;
  if (params.passphrase !== undefined) {
    // The CLI passes SCHOOL_OFFICE_BACKUP_PASSPHRASE when set: a wrong one must not go unnoticed.
    const key = await currentBackupKey(ctx.db);
    if (!key) throw new ApiError('refused', NO_KEY_MESSAGE);
    await checkBackupPassphrase(key, params.passphrase);
  }
  return ctx.app.jobs.run(params.jobId, (job) => backupAndRecord(ctx.app, { targets, actor: sessionActor(ctx.session), trigger: 'manual', rotation: { keepLatest: params.keepLatest, keepMonthly: params.keepMonthly } }, job));
};

const keyStatus: Handler<'backup.keyStatus'> = async (ctx) => {
  const key = await currentBackupKey(ctx.db);
  return { configured: key !== null, fingerprint: key?.fingerprint ?? null, createdAt: key?.createdAt ?? null };
};

const setUpPassphrase: Handler<'backup.setUpPassphrase'> = async (ctx, params) => {
  const key = await setUpBackupKey(ctx.db, params.passphrase, ctx.session?.user.id ?? null, ctx.now());
  ctx.audit({ entity: 'backup_key', entityId: key.id, details: { fingerprint: key.fingerprint } });
  return { fingerprint: key.fingerprint, createdAt: key.createdAt };
};

const changePassphrase: Handler<'backup.changePassphrase'> = async (ctx, params) => {
  const key = await changeBackupPassphrase(ctx.db, params.currentPassphrase, params.newPassphrase);
  ctx.audit({ entity: 'backup_key', entityId: key.id, details: { fingerprint: key.fingerprint } });
  return { fingerprint: key.fingerprint, createdAt: key.createdAt };
};

const replaceKey: Handler<'backup.replaceKey'> = async (ctx, params) => {
  const { key, replaced } = await replaceBackupKey(ctx.db, params.passphrase, ctx.session?.user.id ?? null, ctx.now());
  ctx.audit({ entity: 'backup_key', entityId: key.id, details: { fingerprint: key.fingerprint, replacedFingerprint: replaced } });
  return {
    fingerprint: key.fingerprint,
    createdAt: key.createdAt,
    message:
      replaced === null
        ? 'Ключ резервных копий создан.'
        : 'Ключ резервных копий заменён. Новые копии открываются новой парольной фразой; копии, сделанные раньше, — только прежней парольной фразой. Сделайте новую резервную копию сейчас.',
  };
};

export const backupHandlers: { [M in keyof typeof backupMethods]: Handler<M> } = {
  'backup.run': run,
  'backup.keyStatus': keyStatus,
  'backup.setUpPassphrase': setUpPassphrase,
  'backup.changePassphrase': changePassphrase,
  'backup.replaceKey': replaceKey,
};
