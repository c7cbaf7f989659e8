import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../../core/kernel/index.js';
import { MarketSimulator } from '../../../../core/market-data/index.js';
import { marketFeedContract } from '../../../../core/testing/market-feed.contract.js';
import { SimHistoryPool } from './history-pool.js';
import { SimFeed } from './sim-feed.js';

describe('SimFeed', () => {
  marketFeedContract('sim', async () => {
    const clock = scaledClock({
      start: Date.parse('2024-03-12T14:30:10Z'),
      speed: 60,
      real: { now: Date.now },
    });
    const feed = new SimFeed({ simulator: new MarketSimulator({ seed: 'contract' }), clock, tickMs: 50 });
    return {
      feed,
      symbol: 'AAPL',
      collectMs: 2_600,
      wait: (ms) => new Promise((r) => setTimeout(r, ms)),
      close: async () => undefined,
    };
  });
});

describe('SimFeed with a history worker', () => {
  it('computes history on the worker thread with the same bars as the simulator', async () => {
    const clock = scaledClock({
      start: Date.parse('2024-03-12T20:00:00Z'),
      speed: 1,
      real: { now: Date.now },
    });
    const simulator = new MarketSimulator({ seed: 'pool' });
    const historyPool = new SimHistoryPool({ seed: 'pool' });
    const feed = new SimFeed({ simulator, clock, historyPool });
    try {
      const tf = { amount: 1, unit: 'Min' } as const;
      const start = Date.parse('2024-03-11T13:30:00Z');
      const end = Date.parse('2024-03-12T20:00:00Z');
      const [fromWorker, again] = await Promise.all([
        feed.bars('AAPL', tf, start, end),
        feed.bars('MSFT', tf, start, end),
      ]);
      expect(fromWorker).toEqual(simulator.bars('AAPL', tf, start, end));
      expect(again).toEqual(simulator.bars('MSFT', tf, start, end));
      expect(fromWorker.length).toBeGreaterThan(1_000);
    } finally {
      await feed.stop();
    }
    expect(historyPool.busy).toBe(true);
  });
});
