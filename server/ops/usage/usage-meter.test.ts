import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/kernel/index.js';
import { MarketSimulator } from '../../../core/market-data/index.js';
import { AlpacaTradingRestClient } from '../../adapters/brokers/alpaca/trading-rest-client.js';
import { AlpacaFeed } from '../../adapters/feeds/alpaca/alpaca-feed.js';
import { AlpacaRestClient } from '../../adapters/feeds/alpaca/rest-client.js';
import { buildSimServer, type SimServer } from '../../sim/index.js';
import { RollingUsageMeter } from './usage-meter.js';

describe('RollingUsageMeter', () => {
  it('counts calls per API over the last 60 seconds and keeps totals', () => {
    let now = Date.parse('2026-11-26T12:00:00.000Z');
    const meter = new RollingUsageMeter(() => now);
    for (let i = 0; i < 5; i += 1) meter.restCall('alpaca_data');
    now += 30_000;
    for (let i = 0; i < 3; i += 1) meter.restCall('alpaca_data');
    meter.restCall('alpaca_trading');
    expect(meter.callsLastMinute('alpaca_data')).toBe(8);
    expect(meter.callsLastMinute('alpaca_trading')).toBe(1);
    now += 30_500; // the first five are now 60.5 s old
    expect(meter.callsLastMinute('alpaca_data')).toBe(3);
    now += 120_000; // a slot reused two minutes later starts from zero
    meter.restCall('alpaca_data');
    expect(meter.callsLastMinute('alpaca_data')).toBe(1);
    expect(meter.callsTotal('alpaca_data')).toBe(9);
    meter.streamSymbols(30);
    expect(meter.subscribedSymbols).toBe(30);
  });
});

describe('Alpaca adapters report into the usage meter (against pulse sim)', () => {
  let sim: SimServer;
  let origin: string;
  const clock = new ManualClock(Date.parse('2024-03-12T14:30:00Z'));

  beforeAll(async () => {
    sim = await buildSimServer({
      simulator: new MarketSimulator({ seed: 'usage-meter' }),
      clock,
      tickMs: 50,
    });
    origin = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await sim.app.close();
  });

  it('counts every market data and Trading API call, and the symbols the stream subscribed', async () => {
    const meter = new RollingUsageMeter();
    const rest = new AlpacaRestClient({
      baseUrl: origin,
      keyId: 'key',
      secretKey: 'secret',
      feed: 'iex',
      timeoutMs: 5_000,
      usage: meter,
    });
    await rest.bars(['AAPL', 'MSFT'], '1Min', '2024-03-12T14:00:00Z', '2024-03-12T14:20:00Z');
    await rest.trades(['AAPL'], '2024-03-12T14:19:00Z', '2024-03-12T14:20:00Z');
    expect(meter.callsLastMinute('alpaca_data')).toBe(rest.rateLimit.requests);
    expect(meter.callsLastMinute('alpaca_data')).toBeGreaterThanOrEqual(2);

    const trading = new AlpacaTradingRestClient({
      baseUrl: origin,
      keyId: 'PKUSAGE',
      secretKey: 'secret',
      timeoutMs: 5_000,
      usage: meter,
    });
    await trading.send({ method: 'GET', path: '/v2/account' });
    await trading.send({ method: 'GET', path: '/v2/positions' });
    expect(meter.callsLastMinute('alpaca_trading')).toBe(2);

    const feed = new AlpacaFeed({
      feed: 'iex',
      rest,
      symbols: ['AAPL', 'MSFT', 'SPY'],
      now: () => clock.now(),
      stream: {
        url: `${origin.replace('http', 'ws')}/v2/iex`,
        keyId: 'key',
        secretKey: 'secret',
        usage: meter,
      },
    });
    expect(meter.subscribedSymbols).toBe(0);
    await feed.start({ onEvents: () => undefined });
    try {
      expect(meter.subscribedSymbols).toBe(3);
    } finally {
      await feed.stop();
    }
  });
});
