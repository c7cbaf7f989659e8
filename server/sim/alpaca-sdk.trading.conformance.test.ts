import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../core/kernel/index.js';
import { MarketSimulator } from '../../core/market-data/index.js';
import { type SimServer, buildSimServer } from './index.js';

// Alpaca's official SDK (v4), unmodified, trading against pulse sim: a simulated clock inside a session
// (10:30 New York) at 60× speed, so the paper broker trades on the simulated tape.
const START = Date.parse('2024-03-12T14:30:00Z');
let sim: SimServer;
let origin: string;

function sdk(key = 'PKSDK'): Alpaca {
  return new Alpaca({
    keyId: key,
    secret: 'secret',
    retry: false,
    rateLimit: false,
    fetchApi: (url: string | URL | Request, init?: RequestInit) =>
      fetch(String(url).replace(/^https:\/\/[a-z.-]+\.alpaca\.markets/, origin), init),
  });
}

async function priceOf(alpaca: Alpaca, symbol: string): Promise<number> {
  return Math.round(((await alpaca.marketData.getLatestPrice(symbol)) ?? 0) * 100) / 100;
}

beforeAll(async () => {
  sim = await buildSimServer({
    simulator: new MarketSimulator({ seed: 'sdk-trading' }),
    clock: scaledClock({ start: START, speed: 60, real: { now: Date.now } }),
    tickMs: 100,
  });
  origin = await sim.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => sim.close());

describe('Alpaca SDK v4 against pulse sim (Trading API)', () => {
  it('reads a fresh $100,000 paper account', async () => {
    const account = await sdk('PKFRESH').trading.account.getAccount();
    expect([account.cash, account.status, account.currency]).toEqual(['100000', 'ACTIVE', 'USD']);
    expect(await sdk('PKFRESH').trading.positions.getAllOpenPositions()).toEqual([]);
  });

  it('places a market order that fills at the simulated ask and shows up as a position and a FILL activity', async () => {
    const alpaca = sdk('PKMARKET');
    const placed = await alpaca.trading.orders.market({
      symbol: 'AAPL',
      qty: 2,
      side: 'buy',
      timeInForce: 'day',
    });
    expect(placed.id).toMatch(/^[0-9a-f-]{36}$/);
    await vi.waitFor(async () =>
      expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: placed.id ?? '' })).status).toBe(
        'filled',
      ),
    );
    const filled = await alpaca.trading.orders.getOrderByOrderID({ orderId: placed.id ?? '' });
    expect(filled.filledQty).toBe('2');
    const position = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' });
    expect([position.qty, position.side, position.avgEntryPrice]).toEqual([
      '2',
      'long',
      filled.filledAvgPrice,
    ]);
    const activities = await alpaca.trading.accountActivities.getAccountActivities({});
    expect(activities).toHaveLength(1);
    expect(activities[0]).toMatchObject({
      activity_type: 'FILL',
      symbol: 'AAPL',
      qty: '2',
      order_id: placed.id,
    });
  });

  it('rests a limit order, replaces it with a new id, cancels it, and refuses to cancel it again', async () => {
    const alpaca = sdk('PKLIMIT');
    const price = await priceOf(alpaca, 'MSFT');
    const low = Math.round(price * 80) / 100;
    const resting = await alpaca.trading.orders.limit({
      symbol: 'MSFT',
      qty: 3,
      side: 'buy',
      timeInForce: 'gtc',
      limitPrice: low,
    });
    expect(resting.status).toBe('new');
    const next = await alpaca.trading.orders.patchOrderByOrderId({
      orderId: resting.id ?? '',
      patchOrderRequest: { qty: '4', limitPrice: String(low - 1) },
    });
    expect(next.id).not.toBe(resting.id);
    expect([next.replaces, next.qty, next.limitPrice]).toEqual([resting.id, '4', String(low - 1)]);
    const old = await alpaca.trading.orders.getOrderByOrderID({ orderId: resting.id ?? '' });
    expect([old.status, old.replacedBy]).toEqual(['replaced', next.id]);
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: next.id ?? '' });
    const canceled = await alpaca.trading.orders.getOrderByOrderID({ orderId: next.id ?? '' });
    expect(canceled.status).toBe('canceled');
    const again = await alpaca.trading.orders
      .deleteOrderByOrderID({ orderId: next.id ?? '' })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 422, code: 42210000 });
    const open = await alpaca.trading.orders.getAllOrders({ status: 'open' });
    expect(open).toEqual([]);
    const all = await alpaca.trading.orders.getAllOrders({
      status: 'all',
      symbols: ['MSFT'],
      direction: 'asc',
    });
    expect(all.map((o) => o.status)).toEqual(['replaced', 'canceled']);
  });

  it('places a bracket order whose entry fills and whose legs wait as new (take-profit) and held (stop-loss)', async () => {
    const alpaca = sdk('PKBRACKET');
    const price = await priceOf(alpaca, 'NVDA');
    const entry = await alpaca.trading.orders.bracket({
      symbol: 'NVDA',
      qty: 5,
      side: 'buy',
      timeInForce: 'gtc',
      takeProfit: { limitPrice: Math.round(price * 120) / 100 },
      stopLoss: { stopPrice: Math.round(price * 80) / 100 },
    });
    expect(entry.orderClass).toBe('bracket');
    expect(entry.legs).toHaveLength(2);
    await vi.waitFor(async () => {
      const nested = await alpaca.trading.orders.getOrderByOrderID({ orderId: entry.id ?? '', nested: true });
      expect(nested.status).toBe('filled');
      expect(nested.legs?.map((leg) => [leg.type, leg.status])).toEqual([
        ['limit', 'new'],
        ['stop', 'held'],
      ]);
    });
    const flat = await alpaca.trading.orders.getAllOrders({ status: 'open' });
    expect(flat).toHaveLength(2);
    const nested = await alpaca.trading.orders.getAllOrders({ status: 'all', nested: true });
    expect(nested).toHaveLength(1);
  });

  it('closes part of a position by percentage, then every position with its orders canceled (207)', async () => {
    const alpaca = sdk('PKCLOSE');
    await alpaca.trading.orders.market({ symbol: 'AMD', qty: 10, side: 'buy', timeInForce: 'day' });
    await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 4, side: 'buy', timeInForce: 'day' });
    await vi.waitFor(async () =>
      expect(await alpaca.trading.positions.getAllOpenPositions()).toHaveLength(2),
    );
    const half = await alpaca.trading.positions.deleteOpenPosition({
      symbolOrAssetId: 'AMD',
      percentage: 50,
    });
    expect([half.side, half.qty, half.type]).toEqual(['sell', '5', 'market']);
    await vi.waitFor(async () =>
      expect((await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'AMD' })).qty).toBe('5'),
    );
    const closed = await alpaca.trading.closeAllPositions({ cancelOrders: true });
    expect(closed.map((c) => [c.symbol, c.status]).sort()).toEqual([
      ['AAPL', 200],
      ['AMD', 200],
    ]);
    await vi.waitFor(async () => expect(await alpaca.trading.positions.getAllOpenPositions()).toEqual([]));
    const missing = await alpaca.trading.positions
      .getOpenPosition({ symbolOrAssetId: 'AMD' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 40410000 });
  });

  it('refuses a reused client_order_id (422) and an order beyond buying power (403) with Alpaca codes', async () => {
    const alpaca = sdk('PKREFUSE');
    const price = await priceOf(alpaca, 'AAPL');
    const input = {
      symbol: 'AAPL',
      qty: 1,
      side: 'buy' as const,
      timeInForce: 'day' as const,
      limitPrice: Math.round(price * 50) / 100,
      clientOrderId: 'mine-1',
    };
    await alpaca.trading.orders.limit(input);
    const duplicate = await alpaca.trading.orders.limit(input).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({
      status: 422,
      code: 40010001,
      message: 'client_order_id must be unique',
    });
    const big = await alpaca.trading.orders
      .market({ symbol: 'AAPL', qty: 100_000, side: 'buy', timeInForce: 'day' })
      .catch((e: unknown) => e);
    expect(big).toMatchObject({ status: 403, code: 40310000 });
    expect(String((big as Error).message)).toContain('insufficient buying power');
  });

  it('uses submitAndWait over the trade_updates stream and sees new then fill', async () => {
    const alpaca = sdk('PKWAIT');
    const stream = alpaca.trading.stream({ url: `${origin.replace('http', 'ws')}/stream`, reconnect: false });
    const events: string[] = [];
    stream.onTradeUpdate((u) => events.push(`${u.event}:${u.order.symbol}`));
    stream.connect();
    try {
      expect(await stream.waitForAuthentication(5_000)).toBe(true);
      const order = await alpaca.trading.submitAndWait(
        { symbol: 'AAPL', qty: 3, side: 'buy', type: 'market', timeInForce: 'day' },
        { stream, timeoutMs: 5_000 },
      );
      expect([order.status, order.filledQty]).toEqual(['filled', '3']);
      await vi.waitFor(() => expect(events).toEqual(['new:AAPL', 'fill:AAPL']));
    } finally {
      stream.disconnect();
    }
  });
});
