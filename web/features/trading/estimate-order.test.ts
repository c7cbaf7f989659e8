import { describe, expect, it } from 'vitest';
import { estimateOrder } from './estimate-order.js';
import { fixedText, type Fixed } from './fixed-decimal.js';
import { emptyDraft, type OrderDraft } from './order-draft.js';

const quote = { bid: 187.3, ask: 187.35, last: 187.32 };
const draft = (over: Partial<OrderDraft>): OrderDraft => ({ ...emptyDraft('AAPL'), ...over });
const text = (value: Fixed | null): string | null => (value === null ? null : fixedText(value));

describe('estimateOrder', () => {
  it('prices a market buy at the ask and takes it from the buying power', () => {
    const estimate = estimateOrder(draft({ qty: '10' }), quote, '10000');
    expect(estimate.basis).toBe('ask');
    expect(text(estimate.cost)).toBe('1873.5');
    expect(text(estimate.buyingPowerAfter)).toBe('8126.5');
    expect(estimate.exceedsBuyingPower).toBe(false);
  });

  it('prices a market sell at the bid and leaves the buying power alone', () => {
    const estimate = estimateOrder(draft({ side: 'sell', qty: '2' }), quote, '10000');
    expect(estimate.basis).toBe('bid');
    expect(text(estimate.cost)).toBe('374.6');
    expect(estimate.buyingPowerAfter).toBeNull();
  });

  it('prices a limit order at its limit', () => {
    const estimate = estimateOrder(draft({ qty: '3', type: 'limit', limitPrice: '150.10' }), quote, null);
    expect(estimate.basis).toBe('limit');
    expect(text(estimate.cost)).toBe('450.3');
  });

  it('uses the notional as the cost of a dollar order', () => {
    const estimate = estimateOrder(draft({ amountKind: 'notional', notional: '250' }), quote, '100');
    expect(text(estimate.cost)).toBe('250');
    expect(estimate.exceedsBuyingPower).toBe(true);
  });

  it('falls back to the last trade without a quote, and gives no cost without any price', () => {
    const noQuote = { bid: null, ask: null, last: 50 };
    expect(estimateOrder(draft({ qty: '2' }), noQuote, null).basis).toBe('last');
    const nothing = estimateOrder(draft({ qty: '2' }), { bid: null, ask: null, last: null }, '1000');
    expect(nothing.cost).toBeNull();
    expect(nothing.buyingPowerAfter).toBeNull();
  });
});
