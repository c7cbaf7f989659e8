import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Money } from '../../../core/kernel/index.js';
import { booksFromFills } from '../../testing/books.js';
import { eventually, type TestUser, type TradingTestApp, tradingTestApp } from './testing/trading-fixture.js';

interface Activity {
  side: 'buy' | 'sell';
  qty: string;
  price: string;
  commission: string;
  symbol: string;
  order_id: string;
}

function listen(url: string, who: TestUser) {
  const socket = new WebSocket(url, { headers: { cookie: who.cookie } });
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(...(JSON.parse(String(data)) as Record<string, unknown>[])));
  return { socket, messages, opened: new Promise((r) => socket.once('open', r)) };
}

describe('paper trading: fills, books and guards', () => {
  let t: TradingTestApp;
  let alice: TestUser;
  let bob: TestUser;
  let url: string;

  beforeAll(async () => {
    t = await tradingTestApp();
    alice = await t.user('trader');
    bob = await t.user('trader');
    const address = await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    url = `${address.replace('http', 'ws')}/api/v1/stream`;
    await t.advance(2_000);
  });
  afterAll(async () => {
    await t.close();
  });

  it('fills a market buy at the ask from the sim feed and tells only the owner on the socket', async () => {
    const aliceSocket = listen(url, alice);
    const bobSocket = listen(url, bob);
    await Promise.all([aliceSocket.opened, bobSocket.opened]);
    const quote = t.live.latestQuote('AAPL');
    expect(quote).toBeDefined();
    const res = await t.call(alice, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: 10,
    });
    expect(res.statusCode).toBe(200);
    const order = res.json();
    expect(order.status).toBe('filled');
    expect(order.filled_avg_price).toBe(new Money(String(quote?.askPrice)).toString());
    const fill = await eventually(async () =>
      aliceSocket.messages.find((m) => m.T === 'trade_update' && m.event === 'fill'),
    );
    expect(fill).toMatchObject({ qty: '10', position_qty: '10', price: order.filled_avg_price });
    expect((fill.order as { id: string }).id).toBe(order.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(bobSocket.messages.some((m) => m.T === 'trade_update')).toBe(false);
    aliceSocket.socket.close();
    bobSocket.socket.close();
  });

  it('reconciles positions and cash to the cent with the fills, with a commission and a partial close', async () => {
    const set = await t.call(alice, 'PUT', '/api/v1/account/fill-model', {
      commission: { per_share: '0.005', per_order: 0, minimum: '1' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().fill_model.commission).toEqual({ per_share: '0.005', per_order: '0', minimum: '1' });
    await t.advance(1_000);
    for (const [side, qty] of [
      ['buy', '7'],
      ['buy', '0.5'],
      ['sell', '3'],
    ] as const) {
      const res = await t.call(alice, 'POST', '/api/v1/orders', {
        symbol: 'MSFT',
        side,
        type: 'market',
        time_in_force: 'day',
        qty,
      });
      expect(res.json().status).toBe('filled');
      await t.advance(1_000, 2);
    }
    const close = await t.call(alice, 'DELETE', '/api/v1/positions/MSFT?percentage=50');
    expect(close.statusCode).toBe(200);
    expect(close.json()).toMatchObject({ side: 'sell', qty: '2.25' });

    const activities = (await t.call(alice, 'GET', '/api/v1/activities?direction=asc')).json() as Activity[];
    expect(activities.length).toBe(5);
    const books = booksFromFills(activities, new Money(100_000));
    expect(activities.filter((a) => a.symbol === 'MSFT').map((a) => a.commission)).toEqual([
      '1',
      '1',
      '1',
      '1',
    ]);
    const account = (await t.call(alice, 'GET', '/api/v1/account')).json();
    expect(account.cash).toBe(books.cash);
    const positions = (await t.call(alice, 'GET', '/api/v1/positions')).json() as {
      symbol: string;
      qty: string;
    }[];
    expect(Object.fromEntries(positions.map((p) => [p.symbol, p.qty]))).toEqual(books.positions);
    expect((await t.call(alice, 'GET', '/api/v1/positions/MSFT')).json().qty).toBe('2.25');

    const page1 = (await t.call(alice, 'GET', '/api/v1/activities?page_size=2')).json();
    const page2 = (
      await t.call(
        alice,
        'GET',
        `/api/v1/activities?page_size=2&page_token=${encodeURIComponent(page1[1].id)}`,
      )
    ).json();
    expect([...page1, ...page2].map((a: { id: string }) => a.id)).toEqual(
      [...activities]
        .reverse()
        .slice(0, 4)
        .map((a) => (a as unknown as { id: string }).id),
    );
  });

  it('records equity at each fill and each minute, as parallel arrays', async () => {
    await t.advance(120_000, 8);
    const history = await eventually(async () => {
      const h = (await t.call(alice, 'GET', '/api/v1/portfolio/history?period=1D&timeframe=1Min')).json();
      return h.timestamp.length >= 3 ? h : undefined;
    });
    expect(history.equity).toHaveLength(history.timestamp.length);
    expect(history.profit_loss).toHaveLength(history.timestamp.length);
    expect(history.timeframe).toBe('1Min');
    expect(history.timestamp.every((s: number) => Number.isInteger(s) && s % 60 === 0)).toBe(true);
  });

  it('never lets 20 parallel orders spend more than the buying power', async () => {
    const carol = await t.user('trader');
    const before = (await t.call(carol, 'GET', '/api/v1/account')).json();
    const ask = t.live.latestQuote('NVDA')?.askPrice ?? 0;
    const qty = Math.ceil(Number(before.buying_power) / 8 / ask);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.call(carol, 'POST', '/api/v1/orders', {
          symbol: 'NVDA',
          side: 'buy',
          type: 'market',
          time_in_force: 'day',
          qty,
        }),
      ),
    );
    const accepted = results.filter((r) => r.statusCode === 200);
    const refused = results.filter((r) => r.statusCode !== 200);
    expect(accepted.length).toBe(7);
    expect(refused.every((r) => r.json().code === 'TRADING_INSUFFICIENT_BUYING_POWER')).toBe(true);
    const spent = accepted.reduce(
      (sum, r) => sum.plus(new Money(r.json().filled_qty).times(r.json().filled_avg_price)),
      new Money(0),
    );
    expect(spent.lte(before.buying_power)).toBe(true);
    const after = (await t.call(carol, 'GET', '/api/v1/account')).json();
    expect(new Money(before.cash).minus(after.cash).toString()).toBe(spent.toString());
    expect(new Money(after.buying_power).gte(0)).toBe(true);
  });

  it('kill switch: only an owner or admin may set it; it cancels open orders and blocks new ones', async () => {
    const owner = await t.user('owner');
    const resting = (
      await t.call(bob, 'POST', '/api/v1/orders', {
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        time_in_force: 'gtc',
        qty: '1',
        limit_price: '1.25',
      })
    ).json();
    expect((await t.call(bob, 'PUT', '/api/v1/admin/kill-switch', { active: true })).statusCode).toBe(403);
    const on = await t.call(owner, 'PUT', '/api/v1/admin/kill-switch', { active: true });
    expect(on.json()).toEqual({ active: true, canceled: 1 });
    expect((await t.call(bob, 'GET', `/api/v1/orders/${resting.id}`)).json().status).toBe('canceled');
    const blocked = await t.call(bob, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: '1',
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('TRADING_KILL_SWITCH_ACTIVE');
    expect((await t.call(bob, 'GET', '/api/v1/risk-limits')).json().kill_switch).toBe(true);
    expect((await t.call(owner, 'PUT', '/api/v1/admin/kill-switch', { active: false })).json().active).toBe(
      false,
    );
  });

  it('applies a user’s own risk limits to every order', async () => {
    const set = await t.call(bob, 'PUT', '/api/v1/risk-limits', {
      max_order_notional: 1000,
      deny_symbols: ['TSLA'],
    });
    expect(set.json()).toMatchObject({
      max_order_notional: '1000',
      deny_symbols: ['TSLA'],
      kill_switch: false,
    });
    const big = await t.call(bob, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: '100',
    });
    expect(big.json().code).toBe('TRADING_MAX_NOTIONAL_EXCEEDED');
    const denied = await t.call(bob, 'POST', '/api/v1/orders', {
      symbol: 'TSLA',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: '1',
    });
    expect(denied.json().code).toBe('TRADING_SYMBOL_NOT_ALLOWED');
  });
});
