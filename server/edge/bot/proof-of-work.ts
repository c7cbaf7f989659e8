import crypto from 'node:crypto';
import { ReplayCache } from './replay-cache.js';

/** A challenge as sent to the client (GET /api/v1/challenge). */
export interface Challenge {
  id: string;
  salt: string;
  difficulty: number;
  expiresAt: string;
}

/** Options of {@link proofOfWork}. */
export interface ProofOfWorkOptions {
  /** HMAC key; every node behind one load balancer needs the same one (POW_SECRET). */
  secret: string | Buffer;
  /** How long a challenge may be solved and used (default 2 minutes). */
  ttlMs?: number;
  /** Used ids remembered (default 100 000). */
  replayCapacity?: number;
  now?: () => number;
}

/** The outcome of checking an `x-pow` header. */
export type ProofVerdict =
  | { ok: true; difficulty: number }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'too-easy' | 'wrong' | 'replayed' };

/** Issues and checks stateless, HMAC-signed, single-use proof-of-work challenges. */
export interface ProofOfWork {
  issue(ip: string, difficulty: number): Challenge;
  /** Checks `header` (`id:nonce`) for this IP and a minimum difficulty; uses the challenge up when it passes. */
  verify(header: string | undefined, ip: string, minDifficulty: number): ProofVerdict;
  /** A signed value that expires (the "ran our JavaScript" cookie), and its check. */
  sign(purpose: string, expiresAt: number): string;
  verifySigned(purpose: string, value: string | undefined): boolean;
}

const NONCE = /^[0-9A-Za-z]{1,32}$/;
const ID = /^([0-9a-z]{1,12})\.(\d{1,2})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/** True when `hash` starts with at least `bits` zero bits. */
export function hasLeadingZeroBits(hash: Uint8Array, bits: number): boolean {
  const whole = Math.floor(bits / 8);
  for (let i = 0; i < whole; i += 1) if (hash[i] !== 0) return false;
  const rest = bits % 8;
  return rest === 0 || (hash[whole] ?? 0xff) >> (8 - rest) === 0;
}

/** Creates the challenge issuer/checker; the key and the replay cache live in the closure. */
export function proofOfWork(options: ProofOfWorkOptions): ProofOfWork {
  const ttlMs = options.ttlMs ?? 120_000;
  const now = options.now ?? Date.now;
  const replays = new ReplayCache(options.replayCapacity);
  const mac = (text: string) =>
    crypto.createHmac('sha256', options.secret).update(text).digest('base64url').slice(0, 22);
  const macEquals = (expected: string, actual: string) =>
    expected.length === actual.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(actual));
  // The client IP is signed in, so a challenge solved by one machine cannot be spent by another.
  const signed = (expires: string, difficulty: number, salt: string, ip: string) =>
    mac(`pow|${expires}|${difficulty}|${salt}|${ip}`);

  return {
    issue(ip, difficulty) {
      const expiresAt = now() + ttlMs;
      const expires = expiresAt.toString(36);
      const salt = crypto.randomBytes(16).toString('base64url');
      const id = `${expires}.${difficulty}.${salt}.${signed(expires, difficulty, salt, ip)}`;
      return { id, salt, difficulty, expiresAt: new Date(expiresAt).toISOString() };
    },

    verify(header, ip, minDifficulty) {
      const colon = header?.lastIndexOf(':') ?? -1;
      if (header === undefined || colon < 0) return { ok: false, reason: 'malformed' };
      const id = header.slice(0, colon);
      const nonce = header.slice(colon + 1);
      const parts = ID.exec(id);
      if (!parts || !NONCE.test(nonce)) return { ok: false, reason: 'malformed' };
      const [, expires = '', difficultyText = '', salt = '', signature = ''] = parts;
      const difficulty = Number(difficultyText);
      if (!macEquals(signed(expires, difficulty, salt, ip), signature))
        return { ok: false, reason: 'forged' };
      const expiresAt = parseInt(expires, 36);
      const at = now();
      if (expiresAt <= at) return { ok: false, reason: 'expired' };
      if (difficulty < minDifficulty) return { ok: false, reason: 'too-easy' };
      const hash = crypto
        .createHash('sha256')
        .update(salt + nonce)
        .digest();
      if (!hasLeadingZeroBits(hash, difficulty)) return { ok: false, reason: 'wrong' };
      if (!replays.claim(id, expiresAt, at)) return { ok: false, reason: 'replayed' };
      return { ok: true, difficulty };
    },

    sign(purpose, expiresAt) {
      const expires = expiresAt.toString(36);
      return `${expires}.${mac(`${purpose}|${expires}`)}`;
    },

    verifySigned(purpose, value) {
      const [expires = '', signature = ''] = value?.split('.') ?? [];
      if (!/^[0-9a-z]{1,12}$/.test(expires) || !macEquals(mac(`${purpose}|${expires}`), signature))
        return false;
      return parseInt(expires, 36) > now();
    },
  };
}
