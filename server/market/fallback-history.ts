import {
  type Bar,
  type BarHistory,
  type BarStore,
  rollupBars,
  type Timeframe,
} from '../../core/market-data/index.js';

/**
 * History from the upstream provider, falling back to the bars Pulse recorded itself when the
 * provider cannot answer (offline, rate-limited past its patience, down): charts keep working.
 */
export class FallbackBarHistory implements BarHistory {
  readonly stats = { fallbacks: 0 };

  constructor(
    private readonly upstream: BarHistory,
    private readonly store: BarStore,
    private readonly onFallback?: (error: unknown) => void,
  ) {}

  get source() {
    return this.upstream.source;
  }

  now(): number {
    return this.upstream.now();
  }

  async bars(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<Bar[]> {
    try {
      return await this.upstream.bars(symbol, timeframe, start, end);
    } catch (error) {
      this.stats.fallbacks += 1;
      this.onFallback?.(error);
      const minutes = await this.store.read(symbol, '1Min', start, Math.min(end, this.now() + 1));
      if (timeframe.unit === 'Min' && timeframe.amount === 1) return minutes;
      // rollupBars keeps Alpaca's rule: daily and longer bars from the regular session only.
      return rollupBars(minutes, timeframe);
    }
  }
}
