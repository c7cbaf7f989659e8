import { useQuery } from '@tanstack/react-query';
import { TradingAccountChoiceJson } from '../../../contracts/trading.js';
import { useApi } from '../../api/api-context.js';

/** The query key of the user's account choice (under 'trading', so trading refreshes include it). */
export const tradingAccountKey = ['trading', 'choice'] as const;

/** Which account the user trades through (paper simulator or Alpaca, live or not). */
export function useTradingAccountChoice() {
  const api = useApi();
  return useQuery({
    queryKey: tradingAccountKey,
    queryFn: () => api.call('GET', '/api/v1/trading-account', TradingAccountChoiceJson),
  });
}

/** The top bar's account badge: an unmistakable LIVE when orders trade real money, else Alpaca paper. */
export function TradingAccountBadge() {
  const choice = useTradingAccountChoice().data;
  if (choice?.broker !== 'alpaca') return null;
  return choice.live ? (
    <span className="badge topbar-live" data-testid="account-badge" title="Orders trade real money">
      LIVE
    </span>
  ) : (
    <span className="badge" data-testid="account-badge" title="Orders go to your Alpaca paper account">
      Alpaca paper
    </span>
  );
}
