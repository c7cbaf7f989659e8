import { describe, expect, it } from 'vitest';
import { backtestBody, defaultBacktestDraft, draftFromRequest } from './backtest-form.js';

const now = new Date('2026-11-24T15:00:00Z');

describe('backtestBody', () => {
  it('maps the default form to a request sized as a percentage of equity', () => {
    expect(backtestBody(defaultBacktestDraft(now))).toEqual({
      ok: true,
      body: {
        symbol: 'AAPL',
        timeframe: '1Hour',
        from: '2026-10-25',
        to: '2026-11-24',
        entry: 'sma(close, 10) crosses_above sma(close, 30)',
        exit: 'sma(close, 10) crosses_below sma(close, 30)',
        side: 'long',
        pctEquity: 100,
        initialCash: '100000',
        slippageBps: 0,
        commission: '0',
      },
    });
  });

  it('sends a fixed quantity instead, a short side, no exit rule, and the fill model fields', () => {
    const result = backtestBody({
      ...defaultBacktestDraft(now),
      symbol: ' msft ',
      sizing: 'qty',
      qty: '15',
      side: 'short',
      exit: '  ',
      slippageBps: '2.5',
      commission: '1.25',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body).toMatchObject({
      symbol: 'MSFT',
      qty: '15',
      side: 'short',
      exit: null,
      slippageBps: 2.5,
      commission: '1.25',
    });
    expect('pctEquity' in result.body).toBe(false);
  });

  it('names each wrong field', () => {
    const result = backtestBody({
      ...defaultBacktestDraft(now),
      symbol: '1',
      from: '2026-11-20',
      to: '2026-11-01',
      entry: ' ',
      pctEquity: '0',
      initialCash: 'lots',
      slippageBps: '-1',
      commission: '',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        symbol: 'a ticker symbol such as AAPL',
        to: 'must not be before From',
        entry: 'an entry rule is needed',
        pctEquity: 'a percentage above 0 and at most 1000',
        initialCash: 'a positive amount such as 100000',
        slippageBps: 'basis points from 0 to 10000',
        commission: 'an amount per fill such as 0 or 1.5',
      },
    });
  });
});

describe('draftFromRequest', () => {
  it('puts a stored request back in the form, and keeps the form for an unreadable one', () => {
    const fallback = defaultBacktestDraft(now);
    const draft = draftFromRequest(
      {
        symbol: 'SPY',
        timeframe: '1Day',
        from: '2026-01-01',
        to: '2026-06-30',
        entry: 'close > 1',
        qty: '3',
      },
      fallback,
    );
    expect(draft).toMatchObject({
      symbol: 'SPY',
      timeframe: '1Day',
      sizing: 'qty',
      qty: '3',
      exit: '',
      side: 'long',
    });
    const request = backtestBody(draft);
    expect(request.ok && request.body).toMatchObject({ symbol: 'SPY', qty: '3', exit: null });
    expect(draftFromRequest({ nonsense: true }, fallback)).toBe(fallback);
  });
});
