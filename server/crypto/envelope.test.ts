import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, keyring, masterKey, rewrapSecret } from './envelope.js';

describe('encryptSecret', () => {
  const ring = keyring(masterKey(crypto.randomBytes(32)));

  it('round-trips a secret and never stores it or its data key in the clear', () => {
    const sealed = encryptSecret(ring, 'alpaca-secret-123', 'u1/broker_keys');
    expect(sealed).not.toContain('alpaca-secret-123');
    expect(JSON.parse(sealed)).toMatchObject({ v: 1, kid: ring.primary.id });
    expect(decryptSecret(ring, sealed, 'u1/broker_keys')).toBe('alpaca-secret-123');
    expect(encryptSecret(ring, 'alpaca-secret-123', 'u1/broker_keys')).not.toBe(sealed);
  });

  it('refuses an envelope moved to another user or kind, or tampered with', () => {
    const sealed = encryptSecret(ring, 'x', 'u1/totp');
    expect(() => decryptSecret(ring, sealed, 'u2/totp')).toThrow(/tampered/);
    const envelope = JSON.parse(sealed) as { data: string };
    const [iv, body, tag] = envelope.data.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const forged = JSON.stringify({ ...envelope, data: [iv, flipped.toString('base64url'), tag].join('.') });
    expect(() => decryptSecret(ring, forged, 'u1/totp')).toThrow(/tampered/);
  });

  it('re-wraps the data key under a new master key; the old key no longer opens it', () => {
    const next = masterKey(crypto.randomBytes(32));
    const sealed = encryptSecret(ring, 'secret', 'ctx');
    const moved = rewrapSecret(ring, sealed, next);
    expect(JSON.parse(moved).data).toBe(JSON.parse(sealed).data);
    expect(decryptSecret(keyring(next), moved, 'ctx')).toBe('secret');
    expect(() => decryptSecret(ring, moved, 'ctx')).toThrow(/not loaded/);
  });
});
