/**
 * Maximum (or minimum) of the last `period` values in amortised O(1) per value: a monotonic deque kept in
 * preallocated rings, so pushing allocates nothing. Values equal TA-Lib's MAX/MIN (an extreme is exact).
 */
export class RollingExtreme {
  private readonly values: Float64Array;
  private readonly indices: Float64Array;
  private head = 0;
  private size = 0;
  private count = 0;

  constructor(
    readonly period: number,
    private readonly isMax: boolean,
  ) {
    this.values = new Float64Array(period);
    this.indices = new Float64Array(period);
  }

  /** Adds `x` and returns the extreme of the last `period` values (fewer while filling). */
  push(x: number): number {
    const { values, indices, period } = this;
    // Drop from the back every value `x` dominates; they can never be the extreme again.
    while (this.size > 0) {
      let back = this.head + this.size - 1;
      if (back >= period) back -= period;
      const v = values[back]!;
      if (this.isMax ? v <= x : v >= x) this.size--;
      else break;
    }
    // Drop the front once it has left the window.
    if (this.size > 0 && indices[this.head]! <= this.count - period) {
      this.head = this.head + 1 === period ? 0 : this.head + 1;
      this.size--;
    }
    let slot = this.head + this.size;
    if (slot >= period) slot -= period;
    values[slot] = x;
    indices[slot] = this.count;
    this.size++;
    this.count++;
    return values[this.head]!;
  }
}

/** A fixed-size ring of the last `size` values, preallocated. */
export class Ring {
  private readonly buffer: Float64Array;
  private pos = 0;

  constructor(readonly size: number) {
    this.buffer = new Float64Array(size);
  }

  /** Stores `x` and returns the value it displaced (the one pushed `size` pushes ago; 0 while filling). */
  push(x: number): number {
    const old = this.buffer[this.pos]!;
    this.buffer[this.pos] = x;
    this.pos = this.pos + 1 === this.size ? 0 : this.pos + 1;
    return old;
  }

  /** The oldest stored value: the next one `push` will displace. */
  oldest(): number {
    return this.buffer[this.pos]!;
  }
}
