import { describe, expect, it } from 'vitest';
import { passwordWeakness } from './password-policy.js';

describe('passwordWeakness', () => {
  it.each([
    ['short1!', /12 characters/],
    ['password1234', /most common/],
    ['P@ssw0rd2024!', /most common/],
    ['Qwertyuiop!!', /most common/],
    ['iloveyou iloveyou', /repeated|common/],
    ['aaaaaaaaaaaaaaa', /repeated/],
    ['abcabcabcabc', /repeated/],
    ['1234567890ab', /sequence/],
    ['poiuytrewq12', /sequence/],
    ['1212121212121', /repeated|sequence/],
  ])('refuses %s', (password, reason) => {
    expect(passwordWeakness(password)).toMatch(reason);
  });

  it('refuses a password built on the e-mail address', () => {
    expect(passwordWeakness('margaret-2026-pulse!', 'margaret.hamilton@example.com')).toMatch(/e-mail/);
    expect(passwordWeakness('example-corp-login-7', 'ada@example.com')).toMatch(/e-mail/);
  });

  it.each(['violet tangerine hovercraft 42', 'a long enough passphrase', 'Tr0ub4dor&3-horse-Staple'])(
    'accepts %s',
    (password) => {
      expect(passwordWeakness(password, 'ada@example.com')).toBeNull();
    },
  );
});
