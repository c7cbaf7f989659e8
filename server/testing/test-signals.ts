import type { ManualClock } from '../../core/kernel/index.js';
import { SqlBacktestStore } from '../adapters/db/sql-backtest-store.js';
import { SqlSignalStore } from '../adapters/db/sql-signal-store.js';
import type { SimFeed } from '../adapters/feeds/sim/sim-feed.js';
import { BacktestJobs } from '../jobs/backtest-jobs.js';
import type { LiveMarket } from '../market/live-market.js';
import { LiveSignals, type SignalOrderPlacer } from '../signals/live-signals.js';
import type { TestDatabase } from './databases.js';

/** Live signals and backtest jobs over a test database and the test app's simulated market (seed `test`). */
export interface TestSignals {
  store: SqlSignalStore;
  live: LiveSignals;
  backtests: BacktestJobs;
}

/** Builds and starts them; `placeOrder` wires order actions (omitted: stored as intents). */
export async function testSignals(
  database: TestDatabase,
  market: { live: LiveMarket; feed: SimFeed; clock: ManualClock },
  placeOrder?: SignalOrderPlacer,
): Promise<TestSignals> {
  const db = database.handle.db;
  const store = new SqlSignalStore(db);
  const live = new LiveSignals({
    store,
    history: market.feed,
    market: market.live,
    now: () => market.clock.now(),
    // Short catch-up windows keep the simulator's history work small in tests.
    catchUpBars: 50,
    ...(placeOrder && { placeOrder }),
  });
  const backtests = new BacktestJobs({
    store: new SqlBacktestStore(db),
    barSource: async () => ({ kind: 'sim', seed: 'test' }),
  });
  await live.start();
  await backtests.start();
  return { store, live, backtests };
}
