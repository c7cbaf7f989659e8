import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tradeOf } from '../../../core/testing/trading-fixtures.js';
import { type AlpacaTestApp, alpacaTestApp } from './testing/alpaca-fixture.js';
import { eventually, type TestUser } from './testing/trading-fixture.js';

const KEY = 'PKALICE00001';

function listen(url: string, who: TestUser) {
  const socket = new WebSocket(url, { headers: { cookie: who.cookie } });
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(...(JSON.parse(String(data)) as Record<string, unknown>[])));
  return { socket, messages, opened: new Promise((r) => socket.once('open', r)) };
}

/** A resting AAPL buy limit, good till canceled. */
const limitBuy = (qty: string, limitPrice: string) => ({
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  time_in_force: 'gtc',
  qty,
  limit_price: limitPrice,
});

describe('trading through your Alpaca account (against pulse sim)', () => {
  let t: AlpacaTestApp;
  let alice: TestUser;
  let admin: TestUser;

  /** Alice's orders as the sim's broker holds them (what actually reached "Alpaca"). */
  const simOrders = () => t.sim.accounts.forKey(KEY).broker.listOrders({ status: 'all', limit: 500 });

  beforeAll(async () => {
    t = await alpacaTestApp();
    alice = await t.user('trader');
    admin = await t.user('admin');
    await t.advance(2_000);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses the Alpaca account with 409 TRADING_BROKER_KEYS_MISSING while no keys are saved', async () => {
    expect((await t.call(alice, 'GET', '/api/v1/trading-account')).json()).toEqual({
      broker: 'paper',
      live: false,
      alpaca_keys: null,
    });
    const res = await t.call(alice, 'PUT', '/api/v1/trading-account', { broker: 'alpaca' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('TRADING_BROKER_KEYS_MISSING');
    const account = (await t.call(alice, 'GET', '/api/v1/account')).json();
    expect(account).toMatchObject({ broker: 'paper', live: false, starting_cash: '100000' });
  });

  it('places, lists, replaces and cancels a limit order in Alpaca once the user chose it', async () => {
    const saved = await t.call(alice, 'PUT', '/api/v1/broker-keys', {
      keyId: KEY,
      secretKey: 'alice-secret',
      scope: 'paper',
    });
    expect(saved.statusCode).toBe(200);
    const chosen = await t.call(alice, 'PUT', '/api/v1/trading-account', { broker: 'alpaca' });
    expect(chosen.json()).toEqual({ broker: 'alpaca', live: false, alpaca_keys: 'paper' });

    const account = (await t.call(alice, 'GET', '/api/v1/account')).json();
    expect(account).toMatchObject({
      broker: 'alpaca',
      live: false,
      account_number: 'ALPACA-PAPER-0001',
      cash: '100000',
      fill_model: null,
    });
    expect(t.connections.map((c) => c.keys.keyId)).toEqual([KEY]);

    const placed = await t.call(alice, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'gtc',
      qty: '3',
      limit_price: '1.5',
      client_order_id: 'alice-limit-1',
    });
    expect(placed.statusCode).toBe(200);
    const order = placed.json();
    expect(order).toMatchObject({ symbol: 'AAPL', qty: '3', limit_price: '1.5', status: 'new' });
    // It is the sim's order, not a paper one.
    expect((await simOrders()).map((o) => o.id)).toContain(order.id);
    expect((await t.call(alice, 'GET', `/api/v1/orders/${order.id}`)).json().id).toBe(order.id);
    const byCid = await t.call(
      alice,
      'GET',
      '/api/v1/orders:by_client_order_id?client_order_id=alice-limit-1',
    );
    expect(byCid.json().id).toBe(order.id);
    const open = (await t.call(alice, 'GET', '/api/v1/orders?status=open')).json();
    expect(open.map((o: { id: string }) => o.id)).toEqual([order.id]);

    const replaced = await t.call(alice, 'PATCH', `/api/v1/orders/${order.id}`, { limit_price: '1.6' });
    expect(replaced.statusCode).toBe(200);
    const next = replaced.json();
    expect(next).toMatchObject({ replaces: order.id, limit_price: '1.6', qty: '3' });
    expect((await t.call(alice, 'GET', `/api/v1/orders/${order.id}`)).json().status).toBe('replaced');

    expect((await t.call(alice, 'DELETE', `/api/v1/orders/${next.id}`)).statusCode).toBe(204);
    expect((await t.call(alice, 'GET', `/api/v1/orders/${next.id}`)).json().status).toBe('canceled');
    const again = await t.call(alice, 'DELETE', `/api/v1/orders/${next.id}`);
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe('TRADING_ORDER_NOT_CANCELABLE');
    const missing = await t.call(alice, 'GET', '/api/v1/orders/a1b2c3d4-0000-4000-8000-000000000000');
    expect(missing.json().code).toBe('TRADING_ORDER_NOT_FOUND');
  });

  it('fills a market order, streams its trade update to the owner, and closes the position', async () => {
    const socket = listen(`${t.origin.replace('http', 'ws')}/api/v1/stream`, alice);
    await socket.opened;
    const res = await t.call(alice, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: 4,
    });
    expect(res.statusCode).toBe(200);
    const order = res.json();
    const fill = await eventually(async () =>
      socket.messages.find(
        (m) => m.T === 'trade_update' && m.event === 'fill' && (m.order as { id: string }).id === order.id,
      ),
    );
    expect(fill).toMatchObject({ qty: '4', position_qty: '4' });
    const audited = await eventually(async () => {
      const rows = await t.audit.list({ actorId: alice.id, action: 'order.filled', limit: 10 });
      return rows
        .map((r) => JSON.parse(r.detail) as Record<string, unknown>)
        .find((d) => d.orderId === order.id);
    });
    expect(audited).toMatchObject({ broker: 'alpaca', symbol: 'AAPL', side: 'buy', price: fill.price });

    const positions = (await t.call(alice, 'GET', '/api/v1/positions')).json();
    expect(positions.map((p: { symbol: string; qty: string }) => [p.symbol, p.qty])).toEqual([['AAPL', '4']]);
    expect((await t.call(alice, 'GET', '/api/v1/positions/AAPL')).json().qty).toBe('4');

    const partial = await t.call(alice, 'DELETE', '/api/v1/positions/AAPL?qty=1');
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({ side: 'sell', qty: '1' });
    await eventually(async () => {
      const held = (await t.call(alice, 'GET', '/api/v1/positions/AAPL')).json();
      return held.qty === '3' ? held : undefined;
    });
    const all = await t.call(alice, 'DELETE', '/api/v1/positions');
    expect(all.statusCode).toBe(207);
    expect(all.json()).toMatchObject([{ symbol: 'AAPL', status: 200, body: { side: 'sell', qty: '3' } }]);
    await eventually(async () => {
      const list = (await t.call(alice, 'GET', '/api/v1/positions')).json();
      return list.length === 0 ? list : undefined;
    });
    const none = await t.call(alice, 'DELETE', '/api/v1/positions/AAPL');
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('TRADING_POSITION_NOT_FOUND');
    socket.socket.close();
  });

  it('reports a fill made while the Alpaca stream was down exactly once, after reconnecting', async () => {
    const socket = listen(`${t.origin.replace('http', 'ws')}/api/v1/stream`, alice);
    await socket.opened;
    const order = (
      await t.call(alice, 'POST', '/api/v1/orders', {
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        time_in_force: 'day',
        qty: '2',
        limit_price: '1.5',
      })
    ).json();
    const broker = t.connections.at(-1)?.broker;
    const reconnects = broker?.streamStats.reconnects ?? 0;
    t.sim.faults.drop();
    // A print through the limit while Pulse hears nothing from Alpaca's stream.
    await t.sim.accounts.injectTrade(tradeOf('AAPL', t.clock.now(), 1.4, 100));
    expect((await t.sim.accounts.forKey(KEY).broker.getOrder(order.id))?.status).toBe('filled');
    const fills = () =>
      socket.messages.filter(
        (m) => m.T === 'trade_update' && m.event === 'fill' && (m.order as { id: string }).id === order.id,
      );
    await eventually(async () => (fills().length > 0 ? true : undefined));
    expect(broker?.streamStats.reconnects).toBe(reconnects + 1);
    expect(broker?.stats.synthesized).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(fills()).toHaveLength(1);
    expect(fills()[0]).toMatchObject({ qty: '2', price: '1.5', position_qty: '2' });
    expect((await t.call(alice, 'DELETE', '/api/v1/positions/AAPL')).statusCode).toBe(200);
    await eventually(async () => {
      const list = (await t.call(alice, 'GET', '/api/v1/positions')).json();
      return list.length === 0 ? list : undefined;
    });
    socket.socket.close();
  });

  it('refuses orders over the max notional, on the deny list or duplicated before they reach Alpaca', async () => {
    const before = (await simOrders()).length;
    const limits = await t.call(alice, 'PUT', '/api/v1/risk-limits', { max_order_notional: '1000' });
    expect(limits.statusCode).toBe(200);
    const res = await t.call(alice, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'day',
      qty: '100',
      limit_price: '20',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('TRADING_MAX_NOTIONAL_EXCEEDED');
    const denied = await t.call(alice, 'PUT', '/api/v1/risk-limits', {
      max_order_notional: null,
      deny_symbols: ['MSFT'],
    });
    expect(denied.statusCode).toBe(200);
    const msft = await t.call(alice, 'POST', '/api/v1/orders', {
      symbol: 'MSFT',
      side: 'buy',
      type: 'limit',
      time_in_force: 'day',
      qty: '1',
      limit_price: '2',
    });
    expect(msft.json().code).toBe('TRADING_SYMBOL_NOT_ALLOWED');
    expect((await simOrders()).length).toBe(before);

    // Duplicate suppression reads Alpaca's recent orders: the same order twice within the window.
    await t.call(alice, 'PUT', '/api/v1/risk-limits', { deny_symbols: [], duplicate_window_ms: 60_000 });
    const order = {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'day',
      qty: '1',
      limit_price: '1.2',
    };
    const first = await t.call(alice, 'POST', '/api/v1/orders', order);
    expect(first.statusCode).toBe(200);
    const second = await t.call(alice, 'POST', '/api/v1/orders', order);
    expect([second.statusCode, second.json().code]).toEqual([409, 'TRADING_DUPLICATE_ORDER']);
    expect((await simOrders()).length).toBe(before + 1);
    await t.call(alice, 'DELETE', `/api/v1/orders/${first.json().id}`);
    await t.call(alice, 'PUT', '/api/v1/risk-limits', { duplicate_window_ms: 0 });
  });

  it('refuses a replacement over the max notional with the same code, before anything reaches Alpaca', async () => {
    const placed = await t.call(alice, 'POST', '/api/v1/orders', limitBuy('10', '1.5'));
    expect(placed.statusCode).toBe(200);
    const order = placed.json();
    await t.call(alice, 'PUT', '/api/v1/risk-limits', { max_order_notional: '1000' });
    const before = (await simOrders()).length;

    const raised = await t.call(alice, 'PATCH', `/api/v1/orders/${order.id}`, { qty: '1000' });
    expect(raised.statusCode).toBe(403);
    expect(raised.json()).toMatchObject({
      code: 'TRADING_MAX_NOTIONAL_EXCEEDED',
      message: 'order notional $1500.00 exceeds the limit of $1000.00',
    });
    const repriced = await t.call(alice, 'PATCH', `/api/v1/orders/${order.id}`, { limit_price: '101' });
    expect([repriced.statusCode, repriced.json().code]).toEqual([403, 'TRADING_MAX_NOTIONAL_EXCEEDED']);
    // Nothing reached the sim: the order is untouched and no replacement exists.
    expect((await simOrders()).length).toBe(before);
    const atSim = await t.sim.accounts.forKey(KEY).broker.getOrder(order.id);
    expect([atSim?.status, atSim?.qty?.toString(), atSim?.limitPrice?.toString()]).toEqual([
      'new',
      '10',
      '1.5',
    ]);

    // Within the limit it is replaced at Alpaca.
    const within = await t.call(alice, 'PATCH', `/api/v1/orders/${order.id}`, { qty: '600' });
    expect(within.statusCode).toBe(200);
    expect(within.json()).toMatchObject({ replaces: order.id, qty: '600', limit_price: '1.5' });
    expect((await t.sim.accounts.forKey(KEY).broker.getOrder(order.id))?.status).toBe('replaced');

    await t.call(alice, 'PUT', '/api/v1/risk-limits', { max_order_notional: null });
    expect((await t.call(alice, 'DELETE', `/api/v1/orders/${within.json().id}`)).statusCode).toBe(204);
  });

  it('refuses a replacement with the kill switch on', async () => {
    const order = (await t.call(alice, 'POST', '/api/v1/orders', limitBuy('1', '1.3'))).json();
    await t.trading.setKillSwitch(true);
    const res = await t.call(alice, 'PATCH', `/api/v1/orders/${order.id}`, { qty: '2' });
    expect([res.statusCode, res.json().code]).toEqual([403, 'TRADING_KILL_SWITCH_ACTIVE']);
    await t.trading.setKillSwitch(false);
  });

  it('cancels open Alpaca orders with the kill switch and blocks new ones until it is off', async () => {
    const open = (await t.call(alice, 'POST', '/api/v1/orders', limitBuy('2', '1.25'))).json();
    expect(open.status).toBe('new');
    const on = await t.call(admin, 'PUT', '/api/v1/admin/kill-switch', { active: true });
    expect(on.json()).toEqual({ active: true, canceled: 1 });
    expect((await t.sim.accounts.forKey(KEY).broker.getOrder(open.id))?.status).toBe('canceled');
    const before = (await simOrders()).length;
    const blocked = await t.call(alice, 'POST', '/api/v1/orders', limitBuy('2', '1.25'));
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('TRADING_KILL_SWITCH_ACTIVE');
    expect((await t.call(alice, 'GET', '/api/v1/account')).json().trading_blocked).toBe(true);
    expect((await simOrders()).length).toBe(before);
    expect((await t.call(admin, 'PUT', '/api/v1/admin/kill-switch', { active: false })).statusCode).toBe(200);
  });

  it("cancels the user's open Alpaca orders before erasure", async () => {
    const open = (await t.call(alice, 'POST', '/api/v1/orders', limitBuy('1', '1.1'))).json();
    expect(open.status).toBe('new');
    await t.trading.cancelOpenOrders(alice.id);
    expect((await t.sim.accounts.forKey(KEY).broker.getOrder(open.id))?.status).toBe('canceled');
  });

  it('answers activities and portfolio history with 409 TRADING_BROKER_UNSUPPORTED, and the fill model too', async () => {
    for (const url of ['/api/v1/activities', '/api/v1/portfolio/history']) {
      const res = await t.call(alice, 'GET', url);
      expect([res.statusCode, res.json().code]).toEqual([409, 'TRADING_BROKER_UNSUPPORTED']);
    }
    const model = await t.call(alice, 'PUT', '/api/v1/account/fill-model', { slippage_bps: 2 });
    expect([model.statusCode, model.json().code]).toEqual([409, 'TRADING_BROKER_UNSUPPORTED']);
  });

  it('switches back to paper, and marks the account live with live keys', async () => {
    const back = await t.call(alice, 'PUT', '/api/v1/trading-account', { broker: 'paper' });
    expect(back.json()).toEqual({ broker: 'paper', live: false, alpaca_keys: 'paper' });
    expect((await t.call(alice, 'GET', '/api/v1/account')).json()).toMatchObject({
      broker: 'paper',
      starting_cash: '100000',
    });
    expect((await t.call(alice, 'GET', '/api/v1/orders?status=all')).json()).toEqual([]);
    expect((await t.call(alice, 'GET', '/api/v1/activities')).statusCode).toBe(200);

    await t.call(alice, 'PUT', '/api/v1/broker-keys', {
      keyId: KEY,
      secretKey: 'alice-secret',
      scope: 'live',
    });
    const live = await t.call(alice, 'PUT', '/api/v1/trading-account', { broker: 'alpaca' });
    expect(live.json()).toEqual({ broker: 'alpaca', live: true, alpaca_keys: 'live' });
    expect((await t.call(alice, 'GET', '/api/v1/account')).json()).toMatchObject({
      broker: 'alpaca',
      live: true,
      account_number: 'ALPACA-LIVE-0001',
    });
    // Who chose to trade real money, and when, is in the audit log.
    const chosen = await t.audit.list({ actorId: alice.id, action: 'trading.account_chosen', limit: 10 });
    expect(chosen.map((e) => JSON.parse(e.detail) as unknown)).toEqual([
      { broker: 'alpaca', live: true },
      { broker: 'paper', live: false },
      { broker: 'alpaca', live: false },
    ]);
  });

  it('returns the user to paper and closes the connection when the keys are deleted', async () => {
    const connection = t.connections.at(-1);
    expect(connection?.broker.streamStats.connects).toBe(1);
    expect((await t.call(alice, 'DELETE', '/api/v1/broker-keys')).statusCode).toBe(204);
    expect((await t.call(alice, 'GET', '/api/v1/trading-account')).json()).toEqual({
      broker: 'paper',
      live: false,
      alpaca_keys: null,
    });
    expect((await t.call(alice, 'GET', '/api/v1/account')).json().broker).toBe('paper');
    const count = t.connections.length;
    await t.call(alice, 'GET', '/api/v1/orders');
    expect(t.connections.length).toBe(count);
  });
});
