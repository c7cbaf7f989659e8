import fs from 'node:fs';
import path from 'node:path';
import type { UserSecretStore } from '../ports.js';
import { envelopeKeyId, rewrapSecret } from './envelope.js';
import { loadKeyring, MASTER_KEY_FILE, NEXT_KEY_FILE, writeNewKeyFile } from './master-key.js';
import { decodeMasterKey } from './master-key.js';

/** What a rotation did, and where the new key now lives. */
export interface RotationReport {
  oldKeyId: string;
  newKeyId: string;
  rewrapped: number;
  /** `file`: DATA_DIR/master.key holds the new key. `env`: set PULSE_MASTER_KEY to the new key. */
  source: 'file' | 'env';
  keyFile: string;
}

/**
 * Re-wraps every data key under a new master key (the secrets themselves are not decrypted).
 * The new key is written to master.key.next before the database changes (one transaction), so an
 * interruption at any point leaves every secret readable; with a key file, the new key then
 * replaces master.key and the old one is deleted.
 */
export async function rotateMasterKey(
  input: { envKey: string | undefined; dataDir: string },
  deps: { secrets: UserSecretStore },
): Promise<RotationReport> {
  const { ring, source } = loadKeyring(input);
  const nextFile = path.join(input.dataDir, NEXT_KEY_FILE);
  const next = fs.existsSync(nextFile)
    ? decodeMasterKey(fs.readFileSync(nextFile, 'utf8'))
    : writeNewKeyFile(nextFile);
  const withNext = { primary: ring.primary, keys: new Map([...ring.keys, [next.id, next]]) };
  const all = await deps.secrets.all();
  const changed = all
    .filter((r) => envelopeKeyId(r.envelope) !== next.id)
    .map((r) => ({ ...r, envelope: rewrapSecret(withNext, r.envelope, next) }));
  await deps.secrets.replaceEnvelopes(changed);
  if (source.kind === 'file') {
    fs.renameSync(nextFile, path.join(input.dataDir, MASTER_KEY_FILE));
    return {
      oldKeyId: ring.primary.id,
      newKeyId: next.id,
      rewrapped: changed.length,
      source: 'file',
      keyFile: source.file,
    };
  }
  return {
    oldKeyId: ring.primary.id,
    newKeyId: next.id,
    rewrapped: changed.length,
    source: 'env',
    keyFile: nextFile,
  };
}
