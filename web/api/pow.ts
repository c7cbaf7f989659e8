/** A proof-of-work challenge from GET /api/v1/challenge. */
export interface PowChallenge {
  id: string;
  salt: string;
  difficulty: number;
  expiresAt: string;
}

/** Options of {@link solvePow}. */
export interface SolveOptions {
  /** Web Crypto's SubtleCrypto (default `globalThis.crypto.subtle`). */
  subtle?: SubtleCrypto;
  signal?: AbortSignal | undefined;
  /** Hashes computed concurrently per round (default 256). */
  batch?: number;
  /** Give up after this many hashes (default 2^26, far past the server's maximum difficulty). */
  maxHashes?: number;
}

/** True when `hash` starts with at least `bits` zero bits. */
export function hasLeadingZeroBits(hash: Uint8Array, bits: number): boolean {
  const whole = Math.floor(bits / 8);
  for (let i = 0; i < whole; i += 1) if (hash[i] !== 0) return false;
  const rest = bits % 8;
  return rest === 0 || (hash[whole] ?? 0xff) >> (8 - rest) === 0;
}

/**
 * Finds a nonce so that sha256(salt + nonce) starts with `difficulty` zero bits and returns the `x-pow` header
 * value `id:nonce`. Expected work is 2^difficulty hashes; each round awaits Web Crypto, so the page stays responsive.
 */
export async function solvePow(challenge: PowChallenge, options: SolveOptions = {}): Promise<string> {
  const subtle = options.subtle ?? globalThis.crypto.subtle;
  const batch = options.batch ?? 256;
  const maxHashes = options.maxHashes ?? 2 ** 26;
  const encoder = new TextEncoder();
  for (let start = 0; start < maxHashes; start += batch) {
    options.signal?.throwIfAborted();
    const nonces = Array.from({ length: batch }, (_, i) => (start + i).toString(36));
    const hashes = await Promise.all(
      nonces.map((nonce) => subtle.digest('SHA-256', encoder.encode(challenge.salt + nonce))),
    );
    const found = hashes.findIndex((hash) => hasLeadingZeroBits(new Uint8Array(hash), challenge.difficulty));
    if (found >= 0) return `${challenge.id}:${nonces[found] ?? ''}`;
  }
  throw new Error(`no proof of work found in ${maxHashes} hashes`);
}
