import { describe, expect, it } from 'vitest';
import { describeDraft, emptyDraft, toOrderBody, type OrderDraft } from './order-draft.js';
import { validateDraft } from './validate-draft.js';

const draft = (over: Partial<OrderDraft>): OrderDraft => ({ ...emptyDraft('AAPL'), qty: '1', ...over });

describe('validateDraft', () => {
  it('accepts a market day buy of one share', () => {
    expect(validateDraft(draft({}))).toEqual({});
  });

  it('asks for a symbol and a quantity when they are missing', () => {
    const errors = validateDraft(draft({ symbol: '', qty: '' }));
    expect(errors.symbol).toMatch(/symbol/);
    expect(errors.qty).toBe('Enter a quantity.');
  });

  it('requires a limit price on limit and stop-limit orders, and a stop price on stop orders', () => {
    expect(validateDraft(draft({ type: 'limit' })).limitPrice).toBe('Enter a limit price.');
    const stopLimit = validateDraft(draft({ type: 'stop_limit', limitPrice: '10' }));
    expect(stopLimit).toEqual({ stopPrice: 'Enter a stop price.' });
    expect(validateDraft(draft({ type: 'stop' })).stopPrice).toBe('Enter a stop price.');
  });

  it('refuses sub-penny prices at or above $1 but allows 4 decimals below', () => {
    expect(validateDraft(draft({ type: 'limit', limitPrice: '10.005' })).limitPrice).toMatch(/whole cents/);
    expect(validateDraft(draft({ type: 'limit', limitPrice: '0.5012' }))).toEqual({});
  });

  it('requires the one trail a trailing stop uses, under 100 percent, day or gtc', () => {
    expect(validateDraft(draft({ type: 'trailing_stop' })).trail).toBe('Enter a trail amount.');
    const percent = draft({ type: 'trailing_stop', trailKind: 'percent', trail: '100' });
    expect(validateDraft(percent).trail).toBe('Trail percent must be below 100.');
    const ioc = draft({ type: 'trailing_stop', trail: '1.5', timeInForce: 'ioc' });
    expect(validateDraft(ioc)).toEqual({ timeInForce: 'Trailing stops must be Day or Good till canceled.' });
    expect(toOrderBody(draft({ type: 'trailing_stop', trailKind: 'percent', trail: '2' }))).toMatchObject({
      trail_percent: '2',
    });
    expect(toOrderBody(draft({ type: 'trailing_stop', trail: '2' }))).not.toHaveProperty('trail_percent');
  });

  it('allows dollar amounts only on market day orders', () => {
    expect(validateDraft(draft({ amountKind: 'notional', notional: '250.50' }))).toEqual({});
    const limit = draft({ amountKind: 'notional', notional: '250', type: 'limit', limitPrice: '10' });
    expect(validateDraft(limit).notional).toMatch(/market order with time in force Day/);
    expect(validateDraft(draft({ amountKind: 'notional', notional: '1.005' })).notional).toMatch(
      /2 decimals/,
    );
  });

  it('allows fractional shares only on market day orders', () => {
    expect(validateDraft(draft({ qty: '0.5' }))).toEqual({});
    expect(validateDraft(draft({ qty: '0.5', timeInForce: 'gtc' })).qty).toMatch(/Fractional/);
    expect(validateDraft(draft({ qty: '0.5', type: 'limit', limitPrice: '5' })).qty).toMatch(/Fractional/);
  });

  it('wants the take profit above the stop loss when a bracket buys', () => {
    const buy = draft({ bracket: true, takeProfit: '190', stopLoss: '195' });
    expect(validateDraft(buy).takeProfit).toBe('Take profit must be above the stop loss for a buy.');
    expect(validateDraft({ ...buy, takeProfit: '200' })).toEqual({});
  });

  it('wants the take profit below the stop loss when a bracket sells', () => {
    const sell = draft({ side: 'sell', bracket: true, takeProfit: '200', stopLoss: '195' });
    expect(validateDraft(sell).takeProfit).toBe('Take profit must be below the stop loss for a sell.');
    expect(validateDraft({ ...sell, takeProfit: '190' })).toEqual({});
  });

  it('keeps bracket legs on the right side of the entry limit', () => {
    const buy = draft({
      type: 'limit',
      limitPrice: '100',
      bracket: true,
      takeProfit: '110',
      stopLoss: '100',
    });
    expect(validateDraft(buy).stopLoss).toBe('Stop loss must be below the limit price for a buy.');
  });

  it('summarises stop prices before limit prices for the confirm step', () => {
    const d = draft({ type: 'stop_limit', stopPrice: '9.50', limitPrice: '9.40', timeInForce: 'gtc' });
    expect(describeDraft(d)).toBe('Buy 1 AAPL · Stop limit 9.50 / 9.40 · Good till canceled');
    expect(describeDraft(draft({ type: 'trailing_stop', trailKind: 'percent', trail: '2' }))).toBe(
      'Buy 1 AAPL · Trailing stop 2% · Day',
    );
  });

  it('sends only the fields the order type uses', () => {
    const body = toOrderBody(
      draft({
        type: 'limit',
        limitPrice: '10',
        stopPrice: '9',
        extendedHours: true,
        bracket: true,
        takeProfit: '12',
        stopLoss: '8',
      }),
    );
    expect(body).toEqual({
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'day',
      qty: '1',
      limit_price: '10',
      extended_hours: true,
      order_class: 'bracket',
      take_profit: { limit_price: '12' },
      stop_loss: { stop_price: '8' },
    });
  });
});
