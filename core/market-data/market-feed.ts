import type { Bar, Quote, Trade } from './bar.js';
import type { Timeframe } from './timeframe.js';

/** Where market data comes from, shown on every chart so simulated data is never taken for the tape. */
export type DataSource = 'sim' | 'iex' | 'sip' | 'delayed_sip';

/** What a live feed delivers, in time order per symbol. */
export type FeedEvent = { kind: 'trade'; trade: Trade } | { kind: 'quote'; quote: Quote };

/** Receives feed events and connection changes. */
export interface FeedListener {
  onEvents(events: readonly FeedEvent[]): void;
  onStatus?(status: { connected: boolean; detail?: string }): void;
}

/** A live source of trades and quotes for every symbol it carries (sim or Alpaca). */
export interface MarketFeed {
  readonly source: DataSource;
  /** Starts delivering to `listener`; resolves once connected (or rejects after its timeout). */
  start(listener: FeedListener): Promise<void>;
  stop(): Promise<void>;
  isConnected(): boolean;
}

/** Historical bars for one symbol over [start, end), ascending, never past the feed's present. */
export interface BarHistory {
  readonly source: DataSource;
  bars(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<Bar[]>;
  /** The feed's present time (the simulated clock for sim). */
  now(): number;
}

/** Persisted bars (1Min bars recorded from the live feed), for history when upstream cannot answer. */
export interface BarStore {
  /** Inserts or replaces bars by (symbol, timeframe, t). */
  upsert(timeframe: string, bars: readonly Bar[]): Promise<void>;
  /** Bars of one symbol over [start, end), ascending. */
  read(symbol: string, timeframe: string, start: number, end: number): Promise<Bar[]>;
}
