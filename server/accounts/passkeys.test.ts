import { describe, expect, it } from 'vitest';
import { relyingParty } from './passkeys.js';

describe('relyingParty', () => {
  it('uses PUBLIC_URL when it names a host, whatever the request says', () => {
    expect(relyingParty('https://pulse.example.com', 'http://evil.example:3000')).toEqual({
      id: 'pulse.example.com',
      origin: 'https://pulse.example.com',
      name: 'Pulse',
    });
  });

  it('falls back to the request origin when PUBLIC_URL is missing or an IP address', () => {
    expect(relyingParty(undefined, 'http://localhost:3000').origin).toBe('http://localhost:3000');
    expect(relyingParty('http://127.0.0.1:3197', 'http://localhost:3197')).toMatchObject({
      id: 'localhost',
      origin: 'http://localhost:3197',
    });
  });

  it('refuses IPv4 and IPv6 literals, which browsers reject as RP ids', () => {
    for (const origin of ['http://127.0.0.1:3000', 'http://[::1]:3000', 'https://10.0.0.5'])
      expect(() => relyingParty(undefined, origin)).toThrow(
        expect.objectContaining({ code: 'AUTH_PASSKEY_UNAVAILABLE' }),
      );
  });
});
