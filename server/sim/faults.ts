/** Faults to inject, for testing clients that must survive a flaky exchange. */
export interface SimFaults {
  /** Close every stream connection this often (real milliseconds). */
  dropEveryMs?: number;
  /** After each drop (or from start when nothing drops), answer upgrades and REST with `status` for `ms`. */
  refuseReconnectFor?: { ms: number; status: 429 };
}

/** Schedules the configured faults in real time and tells the server when to refuse. */
export class FaultInjector {
  private refuseUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly faults: SimFaults,
    private readonly onDrop: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the drop timer (if any) and opens the first refusal window when nothing drops. */
  start(): void {
    const { dropEveryMs, refuseReconnectFor } = this.faults;
    if (dropEveryMs !== undefined && dropEveryMs > 0) {
      this.timer = setInterval(() => this.drop(), dropEveryMs);
      this.timer.unref();
    } else if (refuseReconnectFor) {
      this.refuseUntil = this.now() + refuseReconnectFor.ms;
    }
  }

  /** Drops every stream connection now and opens a refusal window. */
  drop(): void {
    const refuse = this.faults.refuseReconnectFor;
    if (refuse) this.refuseUntil = this.now() + refuse.ms;
    this.onDrop();
  }

  /** The HTTP status to refuse with right now and the seconds left, or null. */
  refusal(): { status: number; retryAfterSeconds: number } | null {
    const refuse = this.faults.refuseReconnectFor;
    const left = this.refuseUntil - this.now();
    if (!refuse || left <= 0) return null;
    return { status: refuse.status, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
  }

  /** Stops the drop timer. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
