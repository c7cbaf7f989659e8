import { useState } from 'react';
import { useStreamStatus } from '../../api/stream-context.js';
import { useRouter } from '../../app/router-context.js';
import { ChartPanel } from './chart-panel.js';
import { OfflineBanner } from './offline-banner.js';
import { SymbolPicker } from './symbol-picker.js';
import { WatchlistPanel } from './watchlists/watchlist-panel.js';

/** The symbol the dashboard opens with. */
export const DEFAULT_SYMBOL = 'AAPL';

const streamLabels = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
} as const;

/** Props of {@link MarketsWorkspace}. */
export interface MarketsWorkspaceProps {
  /** Wide layout (the Markets page): the quote table gets bid and ask columns. */
  wide?: boolean;
}

/** Symbol search, the chart, and the watchlists panel beside it; clicking a quote row charts it. */
export function MarketsWorkspace({ wide = false }: MarketsWorkspaceProps) {
  const [symbol, setSymbol] = useState(DEFAULT_SYMBOL);
  const [timeframe, setTimeframe] = useState('1Min');
  const status = useStreamStatus();
  const router = useRouter();

  return (
    <>
      <OfflineBanner streamStatus={status} />
      <div className="page-header">
        <SymbolPicker value={symbol} onChange={setSymbol} />
        <span className="stream-status" data-status={status} role="status">
          {streamLabels[status]}
        </span>
      </div>
      <div className={wide ? 'workspace workspace-wide' : 'workspace'}>
        <ChartPanel symbol={symbol} timeframe={timeframe} onTimeframe={setTimeframe} />
        <WatchlistPanel
          symbol={symbol}
          onSelectSymbol={setSymbol}
          wide={wide}
          onTrade={(s) => router.navigate(`/trade?${new URLSearchParams({ symbol: s })}`)}
        />
      </div>
    </>
  );
}
