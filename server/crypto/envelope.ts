import crypto from 'node:crypto';

/** A 256-bit master key and its short public id (a SHA-256 fingerprint), used to find it again. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The keys a node knows: `primary` wraps new data keys; any of `keys` can unwrap. */
export interface Keyring {
  primary: MasterKey;
  keys: ReadonlyMap<string, MasterKey>;
}

/** A sealed secret: the data key wrapped by a master key, and the data under the data key. */
interface Envelope {
  v: 1;
  /** Id of the master key that wrapped the data key. */
  kid: string;
  /** The wrapped data key: iv.ciphertext.tag, base64url. */
  dek: string;
  /** The secret: iv.ciphertext.tag, base64url. */
  data: string;
}

/** A sealed secret that could not be opened: wrong or unknown master key, or tampered. */
export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

const DEK_AAD = Buffer.from('pulse/dek/v1');

/** A master key from 32 raw bytes. */
export function masterKey(key: Buffer): MasterKey {
  if (key.length !== 32) throw new EnvelopeError('A master key is 32 bytes (256 bits).');
  return { id: crypto.createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** A keyring that seals with `primary` and opens with it or any of `others`. */
export function keyring(primary: MasterKey, others: readonly MasterKey[] = []): Keyring {
  return { primary, keys: new Map([...others, primary].map((k) => [k.id, k])) };
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

function open(key: Buffer, sealed: string, aad: Buffer): Buffer {
  const [iv, body, tag] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !body || !tag || iv.length !== 12 || tag.length !== 16)
    throw new EnvelopeError('Malformed envelope.');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new EnvelopeError('The envelope does not open with this key or was tampered with.');
  }
}

function parse(text: string): Envelope {
  const value = JSON.parse(text) as Partial<Envelope>;
  if (
    value.v !== 1 ||
    typeof value.kid !== 'string' ||
    typeof value.dek !== 'string' ||
    typeof value.data !== 'string'
  )
    throw new EnvelopeError('Not a Pulse envelope.');
  return value as Envelope;
}

/**
 * Encrypts a secret with AES-256-GCM under a fresh data key, and wraps the data key with the
 * primary master key. `context` (e.g. `user-id/broker-keys`) is authenticated, so an envelope
 * copied onto another row or user does not open.
 */
export function encryptSecret(ring: Keyring, plaintext: string, context: string): string {
  const dek = crypto.randomBytes(32);
  try {
    const envelope: Envelope = {
      v: 1,
      kid: ring.primary.id,
      dek: seal(ring.primary.key, dek, DEK_AAD),
      data: seal(dek, Buffer.from(plaintext, 'utf8'), Buffer.from(context, 'utf8')),
    };
    return JSON.stringify(envelope);
  } finally {
    dek.fill(0);
  }
}

/** Opens an envelope made by `encryptSecret` with the same context. */
export function decryptSecret(ring: Keyring, envelopeText: string, context: string): string {
  const envelope = parse(envelopeText);
  const master = ring.keys.get(envelope.kid);
  if (!master) throw new EnvelopeError(`Master key ${envelope.kid} is not loaded.`);
  const dek = open(master.key, envelope.dek, DEK_AAD);
  try {
    return open(dek, envelope.data, Buffer.from(context, 'utf8')).toString('utf8');
  } finally {
    dek.fill(0);
  }
}

/** Re-wraps an envelope's data key under `to`; the secret itself is never decrypted. */
export function rewrapSecret(ring: Keyring, envelopeText: string, to: MasterKey): string {
  const envelope = parse(envelopeText);
  const master = ring.keys.get(envelope.kid);
  if (!master) throw new EnvelopeError(`Master key ${envelope.kid} is not loaded.`);
  const dek = open(master.key, envelope.dek, DEK_AAD);
  try {
    return JSON.stringify({ ...envelope, kid: to.id, dek: seal(to.key, dek, DEK_AAD) } satisfies Envelope);
  } finally {
    dek.fill(0);
  }
}

/** The id of the master key an envelope is wrapped under. */
export function envelopeKeyId(envelopeText: string): string {
  return parse(envelopeText).kid;
}
