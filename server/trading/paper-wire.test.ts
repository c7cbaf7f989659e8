import { describe, expect, it } from 'vitest';
import { DomainError, Money } from '../../core/kernel/index.js';
import { ordersOf } from '../../core/testing/trading-fixtures.js';
import type { NewOrderRequest, Order, TradeUpdate } from '../../core/trading/index.js';
import { AppError } from '../errors.js';
import {
  decodeBroadcast,
  decodeCommand,
  decodeReply,
  encodeBroadcast,
  encodeCommand,
  encodeReply,
} from './paper-commands.js';
import { fromWire, toWire } from './paper-wire.js';

const T = Date.parse('2024-03-12T14:30:00Z');

/** Decimals of every shape: whole, long fractions, huge, tiny, negative, negative zero. */
function decimals(seed: number): string[] {
  let x = seed;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648);
  const out = [
    '0',
    '-0',
    '1',
    '0.000000000000000000000000000001',
    '123456789012345678901234.5678',
    '-42.125',
  ];
  for (let i = 0; i < 20; i += 1)
    out.push(`${next() % 2 ? '-' : ''}${next() % 100_000}.${String(next()).padStart(10, '0')}`);
  return out;
}

const REQUESTS: NewOrderRequest[] = [
  { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', qty: '3' },
  { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', notional: '1234.56' },
  { symbol: 'MSFT', side: 'sell', type: 'limit', timeInForce: 'gtc', qty: '5', limitPrice: '401.27' },
  {
    symbol: 'NVDA',
    side: 'sell',
    type: 'stop_limit',
    timeInForce: 'day',
    qty: '2',
    stopPrice: '99.5',
    limitPrice: '99',
  },
  { symbol: 'NVDA', side: 'sell', type: 'trailing_stop', timeInForce: 'gtc', qty: '2', trailPercent: '1.5' },
  {
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    timeInForce: 'gtc',
    qty: '10',
    limitPrice: '100',
    orderClass: 'bracket',
    takeProfit: { limitPrice: '110.25' },
    stopLoss: { stopPrice: '95', limitPrice: '94.5' },
  },
  {
    symbol: 'AAPL',
    side: 'sell',
    type: 'limit',
    timeInForce: 'gtc',
    qty: '10',
    limitPrice: '110',
    orderClass: 'oco',
    takeProfit: { limitPrice: '110' },
    stopLoss: { stopPrice: '95' },
  },
  {
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    timeInForce: 'day',
    qty: '1',
    limitPrice: '100',
    orderClass: 'oto',
    stopLoss: { stopPrice: '90' },
  },
];

function roundTrip<T>(value: T): unknown {
  return fromWire(JSON.parse(JSON.stringify(toWire(value))));
}

describe('toWire / fromWire', () => {
  it('returns every decimal as an equal Money, digit for digit', () => {
    for (const text of decimals(7)) {
      const back = roundTrip(new Money(text));
      expect(back).toBeInstanceOf(Money);
      expect((back as Money).eq(new Money(text))).toBe(true);
      expect((back as Money).isNeg()).toBe(new Money(text).isNeg());
    }
  });

  it('returns orders of every class unchanged when their decimals vary', () => {
    const money = decimals(42).map((d) => new Money(d));
    REQUESTS.forEach((request, i) => {
      const group = ordersOf(request, `order-${i}`, T).map((o, j): Order => ({
        ...o,
        filledQty: money[(i + j) % money.length]!,
        filledAvgPrice: money[(i + j + 1) % money.length]!,
        commission: money[(i + j + 2) % money.length]!,
        hwm: j % 2 ? null : money[(i + j + 3) % money.length]!,
      }));
      expect(group.length).toBeGreaterThan(0);
      const back = roundTrip(group) as Order[];
      expect(back).toEqual(group);
      for (const [j, order] of back.entries()) {
        expect(order.filledQty.toFixed()).toBe(group[j]!.filledQty.toFixed());
        if (group[j]!.limitPrice) expect(order.limitPrice).toBeInstanceOf(Money);
      }
    });
  });

  it('keeps numbers JSON cannot carry and leaves undefined fields out', () => {
    expect(roundTrip({ a: Number.NaN, b: Infinity, c: -Infinity, d: 1.5, e: undefined })).toEqual({
      a: Number.NaN,
      b: Infinity,
      c: -Infinity,
      d: 1.5,
    });
  });

  it('refuses what it cannot send faithfully', () => {
    expect(() => toWire(new Map())).toThrow(TypeError);
    expect(() => toWire({ $money: '1' })).toThrow(TypeError);
    expect(() => toWire(() => 1)).toThrow(TypeError);
  });

  it('refuses malformed tags on receipt', () => {
    expect(() => fromWire({ $money: '1e5' })).toThrow();
    expect(() => fromWire({ $money: 12 })).toThrow();
    expect(() => fromWire({ $other: 'x' })).toThrow(TypeError);
  });
});

describe('encodeReply / decodeReply', () => {
  it('brings a refusal back as the same error class, code, message and details', () => {
    const refusal = new DomainError('TRADING_INSUFFICIENT_BUYING_POWER', 'insufficient buying power', {
      required: new Money('1000.5'),
      available: new Money('10'),
    });
    const error: unknown = (() => {
      try {
        decodeReply(encodeReply({ ok: false, error: refusal }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).not.toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: refusal.code, message: refusal.message, name: 'DomainError' });
    expect((error as DomainError).details?.required).toEqual(new Money('1000.5'));
  });

  it('brings an AppError back as an AppError, and anything else as a plain Error', () => {
    const app = new AppError('REQUEST_VALIDATION_FAILED', 'querystring.page_token: unknown page token');
    expect(() => decodeReply(encodeReply({ ok: false, error: app }))).toThrow(AppError);
    expect(() => decodeReply(encodeReply({ ok: false, error: new TypeError('boom') }))).toThrow(
      expect.objectContaining({ name: 'Error', message: 'boom' }),
    );
  });

  it('still brings the code and message back when the details cannot travel', () => {
    const odd = new DomainError('TRADING_ORDER_NOT_FOUND', 'order not found: x', { seen: new Set(['x']) });
    expect(() => decodeReply(encodeReply({ ok: false, error: odd }))).toThrow(
      expect.objectContaining({ code: 'TRADING_ORDER_NOT_FOUND', message: 'order not found: x' }),
    );
  });

  it('returns results with outcomes that carry errors (closeAllPositions)', () => {
    const [order] = ordersOf(REQUESTS[0]!, 'o1', T);
    const outcomes = [
      { symbol: 'AAPL', order },
      { symbol: 'MSFT', error: new DomainError('TRADING_POSITION_NOT_FOUND', 'no position') },
    ];
    const back = decodeReply(encodeReply({ ok: true, result: outcomes })) as typeof outcomes;
    expect(back[0]).toEqual(outcomes[0]);
    expect(back[1]?.error).toBeInstanceOf(DomainError);
    expect(back[1]?.error).toMatchObject({ code: 'TRADING_POSITION_NOT_FOUND' });
  });
});

describe('encodeCommand / decodeCommand', () => {
  it('round-trips every command', () => {
    const [order] = ordersOf(REQUESTS[5]!, 'b1', T);
    const commands = [
      { op: 'account', userId: 'u1', method: 'placeOrder', args: [REQUESTS[5]] },
      { op: 'account', userId: 'u1', method: 'legsOf', args: [order] },
      { op: 'account', userId: 'u1', method: 'details', args: [] },
      { op: 'record', userId: 'u1' },
      { op: 'configure', userId: 'u1', patch: { riskLimits: { maxOrderNotional: new Money('500.01') } } },
      { op: 'kill_switch', active: true },
    ] as const;
    for (const command of commands)
      expect(decodeCommand(encodeCommand(command as Parameters<typeof encodeCommand>[0]))).toEqual(command);
  });

  it('refuses an unknown method or a malformed command', () => {
    expect(() =>
      decodeCommand(JSON.stringify({ op: 'account', userId: 'u', method: 'engine', args: [] })),
    ).toThrow();
    expect(() => decodeCommand(JSON.stringify({ op: 'kill_switch', active: 'yes' }))).toThrow();
    expect(() => decodeCommand('not json')).toThrow();
  });
});

describe('encodeBroadcast / decodeBroadcast', () => {
  it('round-trips a trade update with its fill', () => {
    const [order] = ordersOf(REQUESTS[2]!, 'l1', T);
    const fill = {
      id: 'x1',
      orderId: 'l1',
      symbol: 'MSFT',
      side: 'sell' as const,
      qty: new Money('0.5'),
      price: new Money('401.27'),
      t: T,
      referencePrice: new Money('401.27'),
      liquidity: 'maker' as const,
      slippageBps: 0,
      latencyMs: 0,
      commission: new Money('0'),
    };
    const update: TradeUpdate = {
      event: 'fill',
      order: order!,
      timestamp: T,
      executionId: 'x1',
      price: fill.price,
      qty: fill.qty,
      positionQty: new Money('-0.5'),
      fill,
    };
    const message = { kind: 'trade_update', from: 'node-a', userId: 'u1', update } as const;
    expect(decodeBroadcast(encodeBroadcast(message))).toEqual(message);
    expect(() =>
      decodeBroadcast(JSON.stringify({ kind: 'trade_update', from: 'a', userId: 'u', update: {} })),
    ).toThrow();
  });

  it('round-trips a broker choice and refuses one that is not a broker', () => {
    const message = { kind: 'broker_chosen', from: 'node-a', userId: 'u1', broker: 'alpaca' } as const;
    expect(decodeBroadcast(encodeBroadcast(message))).toEqual(message);
    expect(() =>
      decodeBroadcast(JSON.stringify({ kind: 'broker_chosen', from: 'a', userId: 'u', broker: 'ibkr' })),
    ).toThrow();
    expect(() =>
      decodeBroadcast(JSON.stringify({ kind: 'broker_chosen', from: 'a', userId: '', broker: 'paper' })),
    ).toThrow();
  });
});
