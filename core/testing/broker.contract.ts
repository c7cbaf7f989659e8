import { beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../kernel/index.js';
import type { Broker, TradeUpdate } from '../trading/broker.js';
import { at } from './trading-fixtures.js';

/** The market a contract test drives: quotes and trades at the current time, and the clock. */
export interface ContractMarket {
  quote(symbol: string, bid: number, ask: number, bidSize: number, askSize: number): Promise<void> | void;
  trade(symbol: string, price: number, size: number): Promise<void> | void;
  advanceTo(t: number): Promise<void> | void;
}

/** What the contract needs from one broker under test. */
export interface BrokerFixture {
  readonly broker: Broker;
  readonly market: ContractMarket;
  close(): Promise<void> | void;
}

const OPEN = at('2024-03-12', '10:00');
const CLOSE = at('2024-03-12', '16:00');

async function refusedWith(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(DomainError);
  await expect(promise).rejects.toMatchObject({ code });
}

/** The behaviour every Broker must show (paper broker now, the Alpaca broker against `pulse sim` later). */
export function brokerContract(name: string, makeBroker: () => Promise<BrokerFixture>): void {
  describe(`Broker contract: ${name}`, () => {
    let f: BrokerFixture;
    let updates: TradeUpdate[];
    const events = (id: string) => updates.filter((u) => u.order.id === id).map((u) => u.event);

    beforeEach(async () => {
      f = await makeBroker();
      updates = [];
      f.broker.onTradeUpdate((u) => updates.push(u));
      await f.market.advanceTo(OPEN);
      await f.market.quote('AAPL', 100, 100.05, 500, 500);
    });
    afterEach(async () => {
      await f.close();
    });

    it('fills a market buy at the ask and books the position and cash exactly', async () => {
      const before = await f.broker.getAccount();
      const order = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        qty: '10',
      });
      await vi.waitFor(async () => expect((await f.broker.getOrder(order.id))?.status).toBe('filled'));
      const filled = await f.broker.getOrder(order.id);
      expect(filled?.filledAvgPrice?.toString()).toBe('100.05');
      expect(filled?.filledQty.toString()).toBe('10');
      expect(events(order.id)).toEqual(['new', 'fill']);
      const [position] = await f.broker.listPositions();
      expect(position?.qty.toString()).toBe('10');
      expect(position?.avgEntryPrice.toString()).toBe('100.05');
      const after = await f.broker.getAccount();
      expect(before.cash.minus(after.cash).toString()).toBe('1000.5');
    });

    it('rests a limit buy below the market until a trade prints through it, then fills at the limit', async () => {
      const order = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'day',
        qty: '5',
        limitPrice: '99.5',
      });
      expect((await f.broker.getOrder(order.id))?.status).toBe('new');
      await f.market.trade('AAPL', 99.5, 100);
      expect((await f.broker.getOrder(order.id))?.status).toBe('new');
      await f.market.trade('AAPL', 99.49, 100);
      await vi.waitFor(async () => expect((await f.broker.getOrder(order.id))?.status).toBe('filled'));
      expect((await f.broker.getOrder(order.id))?.filledAvgPrice?.toString()).toBe('99.5');
    });

    it('holds buying power for a working limit buy from acceptance, and gives it back on cancel', async () => {
      const before = await f.broker.getAccount();
      const resting = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'gtc',
        qty: '3',
        limitPrice: '90.25',
      });
      const holding = await f.broker.getAccount();
      expect(before.buyingPower.minus(holding.buyingPower).toString()).toBe('270.75');
      expect(holding.cash.toString()).toBe(before.cash.toString());
      await f.broker.cancelOrder(resting.id);
      await vi.waitFor(async () => expect((await f.broker.getOrder(resting.id))?.status).toBe('canceled'));
      expect((await f.broker.getAccount()).buyingPower.toString()).toBe(before.buyingPower.toString());
    });

    it('cancels an open order and refuses to cancel a filled one', async () => {
      const resting = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'gtc',
        qty: '1',
        limitPrice: '90',
      });
      await f.broker.cancelOrder(resting.id);
      await vi.waitFor(async () => expect((await f.broker.getOrder(resting.id))?.status).toBe('canceled'));
      expect(events(resting.id)).toContain('canceled');
      const done = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        qty: '1',
      });
      await vi.waitFor(async () => expect((await f.broker.getOrder(done.id))?.status).toBe('filled'));
      await refusedWith(f.broker.cancelOrder(done.id), 'TRADING_ORDER_NOT_CANCELABLE');
    });

    it('replaces an order with a new id that replaces the old one, which ends replaced', async () => {
      const old = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'day',
        qty: '3',
        limitPrice: '95',
      });
      const next = await f.broker.replaceOrder(old.id, { limitPrice: '96', qty: '4' });
      expect(next.id).not.toBe(old.id);
      expect(next.replaces).toBe(old.id);
      expect(next.limitPrice?.toString()).toBe('96');
      expect(next.qty?.toString()).toBe('4');
      const replaced = await f.broker.getOrder(old.id);
      expect(replaced?.status).toBe('replaced');
      expect(replaced?.replacedBy).toBe(next.id);
    });

    it('finds orders by client_order_id and refuses a second order with the same one', async () => {
      const order = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'day',
        qty: '1',
        limitPrice: '90',
        clientOrderId: 'mine-1',
      });
      expect((await f.broker.getOrderByClientId('mine-1'))?.id).toBe(order.id);
      await refusedWith(
        f.broker.submitOrder({
          symbol: 'AAPL',
          side: 'buy',
          type: 'limit',
          timeInForce: 'day',
          qty: '1',
          limitPrice: '90',
          clientOrderId: 'mine-1',
        }),
        'TRADING_CLIENT_ORDER_ID_CONFLICT',
      );
      expect(await f.broker.getOrder('no-such-order')).toBeNull();
    });

    it('refuses invalid orders with Alpaca rule codes', async () => {
      await refusedWith(
        f.broker.submitOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'day', qty: '1' }),
        'TRADING_LIMIT_PRICE_REQUIRED',
      );
      await refusedWith(
        f.broker.submitOrder({
          symbol: 'AAPL',
          side: 'buy',
          type: 'limit',
          timeInForce: 'day',
          qty: '1',
          limitPrice: '99.999',
        }),
        'TRADING_SUB_PENNY_PRICE',
      );
    });

    it('lists open and closed orders and cancels all open ones', async () => {
      const a = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'gtc',
        qty: '1',
        limitPrice: '90',
      });
      const b = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'gtc',
        qty: '1',
        limitPrice: '91',
      });
      expect((await f.broker.listOrders({ status: 'open' })).map((o) => o.id).sort()).toEqual(
        [a.id, b.id].sort(),
      );
      const results = await f.broker.cancelAll();
      expect(results.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
      await vi.waitFor(async () => expect(await f.broker.listOrders({ status: 'open' })).toEqual([]));
      expect((await f.broker.listOrders({ status: 'closed' })).length).toBe(2);
    });

    it('closes a position with a market order for the whole qty', async () => {
      const buy = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        qty: '7',
      });
      await vi.waitFor(async () => expect((await f.broker.getOrder(buy.id))?.status).toBe('filled'));
      const close = await f.broker.closePosition('AAPL');
      expect(close.side).toBe('sell');
      expect(close.qty?.toString()).toBe('7');
      await vi.waitFor(async () => expect(await f.broker.listPositions()).toEqual([]));
      await refusedWith(f.broker.closePosition('AAPL'), 'TRADING_POSITION_NOT_FOUND');
    });

    it('fills a bracket entry, then the take-profit on a trade through it, canceling the stop-loss', async () => {
      const entry = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        qty: '10',
        orderClass: 'bracket',
        takeProfit: { limitPrice: '102' },
        stopLoss: { stopPrice: '98' },
      });
      await vi.waitFor(async () => expect((await f.broker.getOrder(entry.id))?.status).toBe('filled'));
      const [tpId, slId] = (await f.broker.getOrder(entry.id))?.legs ?? [];
      expect((await f.broker.getOrder(tpId ?? ''))?.status).toBe('new');
      expect((await f.broker.getOrder(slId ?? ''))?.status).toBe('held');
      await f.market.trade('AAPL', 102.01, 100);
      await vi.waitFor(async () => expect((await f.broker.getOrder(tpId ?? ''))?.status).toBe('filled'));
      expect((await f.broker.getOrder(tpId ?? ''))?.filledAvgPrice?.toString()).toBe('102');
      expect((await f.broker.getOrder(slId ?? ''))?.status).toBe('canceled');
      expect(await f.broker.listPositions()).toEqual([]);
    });

    it('expires an unfilled day order at the close', async () => {
      const order = await f.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'day',
        qty: '1',
        limitPrice: '90',
      });
      await f.market.advanceTo(CLOSE);
      await vi.waitFor(async () => expect((await f.broker.getOrder(order.id))?.status).toBe('expired'));
      expect(events(order.id)).toEqual(['new', 'expired']);
    });
  });
}
