import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { type Clock, scaledClock } from '../../../../core/kernel/index.js';
import { type Bar, MarketSimulator } from '../../../../core/market-data/index.js';
import { marketFeedContract } from '../../../../core/testing/market-feed.contract.js';
import { LiveMarket } from '../../../market/live-market.js';
import { buildSimServer, type SimServer } from '../../../sim/index.js';
import type { SimFaults } from '../../../sim/faults.js';
import { AlpacaFeed } from './alpaca-feed.js';
import { AlpacaRestClient } from './rest-client.js';

const SEED = 'alpaca-contract';
const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function startSim(clock: Clock, faults?: SimFaults): Promise<{ sim: SimServer; url: string }> {
  const sim = await buildSimServer({
    simulator: new MarketSimulator({ seed: SEED }),
    clock,
    tickMs: 50,
    ...(faults && { faults }),
  });
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  return { sim, url };
}

function alpacaFeed(url: string, clock: Clock, symbols: string[]): AlpacaFeed {
  const rest = new AlpacaRestClient({
    baseUrl: url,
    keyId: 'key',
    secretKey: 'secret',
    feed: 'iex',
    timeoutMs: 5_000,
  });
  return new AlpacaFeed({
    feed: 'iex',
    rest,
    symbols,
    now: () => clock.now(),
    stream: {
      url: `${url.replace('http', 'ws')}/v2/iex`,
      keyId: 'key',
      secretKey: 'secret',
      backoff: { baseMs: 100, maxMs: 1_500 },
      heartbeatMs: 2_000,
    },
  });
}

describe('AlpacaFeed', () => {
  marketFeedContract('alpaca against pulse sim', async () => {
    const clock = scaledClock({
      start: Date.parse('2024-03-12T14:30:10Z'),
      speed: 60,
      real: { now: Date.now },
    });
    const { sim, url } = await startSim(clock);
    return {
      feed: alpacaFeed(url, clock, ['AAPL', 'MSFT']),
      symbol: 'AAPL',
      collectMs: 2_800,
      wait,
      close: () => sim.close(),
    };
  });

  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('ends with the same bars as a fault-free run when the exchange drops connections and refuses reconnects with 429', async () => {
    const clock = scaledClock({
      start: Date.parse('2024-03-12T14:30:05Z'),
      speed: 60,
      real: { now: Date.now },
    });
    const { sim, url } = await startSim(clock, {
      dropEveryMs: 1_300,
      refuseReconnectFor: { ms: 400, status: 429 },
    });
    const feed = alpacaFeed(url, clock, ['AAPL', 'MSFT']);
    const live = new LiveMarket(feed, () => clock.now(), 300);
    const closed: Bar[] = [];
    live.subscribe((updates) => {
      for (const u of updates) if (u.kind === 'bar') closed.push(u.bar);
    });
    cleanup = async () => {
      await live.stop();
      await sim.close();
    };
    await live.start();
    await wait(7_000);

    const stats = feed.streamStats;
    expect(stats.reconnects).toBeGreaterThanOrEqual(3);
    expect(stats.rejected429).toBeGreaterThanOrEqual(1);
    // Backoff bounds the attempts: roughly one success per drop plus a few refused tries, not a storm.
    expect(stats.connects).toBeLessThan(stats.reconnects * 4 + 4);
    expect(feed.stats.backfills).toBeGreaterThanOrEqual(3);

    const simulator = new MarketSimulator({ seed: SEED });
    for (const symbol of ['AAPL', 'MSFT']) {
      const mine = closed.filter((b) => b.symbol === symbol);
      // The first bar may have started before the feed connected; compare every later whole minute.
      const compared = mine.slice(1);
      expect(compared.length).toBeGreaterThanOrEqual(4);
      const expected = simulator.bars(
        symbol,
        { amount: 1, unit: 'Min' },
        compared[0]!.t,
        compared.at(-1)!.t + 60_000,
      );
      expect(compared).toEqual(expected);
      expect(new Set(mine.map((b) => b.t)).size).toBe(mine.length);
    }
  }, 20_000);

  it('counts and skips malformed upstream frames without crashing', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    server.on('connection', (socket) => {
      socket.send('[{"T":"success","msg":"connected"}]');
      socket.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { action: string };
        if (msg.action === 'auth') socket.send('[{"T":"success","msg":"authenticated"}]');
        if (msg.action === 'subscribe') {
          socket.send('[{"T":"subscription","trades":["AAPL"],"quotes":["AAPL"]}]');
          socket.send('not json at all');
          socket.send('{"T":"t"}');
          socket.send(
            '[{"T":"t","S":"AAPL","p":"NaN?"}, {"T":"t","S":"AAPL","i":1,"x":"V","p":100.5,"s":10,"c":["@"],"z":"C","t":"2024-03-12T14:30:00.5Z"}]',
          );
        }
      });
    });
    const clock = { now: () => Date.parse('2024-03-12T14:31:00Z') };
    const feed = new AlpacaFeed({
      feed: 'iex',
      rest: new AlpacaRestClient({
        baseUrl: 'http://127.0.0.1:9',
        keyId: 'k',
        secretKey: 's',
        feed: 'iex',
        maxAttempts: 1,
      }),
      symbols: ['AAPL'],
      now: clock.now,
      stream: { url: `ws://127.0.0.1:${port}/v2/iex`, keyId: 'k', secretKey: 's' },
    });
    const trades: number[] = [];
    cleanup = async () => {
      await feed.stop();
      await new Promise((r) => server.close(r));
    };
    await feed.start({
      onEvents: (events) => events.forEach((e) => e.kind === 'trade' && trades.push(e.trade.price)),
    });
    await wait(300);
    expect(trades).toEqual([100.5]);
    expect(feed.streamStats.malformed).toBe(3);
  });
});
