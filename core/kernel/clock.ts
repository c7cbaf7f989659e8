/** A source of the current time in UTC epoch milliseconds; the only way core learns the time. */
export interface Clock {
  now(): number;
}

/** A clock that starts at `start` and runs `speed` times faster than the `real` clock it follows. */
export function scaledClock(options: { start: number; speed: number; real: Clock }): Clock {
  const { start, speed, real } = options;
  const origin = real.now();
  return { now: () => start + Math.floor((real.now() - origin) * speed) };
}

/** A clock that only moves when told to: for tests and replays. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
