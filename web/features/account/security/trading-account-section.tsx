import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type BrokerChoice, TradingAccountChoiceJson } from '../../../../contracts/trading.js';
import { useApi } from '../../../api/api-context.js';
import { tradingAccountKey, useTradingAccountChoice } from '../../trading/trading-account-badge.js';

/** Settings → Connections: trade through the paper simulator or the Alpaca account of the saved keys. */
export function TradingAccountSection() {
  const api = useApi();
  const client = useQueryClient();
  const choice = useTradingAccountChoice();
  const choose = useMutation({
    mutationFn: (broker: BrokerChoice) =>
      api.call('PUT', '/api/v1/trading-account', TradingAccountChoiceJson, { broker }),
    onSuccess: (next) => {
      client.setQueryData(tradingAccountKey, next);
      // Everything under 'trading' (account, orders, positions) now comes from the other account.
      void client.invalidateQueries({ queryKey: ['trading'] });
    },
  });
  const current = choice.data;
  const keys = current?.alpaca_keys ?? null;
  // The radio moves at once (in the click's own render); a refusal moves it back.
  const [picked, setPicked] = useState<BrokerChoice | null>(null);
  const selected = picked ?? current?.broker;
  const pick = (broker: BrokerChoice) => {
    setPicked(broker);
    choose.mutate(broker, { onSettled: () => setPicked(null) });
  };
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
          checked={selected === 'paper'}
          disabled={current === undefined || choose.isPending}
          onChange={() => pick('paper')}
        />
        Paper simulator
      </label>
      <label className={keys === 'live' ? 'choice-live' : undefined}>
        <input
          type="radio"
          name="trading-account"
          value="alpaca"
          checked={selected === 'alpaca'}
          disabled={keys === null || choose.isPending}
          onChange={() => pick('alpaca')}
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
