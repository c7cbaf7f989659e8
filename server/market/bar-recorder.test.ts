import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/kernel/index.js';
import { MarketSimulator, parseTimeframe } from '../../core/market-data/index.js';
import { SqlBarStore } from '../adapters/db/sql-bar-store.js';
import { SimFeed } from '../adapters/feeds/sim/sim-feed.js';
import { ENGINES, type TestDatabase } from '../testing/databases.js';
import { BarRecorder } from './bar-recorder.js';
import { FallbackBarHistory } from './fallback-history.js';
import { LiveMarket } from './live-market.js';

const START = Date.parse('2024-03-12T14:30:00Z');

describe.each(ENGINES)('BarRecorder and FallbackBarHistory on %s', (_engine, open) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await open();
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('records the live market’s closed bars, equal to history, and serves them when upstream fails', async () => {
    const clock = new ManualClock(START);
    const simulator = new MarketSimulator({ seed: 'recorder' });
    const feed = new SimFeed({ simulator, clock, tickMs: 5 });
    const live = new LiveMarket(feed, () => clock.now());
    const store = new SqlBarStore(test.handle.db);
    const recorder = new BarRecorder({ store, flushMs: 20 });
    recorder.start(live);
    await live.start();
    for (let i = 0; i < 24; i += 1) {
      clock.advance(15_000);
      await new Promise((r) => setTimeout(r, 12));
    }
    await live.stop();
    await recorder.stop();

    const oneMin = parseTimeframe('1Min')!;
    const expected = simulator.bars('AAPL', oneMin, START, START + 6 * 60_000);
    const stored = await store.read('AAPL', '1Min', START, START + 6 * 60_000);
    expect(stored).toEqual(expected);
    expect(recorder.stats.recorded).toBeGreaterThanOrEqual(6 * simulator.instruments.length * 0.9);
    expect(recorder.stats.dropped).toBe(0);

    const failing = {
      source: 'iex' as const,
      now: () => clock.now(),
      bars: async () => {
        throw new Error('upstream down');
      },
    };
    const history = new FallbackBarHistory(failing, store);
    expect(await history.bars('AAPL', oneMin, START, START + 6 * 60_000)).toEqual(expected);
    const fiveMin = await history.bars('AAPL', parseTimeframe('5Min')!, START, START + 5 * 60_000);
    expect(fiveMin).toEqual(simulator.bars('AAPL', parseTimeframe('5Min')!, START, START + 5 * 60_000));
    expect(history.stats.fallbacks).toBe(2);
  });

  it('replaces a bar recorded twice instead of duplicating it', async () => {
    const store = new SqlBarStore(test.handle.db);
    const bar = {
      symbol: 'ZZ',
      t: START,
      o: 1,
      h: 2,
      l: 0.5,
      c: 1.5,
      v: 100,
      n: 3,
      vw: 1.2,
      extended: false,
    };
    await store.upsert('1Min', [bar]);
    await store.upsert('1Min', [{ ...bar, c: 1.7, v: 150 }]);
    expect(await store.read('ZZ', '1Min', START, START + 60_000)).toEqual([{ ...bar, c: 1.7, v: 150 }]);
  });
});
