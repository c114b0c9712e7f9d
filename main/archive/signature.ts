import { sign, verify, type KeyObject } from 'node:crypto';
import type { VolumeKind } from '../../common/api/archive-contract';

/**
 * The archive signature: Ed25519 over a statement that binds the PDF's SHA-256 to its register
 * entry (number, version, kind, moment of sealing), so a signature cannot be moved to another
 * entry nor a file swapped under an entry.
 */

export interface SignedFields {
  archiveNo: string;
  version: number;
  kind: VolumeKind;
  sha256: string;
  /** ISO moment of sealing, exactly as stored in `archive_volume.sealed_at`. */
  sealedAt: string;
}

export function signedStatement(fields: SignedFields): Buffer {
  return Buffer.from(['school-office archive v1', fields.archiveNo, String(fields.version), fields.kind, fields.sha256, fields.sealedAt].join('\n'), 'utf8');
}

/** Base64 of the Ed25519 signature. */
export function signVolume(privateKey: KeyObject, fields: SignedFields): string {
  return sign(null, signedStatement(fields), privateKey).toString('base64');
}

export function signatureVerifies(publicKey: KeyObject, fields: SignedFields, signatureBase64: string): boolean {
  try {
    return verify(null, signedStatement(fields), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
