import { describe, expect, it } from 'vitest';
import { patchOrders, type Order } from './use-trading.js';

const order = (id: string, status: string): Order => ({
  id,
  client_order_id: id,
  symbol: 'AAPL',
  side: 'buy',
  type: 'market',
  status,
  qty: '1',
  notional: null,
  filled_qty: status === 'filled' ? '1' : '0',
  filled_avg_price: null,
});

describe('patchOrders', () => {
  it('takes an order out of the open list when a trade update says it filled', () => {
    const open = [order('a', 'new'), order('b', 'new')];
    expect(patchOrders({ status: 'open', orders: open }, order('a', 'filled')).map((o) => o.id)).toEqual([
      'b',
    ]);
  });

  it('puts the filled order at the top of the closed list, replacing an older copy', () => {
    const closed = [order('c', 'canceled'), order('a', 'partially_filled')];
    const next = patchOrders({ status: 'closed', orders: closed }, order('a', 'filled'));
    expect(next.map((o) => [o.id, o.status])).toEqual([
      ['a', 'filled'],
      ['c', 'canceled'],
    ]);
  });
});
