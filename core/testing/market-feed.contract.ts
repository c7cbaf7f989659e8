import { describe, expect, it } from 'vitest';
import {
  aggregateTrades,
  type BarHistory,
  type FeedEvent,
  type MarketFeed,
  type Quote,
  type Trade,
} from '../market-data/index.js';

/** A feed under test, running on a clock that is inside a regular session and moves fast. */
export interface FeedUnderTest {
  feed: MarketFeed & BarHistory;
  /** A symbol the feed carries that trades often. */
  symbol: string;
  /** Real milliseconds to collect for: long enough to span at least two whole feed minutes. */
  collectMs: number;
  /** Waits real time (the suite uses it between checks). */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

const ONE_MINUTE = { amount: 1, unit: 'Min' } as const;

/**
 * The behaviour every MarketFeed must show (the sim feed, and the Alpaca feed against `pulse sim`):
 * it connects, delivers trades in time order with sane quotes, and its live trades build exactly
 * the bars its history returns.
 */
export function marketFeedContract(name: string, make: () => Promise<FeedUnderTest>): void {
  describe(`MarketFeed contract: ${name}`, () => {
    it('connects, streams ordered trades and sane quotes, builds history’s bars, and stops', async () => {
      const t = await make();
      try {
        const events: FeedEvent[] = [];
        let status: boolean | undefined;
        await t.feed.start({
          onEvents: (batch) => events.push(...batch),
          onStatus: (s) => {
            status = s.connected;
          },
        });
        expect(t.feed.isConnected()).toBe(true);
        expect(status).toBe(true);
        await t.wait(t.collectMs);

        const trades = events
          .filter((e): e is { kind: 'trade'; trade: Trade } => e.kind === 'trade')
          .map((e) => e.trade);
        const quotes = events
          .filter((e): e is { kind: 'quote'; quote: Quote } => e.kind === 'quote')
          .map((e) => e.quote);
        const mine = trades.filter((tr) => tr.symbol === t.symbol);
        expect(mine.length).toBeGreaterThan(10);
        for (let i = 1; i < mine.length; i += 1) {
          expect(mine[i]!.t).toBeGreaterThanOrEqual(mine[i - 1]!.t);
        }
        expect(new Set(mine.map((tr) => `${tr.id}:${tr.t}`)).size).toBe(mine.length);
        expect(quotes.length).toBeGreaterThan(0);
        for (const q of quotes) expect(q.bidPrice).toBeLessThan(q.askPrice);

        // A whole minute inside the collection window: live trades must build history's bar.
        const firstMinute = Math.ceil(mine[0]!.t / 60_000) * 60_000;
        const minuteTrades = mine.filter((tr) => tr.t >= firstMinute && tr.t < firstMinute + 60_000);
        const lastSeen = mine.at(-1)!.t;
        expect(lastSeen).toBeGreaterThanOrEqual(firstMinute + 60_000);
        const live = aggregateTrades(minuteTrades, ONE_MINUTE);
        const history = await t.feed.bars(t.symbol, ONE_MINUTE, firstMinute, firstMinute + 60_000);
        expect(history).toHaveLength(1);
        expect(live).toEqual(history);

        const future = await t.feed.bars(
          t.symbol,
          ONE_MINUTE,
          t.feed.now() + 120_000,
          t.feed.now() + 600_000,
        );
        expect(future).toEqual([]);
      } finally {
        await t.feed.stop();
        expect(t.feed.isConnected()).toBe(false);
        await t.close();
      }
    });
  });
}
