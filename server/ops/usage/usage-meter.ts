/** The upstream APIs whose calls are counted against Alpaca's per-minute limits. */
export type UpstreamApi = 'alpaca_data' | 'alpaca_trading';

/**
 * The port upstream adapters report into: one call per HTTP attempt (retries count, as Alpaca counts
 * them), and the number of symbols the market data stream is subscribed to.
 */
export interface UsageMeter {
  restCall(api: UpstreamApi): void;
  streamSymbols(count: number): void;
}

const WINDOW_SECONDS = 60;

/** Per-second buckets over a rolling minute, per API; bounded (60 buckets each). */
class RollingMinute {
  private readonly buckets = new Array<number>(WINDOW_SECONDS).fill(0);
  private readonly seconds = new Array<number>(WINDOW_SECONDS).fill(-1);
  total = 0;

  add(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % WINDOW_SECONDS;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] = (this.buckets[slot] ?? 0) + 1;
    this.total += 1;
  }

  /** Calls in the 60 s ending at `nowMs`. */
  count(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < WINDOW_SECONDS; i += 1) {
      const at = this.seconds[i] ?? -1;
      if (at > second - WINDOW_SECONDS && at <= second) sum += this.buckets[i] ?? 0;
    }
    return sum;
  }
}

/** The in-process meter: Alpaca REST calls per rolling minute and stream symbols, for this node. */
export class RollingUsageMeter implements UsageMeter {
  private readonly apis: Record<UpstreamApi, RollingMinute> = {
    alpaca_data: new RollingMinute(),
    alpaca_trading: new RollingMinute(),
  };
  private symbols = 0;

  constructor(private readonly now: () => number = Date.now) {}

  restCall(api: UpstreamApi): void {
    this.apis[api].add(this.now());
  }

  streamSymbols(count: number): void {
    this.symbols = Math.max(0, Math.floor(count));
  }

  /** Calls to `api` in the last 60 s. */
  callsLastMinute(api: UpstreamApi): number {
    return this.apis[api].count(this.now());
  }

  /** Calls to `api` since start. */
  callsTotal(api: UpstreamApi): number {
    return this.apis[api].total;
  }

  get subscribedSymbols(): number {
    return this.symbols;
  }
}
