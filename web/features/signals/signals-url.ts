/** The tabs of the Signals screen, in order. */
export const SIGNALS_TABS = [
  { id: 'signals', label: 'Signals' },
  { id: 'alerts', label: 'Alert history' },
  { id: 'channels', label: 'Channels' },
  { id: 'backtests', label: 'Backtests' },
] as const;

/** A tab of the Signals screen. */
export type SignalsTabId = (typeof SIGNALS_TABS)[number]['id'];

/** The state a /signals URL carries: `?tab=alerts&id=…` (id: a signal for alerts, a backtest for backtests). */
export function parseSignalsSearch(search: string): { tab: SignalsTabId; id: string | null } {
  const params = new URLSearchParams(search);
  const tab = SIGNALS_TABS.find((t) => t.id === params.get('tab'))?.id ?? 'signals';
  const id = params.get('id');
  return { tab, id: id !== null && /^[0-9a-f-]{36}$/i.test(id) ? id : null };
}

/** The /signals URL for a tab (and an id in it). */
export function signalsHref(tab: SignalsTabId, id: string | null = null): string {
  const params = new URLSearchParams();
  if (tab !== 'signals') params.set('tab', tab);
  if (id !== null) params.set('id', id);
  const query = params.toString();
  return query === '' ? '/signals' : `/signals?${query}`;
}
