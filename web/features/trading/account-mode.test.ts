import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.js';
import { fieldOfRefusal, isLiveAccount } from './account-mode.js';

describe('isLiveAccount', () => {
  it('treats an account as paper unless it says it is live', () => {
    expect(isLiveAccount({ id: 'a', cash: '1' })).toBe(false);
    expect(isLiveAccount(undefined)).toBe(false);
    expect(isLiveAccount({ live: true })).toBe(true);
    expect(isLiveAccount({ paper: false })).toBe(true);
  });
});

describe('fieldOfRefusal', () => {
  it('ties a 422 to the input its message names', () => {
    const tp = new ApiError(
      422,
      'TRADING_INVALID_LEG_PRICE',
      'take_profit.limit_price 1 must be above stop_loss.stop_price 2',
    );
    expect(fieldOfRefusal(tp)).toBe('takeProfit');
    const slLimit = new ApiError(422, 'TRADING_SUB_PENNY_PRICE', 'invalid stop_loss.limit_price 1.001');
    expect(fieldOfRefusal(slLimit)).toBe('stopLossLimit');
  });

  it('ties nothing when the refusal is about the account, not an input', () => {
    expect(
      fieldOfRefusal(new ApiError(403, 'TRADING_MAX_NOTIONAL_EXCEEDED', 'qty over the limit')),
    ).toBeNull();
  });
});
