/**
 * Remembers used challenge ids until they expire, in bounded memory. When full it forgets the oldest id and
 * from then on refuses every challenge that expires no later than it did: a forgotten id can never be replayed,
 * at worst an old unused one is refused (fail closed).
 */
export class ReplayCache {
  private readonly used = new Map<string, number>();
  private floor = 0;

  constructor(private readonly capacity = 100_000) {}

  /** Marks `id` as used; false when it was used before or may have been (see the class comment). */
  claim(id: string, expiresAt: number, now: number): boolean {
    for (const [key, expiry] of this.used) {
      if (expiry > now) break;
      this.used.delete(key);
    }
    if (expiresAt <= this.floor || this.used.has(id)) return false;
    if (this.used.size >= this.capacity) {
      const oldest = this.used.entries().next().value;
      if (oldest) {
        this.used.delete(oldest[0]);
        this.floor = Math.max(this.floor, oldest[1]);
        if (expiresAt <= this.floor) return false;
      }
    }
    this.used.set(id, expiresAt);
    return true;
  }

  get size(): number {
    return this.used.size;
  }
}
