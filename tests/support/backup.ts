import { createHash } from 'node:crypto';

/**
 * A backup file's bytes with its plain header rewritten (and the header's hash with it) as if a
 * program 50 schema versions newer had written it: what the refusal of a newer backup is tested with.
 */
export function asFromNewerSchema(bytes: Buffer): Buffer {
  const magic = bytes.subarray(0, 8);
  const length = bytes.readUInt32BE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8')) as { schemaVersion: number };
  header.schemaVersion += 50;
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  const hash = createHash('sha256').update(magic).update(len).update(json).digest();
  return Buffer.concat([magic, len, json, hash, bytes.subarray(12 + length + 32)]);
}
