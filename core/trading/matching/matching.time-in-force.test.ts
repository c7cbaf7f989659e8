import { describe, expect, it } from 'vitest';
import { at, ordersOf, quoteOf, tradeOf } from '../../testing/trading-fixtures.js';
import { MatchingEngine } from './matching-engine.js';
import { timeInForceWindowRefusal } from './session-rules.js';

const D = '2024-03-12';
const T = at(D, '11:00');

describe('MatchingEngine time in force and sessions', () => {
  it('fills what an ioc can take now and cancels the rest', () => {
    const e = new MatchingEngine({ fillModel: { partialFills: 'displayed_size' } });
    e.onQuote(quoteOf('KO', T, 60, 60.01, 100, 200));
    const out = e.submit(
      ordersOf({ symbol: 'KO', side: 'buy', type: 'market', timeInForce: 'ioc', qty: '500' }, 'i', T),
      T,
    );
    expect(out.updates.map((u) => u.event)).toEqual(['new', 'partial_fill', 'canceled']);
    expect(e.get('i')?.filledQty.toString()).toBe('200');
  });

  it('cancels a fok whole when the displayed size cannot fill it', () => {
    const e = new MatchingEngine({ fillModel: { partialFills: 'displayed_size' } });
    e.onQuote(quoteOf('KO', T, 60, 60.01, 100, 200));
    const out = e.submit(
      ordersOf(
        { symbol: 'KO', side: 'buy', type: 'limit', limitPrice: '60.05', timeInForce: 'fok', qty: '300' },
        'f',
        T,
      ),
      T,
    );
    expect(out.fills).toEqual([]);
    expect(e.get('f')?.status).toBe('canceled');
  });

  it('queues a day order sent before the open as accepted and routes it at 09:30', () => {
    const e = new MatchingEngine();
    const pre = at(D, '08:00');
    e.onQuote(quoteOf('KO', pre, 59, 59.5));
    expect(
      e.submit(
        ordersOf({ symbol: 'KO', side: 'buy', type: 'market', timeInForce: 'day', qty: '1' }, 'q', pre),
        pre,
      ).fills,
    ).toEqual([]);
    expect(e.get('q')?.status).toBe('accepted');
    const out = e.onQuote(quoteOf('KO', at(D, '09:30'), 60, 60.02));
    expect(out.updates.map((u) => [u.event, u.fill?.price.toString()])).toEqual([
      ['new', undefined],
      ['fill', '60.02'],
    ]);
  });

  it('lets an extended-hours limit execute pre-market but not a regular one', () => {
    const e = new MatchingEngine();
    const pre = at(D, '07:00');
    e.onQuote(quoteOf('KO', pre, 59, 59.5));
    e.submit(
      ordersOf(
        {
          symbol: 'KO',
          side: 'buy',
          type: 'limit',
          limitPrice: '60',
          timeInForce: 'day',
          qty: '1',
          extendedHours: true,
        },
        'x',
        pre,
      ),
      pre,
    );
    e.submit(
      ordersOf(
        { symbol: 'KO', side: 'buy', type: 'limit', limitPrice: '60', timeInForce: 'day', qty: '1' },
        'r',
        pre,
      ),
      pre,
    );
    expect([e.get('x')?.status, e.get('r')?.status]).toEqual(['filled', 'accepted']);
  });

  it('expires a regular day order at 16:00 and an extended-hours one at 20:00', () => {
    const e = new MatchingEngine();
    e.submit(
      ordersOf(
        { symbol: 'KO', side: 'buy', type: 'limit', limitPrice: '1', timeInForce: 'day', qty: '1' },
        'd',
        T,
      ),
      T,
    );
    e.submit(
      ordersOf(
        {
          symbol: 'KO',
          side: 'buy',
          type: 'limit',
          limitPrice: '1',
          timeInForce: 'day',
          qty: '1',
          extendedHours: true,
        },
        'e',
        T,
      ),
      T,
    );
    e.submit(
      ordersOf(
        { symbol: 'KO', side: 'buy', type: 'limit', limitPrice: '1', timeInForce: 'gtc', qty: '1' },
        'g',
        T,
      ),
      T,
    );
    e.onClock(at(D, '16:00'));
    expect([e.get('d')?.status, e.get('e')?.status]).toEqual(['expired', 'new']);
    e.onClock(at(D, '20:00'));
    expect([e.get('e')?.status, e.get('g')?.status]).toEqual(['expired', 'new']);
  });

  it('executes opg at the first regular-session trade and cancels an opg limit the open did not reach', () => {
    const e = new MatchingEngine();
    const pre = at(D, '08:00');
    e.submit(
      ordersOf({ symbol: 'KO', side: 'buy', type: 'market', timeInForce: 'opg', qty: '5' }, 'o', pre),
      pre,
    );
    e.submit(
      ordersOf(
        { symbol: 'KO', side: 'buy', type: 'limit', limitPrice: '59', timeInForce: 'opg', qty: '5' },
        'ol',
        pre,
      ),
      pre,
    );
    e.onTrade(tradeOf('KO', at(D, '09:00'), 58));
    expect(e.get('o')?.status).toBe('new');
    e.onTrade(tradeOf('KO', at(D, '09:30'), 60.1));
    expect([e.get('o')?.status, e.get('o')?.filledAvgPrice?.toString(), e.get('ol')?.status]).toEqual([
      'filled',
      '60.1',
      'canceled',
    ]);
  });

  it('executes cls at the close against the last quote', () => {
    const e = new MatchingEngine();
    e.submit(
      ordersOf({ symbol: 'KO', side: 'sell', type: 'market', timeInForce: 'cls', qty: '5' }, 'c', T),
      T,
    );
    e.onQuote(quoteOf('KO', at(D, '15:59'), 61, 61.02));
    expect(e.get('c')?.status).toBe('new');
    e.onClock(at(D, '16:00'));
    expect([e.get('c')?.status, e.get('c')?.filledAvgPrice?.toString()]).toEqual(['filled', '61']);
  });

  it('refuses opg between 09:28 and 19:00 ET and cls between 15:50 and 19:00 ET', () => {
    expect(timeInForceWindowRefusal({ timeInForce: 'opg' }, at(D, '09:29'))?.code).toBe(
      'TRADING_INVALID_TIME_IN_FORCE',
    );
    expect(timeInForceWindowRefusal({ timeInForce: 'opg' }, at(D, '19:00'))).toBeNull();
    expect(timeInForceWindowRefusal({ timeInForce: 'cls' }, at(D, '15:55'))?.code).toBe(
      'TRADING_INVALID_TIME_IN_FORCE',
    );
    expect(timeInForceWindowRefusal({ timeInForce: 'cls' }, at(D, '15:49'))).toBeNull();
  });
});
