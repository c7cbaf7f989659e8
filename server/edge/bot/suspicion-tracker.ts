/** Options of {@link SuspicionTracker}. */
export interface SuspicionOptions {
  /** A recorded event counts half after this long (default 10 minutes). */
  halfLifeMs?: number;
  /** Addresses remembered; the least recently touched are forgotten first (default 50 000). */
  maxAddresses?: number;
  now?: () => number;
}

/** What is known against one address, as decaying counts. */
export interface Suspicion {
  failedSignIns: number;
  rateLimited: number;
}

interface Entry {
  failed: number;
  limited: number;
  at: number;
}

/**
 * Remembers, per client IP, failed sign-ins and rate-limit refusals as counts that halve every `halfLifeMs`.
 * The auth routes may feed it (`recordFailedSignIn`); the bot-defence plugin also feeds it from responses.
 * Per process: behind a load balancer each node judges the traffic it sees.
 */
export class SuspicionTracker {
  private readonly entries = new Map<string, Entry>();
  private readonly halfLifeMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(options: SuspicionOptions = {}) {
    this.halfLifeMs = options.halfLifeMs ?? 600_000;
    this.maxAddresses = options.maxAddresses ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts one failed sign-in (wrong password, unknown e-mail) from `ip`. */
  recordFailedSignIn(ip: string): void {
    this.update(ip, (e) => void (e.failed += 1));
  }

  /** Counts one request from `ip` that the rate limiter refused. */
  recordRateLimited(ip: string): void {
    this.update(ip, (e) => void (e.limited += 1));
  }

  /** Forgets the failures of `ip` (after a successful sign-in). */
  clearFailedSignIns(ip: string): void {
    const entry = this.entries.get(ip);
    if (entry) entry.failed = 0;
  }

  /** The decayed counts for `ip` now. */
  get(ip: string): Suspicion {
    const entry = this.entries.get(ip);
    if (!entry) return { failedSignIns: 0, rateLimited: 0 };
    const decay = this.decay(entry);
    return { failedSignIns: entry.failed * decay, rateLimited: entry.limited * decay };
  }

  private decay(entry: Entry): number {
    return 2 ** (-(this.now() - entry.at) / this.halfLifeMs);
  }

  private update(ip: string, change: (entry: Entry) => void): void {
    const previous = this.entries.get(ip);
    const decay = previous ? this.decay(previous) : 1;
    const entry: Entry = {
      failed: (previous?.failed ?? 0) * decay,
      limited: (previous?.limited ?? 0) * decay,
      at: this.now(),
    };
    change(entry);
    this.entries.delete(ip);
    this.entries.set(ip, entry);
    if (this.entries.size > this.maxAddresses) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

/** How the needed difficulty grows with suspicion. */
export interface DifficultyPolicy {
  /** Leading zero bits asked of a client with no other strike than not having proved it runs our JS (default 14). */
  base: number;
  /** Never asked above this (default 22: ~4 M hashes, tens of seconds in a browser). */
  max: number;
  /** From this many failed sign-ins on, even a proven client is challenged (default 3). */
  failuresBeforeChallenge: number;
}

/** The default difficulty policy. */
export const DEFAULT_DIFFICULTY: DifficultyPolicy = { base: 14, max: 22, failuresBeforeChallenge: 3 };

/**
 * Leading zero bits a client must prove before signing in or up; 0 means no challenge. A client that has proved it
 * runs Pulse's JavaScript and has no strikes passes free; from `failuresBeforeChallenge` failed sign-ins on every
 * further one adds 2 bits (4× the work); having been rate-limited adds 4.
 */
export function requiredDifficulty(
  suspicion: Suspicion,
  provenJs: boolean,
  policy: DifficultyPolicy,
): number {
  const strikes = Math.floor(suspicion.failedSignIns + 1e-9) - policy.failuresBeforeChallenge + 1;
  const limited = suspicion.rateLimited >= 1;
  if (provenJs && strikes <= 0 && !limited) return 0;
  const bits = policy.base + 2 * Math.max(0, strikes - 1) + (limited ? 4 : 0);
  return Math.min(policy.max, bits);
}
