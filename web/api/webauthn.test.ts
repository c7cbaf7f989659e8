import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './webauthn.js';

describe('base64url', () => {
  it('round-trips every byte value and every padding length, without padding or + and /', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 6; n++) {
      const bytes = all.slice(250 - n, 256);
      const text = toBase64url(bytes);
      expect(text).not.toMatch(/[+/=]/);
      expect(new Uint8Array(fromBase64url(text))).toEqual(bytes);
    }
    expect(toBase64url(new TextEncoder().encode('pulse?>'))).toBe('cHVsc2U_Pg');
    expect(new TextDecoder().decode(fromBase64url('cHVsc2U_Pg'))).toBe('pulse?>');
  });
});
