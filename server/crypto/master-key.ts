import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EnvelopeError, type Keyring, keyring, type MasterKey, masterKey } from './envelope.js';

/** The generated key file in DATA_DIR (mode 0600) when PULSE_MASTER_KEY is not set. */
export const MASTER_KEY_FILE = 'master.key';
/** A rotation's new key, written before the database is re-wrapped and renamed after. */
export const NEXT_KEY_FILE = 'master.key.next';

/** Where the master key comes from. */
export type MasterKeySource = { kind: 'env' } | { kind: 'file'; file: string };

/** Decodes a base64 master key (PULSE_MASTER_KEY); 32 bytes or an error naming the variable. */
export function decodeMasterKey(text: string): MasterKey {
  const bytes = Buffer.from(text.trim(), 'base64');
  if (bytes.length !== 32) throw new EnvelopeError('PULSE_MASTER_KEY must be 32 bytes, base64-encoded.');
  return masterKey(bytes);
}

function readKeyFile(file: string): MasterKey {
  return decodeMasterKey(fs.readFileSync(file, 'utf8'));
}

/** Writes a new random key to `file` with mode 0600; refuses to overwrite. */
export function writeNewKeyFile(file: string): MasterKey {
  const bytes = crypto.randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${bytes.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return masterKey(bytes);
}

/**
 * The master keyring: PULSE_MASTER_KEY when set, else DATA_DIR/master.key (created on first
 * use, 0600). A `master.key.next` left by an interrupted rotation is loaded too, so secrets
 * re-wrapped under it still open.
 */
export function loadKeyring(input: { envKey: string | undefined; dataDir: string }): {
  ring: Keyring;
  source: MasterKeySource;
} {
  const nextFile = path.join(input.dataDir, NEXT_KEY_FILE);
  const next = fs.existsSync(nextFile) ? [readKeyFile(nextFile)] : [];
  if (input.envKey !== undefined && input.envKey !== '')
    return { ring: keyring(decodeMasterKey(input.envKey), next), source: { kind: 'env' } };
  const file = path.join(input.dataDir, MASTER_KEY_FILE);
  let primary: MasterKey;
  try {
    primary = readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    try {
      primary = writeNewKeyFile(file);
    } catch (raced) {
      // Another process created it first: use theirs.
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      primary = readKeyFile(file);
    }
  }
  return { ring: keyring(primary, next), source: { kind: 'file', file } };
}
