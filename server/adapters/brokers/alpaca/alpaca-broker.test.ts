import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../../core/kernel/index.js';
import { MarketSimulator } from '../../../../core/market-data/index.js';
import { brokerContract } from '../../../../core/testing/broker.contract.js';
import { at, quoteOf, tradeOf } from '../../../../core/testing/trading-fixtures.js';
import type { TradeUpdate } from '../../../../core/trading/index.js';
import { type SimServer, buildSimServer } from '../../../sim/index.js';
import type { SimFaults } from '../../../sim/faults.js';
import { AlpacaBroker } from './alpaca-broker.js';

const KEY = 'PKCONTRACT';
const simulator = new MarketSimulator({ seed: 'alpaca-broker-contract' });

/** A sim whose brokers trade only the market the test scripts, and an Alpaca broker for it (not started). */
async function simAndBroker(
  faults?: SimFaults,
): Promise<{ sim: SimServer; clock: ManualClock; broker: AlpacaBroker }> {
  const clock = new ManualClock(at('2024-03-12', '09:00'));
  const sim = await buildSimServer({
    simulator,
    clock,
    tickMs: 50,
    brokerMarket: 'injected',
    ...(faults && { faults }),
  });
  const origin = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const broker = new AlpacaBroker({
    rest: { baseUrl: origin, keyId: KEY, secretKey: 'secret', timeoutMs: 5_000 },
    stream: {
      url: `${origin.replace('http', 'ws')}/stream`,
      backoff: { baseMs: 50, maxMs: 200 },
      heartbeatMs: 1_000,
    },
    now: () => clock.now(),
  });
  return { sim, clock, broker };
}

/** The same, connected. */
async function connected(): Promise<{ sim: SimServer; clock: ManualClock; broker: AlpacaBroker }> {
  const made = await simAndBroker();
  await made.broker.start();
  return made;
}

describe('AlpacaBroker', () => {
  brokerContract('alpaca against pulse sim', async () => {
    const { sim, clock, broker } = await connected();
    // Market steps return once the sim's books moved and the adapter has received what they caused.
    let sent = 0;
    sim.accounts.forKey(KEY).broker.onTradeUpdate(() => (sent += 1));
    const caughtUp = () => vi.waitFor(() => expect(broker.streamStats.updates).toBeGreaterThanOrEqual(sent));
    return {
      broker,
      market: {
        quote: async (symbol, bid, ask, bidSize, askSize) => {
          await sim.accounts.injectQuote(quoteOf(symbol, clock.now(), bid, ask, bidSize, askSize));
          await caughtUp();
        },
        trade: async (symbol, price, size) => {
          await sim.accounts.injectTrade(tradeOf(symbol, clock.now(), price, size));
          await caughtUp();
        },
        advanceTo: async (t) => {
          clock.set(t);
          await sim.accounts.injectClock(t);
          await caughtUp();
        },
      },
      close: async () => {
        broker.stop();
        await sim.close();
      },
    };
  });

  it('reports a fill made while the trade_updates stream was down exactly once, after reconnecting', async () => {
    const { sim, clock, broker } = await connected();
    const updates: TradeUpdate[] = [];
    broker.onTradeUpdate((u) => updates.push(u));
    try {
      clock.set(at('2024-03-12', '10:00'));
      await sim.accounts.injectQuote(quoteOf('AAPL', clock.now(), 100, 100.05, 500, 500));
      const order = await broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'day',
        qty: '5',
        limitPrice: '99.5',
      });
      await vi.waitFor(() => expect(updates.map((u) => u.event)).toEqual(['new']));

      sim.faults.drop();
      await vi.waitFor(() => expect(sim.accounts.forKey(KEY).broker).toBeDefined());
      clock.advance(1_000);
      await sim.accounts.injectTrade(tradeOf('AAPL', clock.now(), 99.4, 100));
      expect((await sim.accounts.forKey(KEY).broker.getOrder(order.id))?.status).toBe('filled');

      await vi.waitFor(() => expect(broker.streamStats.reconnects).toBe(1), { timeout: 3_000 });
      await broker.settled();
      await vi.waitFor(() => expect(updates.map((u) => u.event)).toEqual(['new', 'fill']));
      const fill = updates[1];
      expect([fill?.qty?.toString(), fill?.price?.toString(), fill?.positionQty?.toString()]).toEqual([
        '5',
        '99.5',
        '5',
      ]);
      expect(fill?.order.status).toBe('filled');
      expect(broker.stats.synthesized).toBe(1);

      // A second drop and reconnect with nothing new reports nothing more.
      sim.faults.drop();
      await vi.waitFor(() => expect(broker.streamStats.reconnects).toBe(2), { timeout: 3_000 });
      await broker.settled();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(updates.filter((u) => u.order.id === order.id).map((u) => u.event)).toEqual(['new', 'fill']);
    } finally {
      broker.stop();
      await sim.close();
    }
  });

  it('reports a fill made after start() but before the stream first listened (a slow first connection)', async () => {
    // The sim refuses every request for its first 700 ms: the adapter's first connection waits it out.
    const { sim, clock, broker } = await simAndBroker({ refuseReconnectFor: { ms: 700, status: 429 } });
    const updates: TradeUpdate[] = [];
    broker.onTradeUpdate((u) => updates.push(u));
    try {
      clock.set(at('2024-03-12', '10:00'));
      const starting = broker.start();
      // Meanwhile the account trades at the exchange (another client of the same keys).
      clock.advance(1_000);
      const account = sim.accounts.forKey(KEY).broker;
      await sim.accounts.injectQuote(quoteOf('AAPL', clock.now(), 100, 100.05, 500, 500));
      const order = await account.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        qty: '3',
      });
      await vi.waitFor(async () => expect((await account.getOrder(order.id))?.status).toBe('filled'));
      expect(updates).toEqual([]);

      await starting;
      await broker.settled();
      const mine = updates.filter((u) => u.order.id === order.id);
      expect(mine.map((u) => u.event)).toEqual(['fill']);
      expect([
        mine[0]?.qty?.toString(),
        mine[0]?.price?.toString(),
        mine[0]?.positionQty?.toString(),
      ]).toEqual(['3', '100.05', '3']);
      expect(broker.stats.synthesized).toBe(1);
    } finally {
      broker.stop();
      await sim.close();
    }
  });

  it('maps Alpaca refusals to TRADING_* codes and answers unknown orders with null', async () => {
    const { sim, clock, broker } = await connected();
    try {
      clock.set(at('2024-03-12', '10:00'));
      await sim.accounts.injectQuote(quoteOf('AAPL', clock.now(), 100, 100.05, 500, 500));
      await expect(
        broker.submitOrder({ symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', qty: '5000' }),
      ).rejects.toMatchObject({ code: 'TRADING_INSUFFICIENT_BUYING_POWER' });
      expect(await broker.getOrder('a1b2c3d4-0000-4000-8000-000000000000')).toBeNull();
      expect(await broker.getOrderByClientId('nobody')).toBeNull();
      await expect(broker.cancelOrder('a1b2c3d4-0000-4000-8000-000000000000')).rejects.toMatchObject({
        code: 'TRADING_ORDER_NOT_FOUND',
      });
    } finally {
      broker.stop();
      await sim.close();
    }
  });
});
