import { describe, expect, it } from 'vitest';
import type { NewOrderRequest } from './order-request.js';
import { validateOrder } from './validate-order.js';

const base: NewOrderRequest = { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', qty: '1' };
const codeOf = (r: Partial<NewOrderRequest>) => {
  const out = validateOrder({ ...base, ...r });
  return out.ok ? 'ok' : out.refusal.code;
};

describe('validateOrder', () => {
  it.each<[string, Partial<NewOrderRequest>, string]>([
    ['a limit without limit_price', { type: 'limit' }, 'TRADING_LIMIT_PRICE_REQUIRED'],
    ['a stop without stop_price', { type: 'stop' }, 'TRADING_STOP_PRICE_REQUIRED'],
    [
      'a stop_limit without limit_price',
      { type: 'stop_limit', stopPrice: '10' },
      'TRADING_LIMIT_PRICE_REQUIRED',
    ],
    [
      'a trailing stop with both trails',
      { type: 'trailing_stop', trailPrice: '1', trailPercent: '1' },
      'TRADING_TRAIL_REQUIRED',
    ],
    ['a trailing stop with neither trail', { type: 'trailing_stop' }, 'TRADING_TRAIL_REQUIRED'],
    [
      'a trailing stop that is ioc',
      { type: 'trailing_stop', trailPrice: '1', timeInForce: 'ioc' },
      'TRADING_INVALID_TIME_IN_FORCE',
    ],
    ['both qty and notional', { notional: '100' }, 'TRADING_INVALID_QTY'],
    ['neither qty nor notional', { qty: null }, 'TRADING_INVALID_QTY'],
    [
      'notional on a limit',
      { qty: null, notional: '100', type: 'limit', limitPrice: '10' },
      'TRADING_NOTIONAL_NOT_ALLOWED',
    ],
    ['notional on gtc', { qty: null, notional: '100', timeInForce: 'gtc' }, 'TRADING_NOTIONAL_NOT_ALLOWED'],
    ['fractional qty on gtc', { qty: '0.5', timeInForce: 'gtc' }, 'TRADING_FRACTIONAL_NOT_ALLOWED'],
    ['extended hours on a market order', { extendedHours: true }, 'TRADING_EXTENDED_HOURS_NOT_ALLOWED'],
    [
      'extended hours on a gtc limit',
      { type: 'limit', limitPrice: '10', timeInForce: 'gtc', extendedHours: true },
      'TRADING_EXTENDED_HOURS_NOT_ALLOWED',
    ],
    ['a sub-penny limit at or above $1', { type: 'limit', limitPrice: '290.123' }, 'TRADING_SUB_PENNY_PRICE'],
    ['limit_price on a market order', { limitPrice: '10' }, 'TRADING_PRICE_NOT_ALLOWED'],
    ['a zero qty', { qty: '0' }, 'TRADING_INVALID_ORDER'],
    ['a non-decimal qty', { qty: '1e3' }, 'TRADING_INVALID_ORDER'],
    [
      'a bracket without stop_loss',
      { orderClass: 'bracket', takeProfit: { limitPrice: '110' } },
      'TRADING_INVALID_ORDER_CLASS',
    ],
    [
      'a buy bracket with take-profit below the stop',
      { orderClass: 'bracket', takeProfit: { limitPrice: '90' }, stopLoss: { stopPrice: '95' } },
      'TRADING_INVALID_LEG_PRICE',
    ],
    [
      'a buy bracket whose stop is above the entry limit',
      {
        orderClass: 'bracket',
        type: 'limit',
        limitPrice: '100',
        takeProfit: { limitPrice: '110' },
        stopLoss: { stopPrice: '100' },
      },
      'TRADING_INVALID_LEG_PRICE',
    ],
    [
      'a bracket that is ioc',
      {
        orderClass: 'bracket',
        timeInForce: 'ioc',
        takeProfit: { limitPrice: '110' },
        stopLoss: { stopPrice: '90' },
      },
      'TRADING_INVALID_TIME_IN_FORCE',
    ],
    [
      'an oto with both legs',
      { orderClass: 'oto', takeProfit: { limitPrice: '110' }, stopLoss: { stopPrice: '90' } },
      'TRADING_INVALID_ORDER_CLASS',
    ],
    [
      'an oco that is a market order',
      { orderClass: 'oco', side: 'sell', takeProfit: { limitPrice: '110' }, stopLoss: { stopPrice: '90' } },
      'TRADING_INVALID_ORDER_CLASS',
    ],
    ['legs on a simple order', { takeProfit: { limitPrice: '110' } }, 'TRADING_INVALID_ORDER_CLASS'],
  ])('refuses %s', (_story, request, code) => {
    expect(codeOf(request)).toBe(code);
  });

  it.each<[string, Partial<NewOrderRequest>]>([
    ['a fractional market day order', { qty: '0.123456789' }],
    ['a notional market day order', { qty: null, notional: '250.5' }],
    ['an extended-hours limit day order', { type: 'limit', limitPrice: '0.1234', extendedHours: true }],
    [
      'a buy bracket with legs on the right side',
      {
        orderClass: 'bracket',
        type: 'limit',
        limitPrice: '100',
        takeProfit: { limitPrice: '110' },
        stopLoss: { stopPrice: '95', limitPrice: '94.5' },
      },
    ],
    [
      'a sell oco',
      {
        orderClass: 'oco',
        side: 'sell',
        type: 'limit',
        takeProfit: { limitPrice: '110' },
        stopLoss: { stopPrice: '90' },
      },
    ],
    ['an oto with a stop loss', { orderClass: 'oto', stopLoss: { stopPrice: '90' } }],
  ])('accepts %s', (_story, request) => {
    expect(codeOf(request)).toBe('ok');
  });

  it('normalises an oco: its limit_price is the take-profit', () => {
    const out = validateOrder({
      ...base,
      side: 'sell',
      type: 'limit',
      orderClass: 'oco',
      takeProfit: { limitPrice: '110' },
      stopLoss: { stopPrice: '90' },
    });
    expect(out.ok && out.value.limitPrice?.toString()).toBe('110');
  });
});
