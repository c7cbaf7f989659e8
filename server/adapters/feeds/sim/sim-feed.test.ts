import { describe } from 'vitest';
import { scaledClock } from '../../../../core/kernel/index.js';
import { MarketSimulator } from '../../../../core/market-data/index.js';
import { marketFeedContract } from '../../../../core/testing/market-feed.contract.js';
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
