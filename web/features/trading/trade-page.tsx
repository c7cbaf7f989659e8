import { ActivityList } from './activity-list.js';
import { OrderTicket } from './order-ticket.js';
import { OrdersTable } from './orders-table.js';
import { PositionsTable } from './positions-table.js';
import { useTradeUpdates } from './use-trading.js';
import './trading.css';

const SYMBOL = /^[A-Z][A-Z0-9.]{0,15}$/;
const DEFAULT_SYMBOL = 'AAPL';

/** The symbol in `?symbol=` (how a quote row opens the ticket), else the default. */
export function symbolFromSearch(search: string): string {
  const symbol = new URLSearchParams(search).get('symbol')?.trim().toUpperCase() ?? '';
  return SYMBOL.test(symbol) ? symbol : DEFAULT_SYMBOL;
}

/** Trade: the order ticket beside live orders, positions and fills. */
export function TradePage() {
  useTradeUpdates();
  return (
    <div className="trade-layout">
      <OrderTicket symbol={symbolFromSearch(window.location.search)} />
      <div className="trade-books">
        <OrdersTable />
        <PositionsTable />
        <ActivityList />
      </div>
    </div>
  );
}
