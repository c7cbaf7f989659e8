import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type BrokerChoice, TradingAccountChoiceJson } from '../../../../contracts/trading.js';
import { useApi } from '../../../api/api-context.js';
import { useTradingAccountChoice } from '../../trading/trading-account-badge.js';

/** Settings → Connections: trade through the paper simulator or the Alpaca account of the saved keys. */
export function TradingAccountSection() {
  const api = useApi();
  const client = useQueryClient();
  const choice = useTradingAccountChoice();
  const choose = useMutation({
    mutationFn: (broker: BrokerChoice) =>
      api.call('PUT', '/api/v1/trading-account', TradingAccountChoiceJson, { broker }),
    // Everything under 'trading' (account, orders, positions, the badge) now comes from the other account.
    onSuccess: () => void client.invalidateQueries({ queryKey: ['trading'] }),
  });
  const current = choice.data;
  const keys = current?.alpaca_keys ?? null;
  return (
    <fieldset className="theme-choice" aria-describedby="trading-account-help">
      <legend>Trade through</legend>
      {choose.error && (
        <div className="alert" role="alert">
          {choose.error.message}
        </div>
      )}
      <label>
        <input
          type="radio"
          name="trading-account"
          value="paper"
          checked={current?.broker === 'paper'}
          disabled={current === undefined || choose.isPending}
          onChange={() => choose.mutate('paper')}
        />
        Paper simulator
      </label>
      <label className={keys === 'live' ? 'choice-live' : undefined}>
        <input
          type="radio"
          name="trading-account"
          value="alpaca"
          checked={current?.broker === 'alpaca'}
          disabled={keys === null || choose.isPending}
          onChange={() => choose.mutate('alpaca')}
        />
        {keys === 'live' ? 'Alpaca — LIVE, real money' : 'Alpaca paper account'}
      </label>
      <p id="trading-account-help" className="muted">
        {keys === null
          ? 'Save Alpaca keys above to trade through your Alpaca account.'
          : 'Orders, positions and the account then come from Alpaca; your risk limits and the kill switch still apply.'}
      </p>
    </fieldset>
  );
}
