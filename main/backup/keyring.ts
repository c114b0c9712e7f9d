import type { KeyObject } from 'node:crypto';
import { openDataKey, unlockBackupKey, type BackupKeyRecord } from './backup-key';
import { BackupFileError, deriveKey, type BackupHeader } from './format';

/**
 * Opens files' data keys with one passphrase, unlocking each private key (one scrypt) once per
 * verification: a backup and its archive objects share the key pair.
 *
 * A file's header carries the private key wrapped under the passphrase of the day it was
 * written. After «Сменить парольную фразу» the register holds the same key under the new
 * passphrase: given as `alternates` (the app has the register; the CLI's verify does not), an
 * older file opens with the new passphrase too.
 */
export class KeyRing {
  private readonly privateKeys = new Map<string, KeyObject>();

  constructor(
    private readonly passphrase: string | null,
    private readonly alternates: readonly BackupKeyRecord[] = [],
  ) {}

  private secret(): string {
    if (this.passphrase === null) throw new BackupFileError('неверная парольная фраза', 'passphrase');
    return this.passphrase;
  }

  async dataKey(header: BackupHeader): Promise<Buffer> {
    if (header.format === 1) return deriveKey(this.secret(), header.kdf);
    let privateKey = this.privateKeys.get(header.recipient.fingerprint);
    if (!privateKey) {
      privateKey = await this.unlock(header.recipient);
      this.privateKeys.set(header.recipient.fingerprint, privateKey);
    }
    return openDataKey(privateKey, header);
  }

  private async unlock(recipient: BackupKeyRecord): Promise<KeyObject> {
    try {
      return await unlockBackupKey(recipient, this.secret());
    } catch (error) {
      if (!(error instanceof BackupFileError && error.kind === 'passphrase')) throw error;
      for (const other of this.alternates) {
        if (other.fingerprint !== recipient.fingerprint || other.wrappedPrivateKey === recipient.wrappedPrivateKey) continue;
        try {
          return await unlockBackupKey(other, this.secret());
        } catch {
          // Not this one either.
        }
      }
      throw error;
    }
  }
}
