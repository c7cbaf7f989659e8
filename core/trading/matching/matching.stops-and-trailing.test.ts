import { describe, expect, it } from 'vitest';
import { at, ordersOf, quoteOf, tradeOf } from '../../testing/trading-fixtures.js';
import { MatchingEngine } from './matching-engine.js';

const T = at('2024-03-12', '11:00');

describe('MatchingEngine stops', () => {
  it('moves a trailing sell stop up with the high-water mark and fills at the bid when it triggers', () => {
    const e = new MatchingEngine();
    e.onTrade(tradeOf('NVDA', T, 100));
    e.submit(
      ordersOf(
        {
          symbol: 'NVDA',
          side: 'sell',
          type: 'trailing_stop',
          timeInForce: 'gtc',
          qty: '2',
          trailPrice: '1',
        },
        'tr',
        T,
      ),
      T,
    );
    expect([e.get('tr')?.hwm?.toString(), e.get('tr')?.stopPrice?.toString()]).toEqual(['100', '99']);
    e.onTrade(tradeOf('NVDA', T + 1, 101.5));
    e.onTrade(tradeOf('NVDA', T + 2, 100.6));
    expect([e.get('tr')?.hwm?.toString(), e.get('tr')?.stopPrice?.toString(), e.get('tr')?.status]).toEqual([
      '101.5',
      '100.5',
      'new',
    ]);
    e.onQuote(quoteOf('NVDA', T + 3, 100.4, 100.45));
    const out = e.onTrade(tradeOf('NVDA', T + 4, 100.5));
    expect(out.fills.map((f) => f.price.toString())).toEqual(['100.4']);
  });

  it('tracks the low-water mark for a trailing buy in percent', () => {
    const e = new MatchingEngine();
    e.submit(
      ordersOf(
        {
          symbol: 'NVDA',
          side: 'buy',
          type: 'trailing_stop',
          timeInForce: 'day',
          qty: '1',
          trailPercent: '2.5',
        },
        'tb',
        T,
      ),
      T,
    );
    e.onTrade(tradeOf('NVDA', T + 1, 80));
    e.onTrade(tradeOf('NVDA', T + 2, 78));
    expect([e.get('tb')?.hwm?.toString(), e.get('tb')?.stopPrice?.toString()]).toEqual(['78', '79.95']);
  });

  it('turns a triggered stop_limit into a limit that rests when the quote is beyond it', () => {
    const e = new MatchingEngine();
    e.onQuote(quoteOf('NVDA', T, 97, 97.1));
    e.submit(
      ordersOf(
        {
          symbol: 'NVDA',
          side: 'sell',
          type: 'stop_limit',
          timeInForce: 'day',
          qty: '3',
          stopPrice: '98',
          limitPrice: '97.5',
        },
        'sl',
        T,
      ),
      T,
    );
    expect(e.onTrade(tradeOf('NVDA', T + 1, 97.4)).fills).toEqual([]);
    expect(e.get('sl')?.status).toBe('new');
    const out = e.onTrade(tradeOf('NVDA', T + 2, 97.51));
    expect(out.fills.map((f) => [f.price.toString(), f.liquidity])).toEqual([['97.5', 'maker']]);
  });

  it('does not trigger a stop on trades before the open', () => {
    const e = new MatchingEngine();
    const pre = at('2024-03-12', '08:00');
    e.submit(
      ordersOf(
        { symbol: 'NVDA', side: 'sell', type: 'stop', timeInForce: 'gtc', qty: '1', stopPrice: '90' },
        's',
        pre,
      ),
      pre,
    );
    e.onTrade(tradeOf('NVDA', pre + 1, 85));
    expect(e.get('s')?.status).toBe('accepted');
  });
});
