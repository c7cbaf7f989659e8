import { describe, expect, it } from 'vitest';
import { hasLeadingZeroBits, solvePow } from './pow.js';

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

describe('hasLeadingZeroBits', () => {
  it('counts whole and partial bytes', () => {
    expect(hasLeadingZeroBits(Uint8Array.of(0, 0x0f, 0xff), 12)).toBe(true);
    expect(hasLeadingZeroBits(Uint8Array.of(0, 0x10, 0xff), 12)).toBe(false);
    expect(hasLeadingZeroBits(Uint8Array.of(0, 0, 0xff), 16)).toBe(true);
    expect(hasLeadingZeroBits(Uint8Array.of(0x80), 0)).toBe(true);
  });
});

describe('solvePow', () => {
  it('returns id:nonce whose sha256(salt + nonce) has the asked leading zero bits', async () => {
    const challenge = {
      id: 'abc.12.salt.mac',
      salt: 'Zm9vYmFyYmF6cXV4cXV1eA',
      difficulty: 12,
      expiresAt: '',
    };
    const proof = await solvePow(challenge);
    expect(proof.startsWith('abc.12.salt.mac:')).toBe(true);
    const nonce = proof.slice(proof.lastIndexOf(':') + 1);
    expect(nonce).toMatch(/^[0-9a-z]+$/);
    const hash = await sha256(challenge.salt + nonce);
    expect(hash[0]).toBe(0);
    expect((hash[1] ?? 0xff) >> 4).toBe(0);
  });

  it('gives up after maxHashes and honours an abort signal', async () => {
    const hard = { id: 'x', salt: 's', difficulty: 64, expiresAt: '' };
    await expect(solvePow(hard, { maxHashes: 512 })).rejects.toThrow(/no proof of work/);
    const controller = new AbortController();
    controller.abort();
    await expect(solvePow(hard, { signal: controller.signal })).rejects.toThrow();
  });
});
