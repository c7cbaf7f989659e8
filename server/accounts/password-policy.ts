import { AppError } from '../errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** The minimum length, as NIST SP 800-63B advises for a sole factor with a breached-list check. */
export const MIN_PASSWORD_LENGTH = 12;

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};
const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz'];

function undoLeet(text: string): string {
  return [...text].map((ch) => LEET[ch] ?? ch).join('');
}

/** The core word: lower-cased, separators removed, digits and symbols stripped from both ends. */
function cores(password: string): string[] {
  const lower = password.toLowerCase().replace(/[\s._-]+/g, '');
  const stripped = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  return [lower, stripped, undoLeet(lower), undoLeet(stripped).replace(/^[^a-z]+|[^a-z]+$/g, '')];
}

/** True when the text is one short unit repeated (`aaaa…`, `abcabc…`, `passwordpassword`). */
function isRepetition(text: string): boolean {
  for (let unit = 1; unit <= text.length / 2; unit++) {
    if (text.length % unit === 0 && text.slice(0, unit).repeat(text.length / unit) === text) return true;
  }
  return false;
}

/** True when most of the text runs along a keyboard row or the alphabet, either way. */
function isSequence(text: string): boolean {
  const lower = text.toLowerCase();
  let run = 1;
  let longest = 1;
  for (let i = 1; i < lower.length; i++) {
    const pair = lower.slice(i - 1, i + 1);
    const adjacent = KEYBOARD_ROWS.some(
      (row) => row.includes(pair) || [...row].reverse().join('').includes(pair),
    );
    run = adjacent ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest >= Math.max(8, lower.length - 3);
}

/**
 * Why a password is too weak, or null when it is acceptable: too short, on the shipped list of
 * common passwords (after undoing leetspeak and padding), one repeated unit, a keyboard or
 * alphabet run, too few distinct characters, or built on the e-mail address.
 */
export function passwordWeakness(password: string, email?: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `use at least ${MIN_PASSWORD_LENGTH} characters`;
  const candidates = cores(password);
  if (candidates.some((c) => COMMON_PASSWORDS.has(c)))
    return 'this password is on the list of the most common passwords';
  if (candidates.some((c) => c.length > 0 && isRepetition(c))) return 'avoid repeated characters or words';
  if (isSequence(password)) return 'avoid keyboard or alphabet sequences';
  if (new Set(password.toLowerCase()).size < 5) return 'use more different characters';
  if (email) {
    const [local = '', domain = ''] = email.toLowerCase().split('@');
    const parts = [local, ...local.split(/[._+-]/), domain.split('.')[0] ?? ''].filter((p) => p.length >= 4);
    const lower = password.toLowerCase();
    if (parts.some((p) => lower.includes(p))) return 'do not build the password from your e-mail address';
  }
  return null;
}

/** Throws AUTH_WEAK_PASSWORD (400) with the reason when the password fails the policy. */
export function assertStrongPassword(password: string, email?: string): void {
  const weakness = passwordWeakness(password, email);
  if (weakness !== null) throw new AppError('AUTH_WEAK_PASSWORD', `Password too weak: ${weakness}.`);
}
