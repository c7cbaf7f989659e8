/** A 32-bit hash of a string (xmur3 finaliser over Math.imul): stable across runs and platforms. */
export function hashString(text: string): number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Mixes up to four 32-bit integers into one uniformly distributed 32-bit hash (murmur3-style avalanche). */
export function mix(a: number, b: number, c = 0, d = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13) ^ c, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16) ^ d, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform number in (0, 1) from a key of up to four integers. */
export function uniform(a: number, b: number, c = 0, d = 0): number {
  return (mix(a, b, c, d) + 0.5) / 4294967296;
}

/** A standard normal number from a key of up to four integers (Box–Muller over two hashes). */
export function gaussian(a: number, b: number, c = 0, d = 0): number {
  const h = mix(a, b, c, d);
  const u1 = (h + 0.5) / 4294967296;
  const u2 = (mix(h, a ^ 0x5bd1e995, c, d) + 0.5) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A sequential seeded generator (splitmix32) for loops where each value need not be addressable on its own. */
export class SplitMix32 {
  constructor(private state: number) {}

  /** Next uniform 32-bit integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Next uniform number in (0, 1). */
  next(): number {
    return (this.nextU32() + 0.5) / 4294967296;
  }

  /** Next standard normal number. */
  gaussian(): number {
    return Math.sqrt(-2 * Math.log(this.next())) * Math.cos(2 * Math.PI * this.next());
  }
}
