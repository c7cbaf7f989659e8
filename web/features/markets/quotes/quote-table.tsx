import { formatPercent, formatPrice, formatSignedPrice, formatVolume } from '../format.js';
import { changeOf, type QuoteRow } from './quote-row.js';

/** Props of {@link QuoteTable}. */
export interface QuoteTableProps {
  caption: string;
  rows: readonly QuoteRow[];
  /** The symbol on the chart; its row is marked. */
  selected: string;
  onSelect: (symbol: string) => void;
  /** Adds bid and ask columns (where there is room). */
  showBidAsk?: boolean;
  /** Opens the order ticket on a symbol; when given, each row ends with a "Trade" button. */
  onTrade?: ((symbol: string) => void) | undefined;
}

const dash = '—';
const price = (value: number | null): string => (value === null ? dash : formatPrice(value));

/** Symbol, last, change, % change, volume (and bid/ask); the last price flashes when it moves. */
export function QuoteTable({
  caption,
  rows,
  selected,
  onSelect,
  showBidAsk = false,
  onTrade,
}: QuoteTableProps) {
  return (
    <table className="quote-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Symbol</th>
          <th scope="col">Last</th>
          <th scope="col">Chg</th>
          <th scope="col">Chg %</th>
          <th scope="col">Volume</th>
          {showBidAsk ? (
            <>
              <th scope="col">Bid</th>
              <th scope="col">Ask</th>
            </>
          ) : null}
          {onTrade === undefined ? null : (
            <th scope="col">
              <span className="visually-hidden">Trade</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const change = changeOf(row);
          const direction = change === null || change.change === 0 ? '' : change.change > 0 ? 'up' : 'down';
          return (
            <tr
              key={row.symbol}
              aria-selected={row.symbol === selected}
              data-testid={`quote-${row.symbol}`}
              onClick={() => onSelect(row.symbol)}
            >
              <th scope="row">
                {/* The button gives keyboard users the row's click (it bubbles to the row). */}
                <button type="button" className="link-button" aria-pressed={row.symbol === selected}>
                  {row.symbol}
                </button>
              </th>
              <td
                key={row.flashId}
                className={row.flash === null || row.flashId === 0 ? undefined : `flash-${row.flash}`}
                data-testid="quote-last"
              >
                {price(row.last)}
              </td>
              <td className={direction}>
                {change === null ? dash : formatSignedPrice(change.change, row.last ?? 0)}
              </td>
              <td className={direction}>{change === null ? dash : formatPercent(change.percent)}</td>
              <td>{row.volume === null ? dash : formatVolume(row.volume)}</td>
              {showBidAsk ? (
                <>
                  <td>{price(row.bid)}</td>
                  <td>{price(row.ask)}</td>
                </>
              ) : null}
              {onTrade === undefined ? null : (
                <td>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Trade ${row.symbol}`}
                    onClick={(event) => {
                      // Trading a row should not also re-chart it.
                      event.stopPropagation();
                      onTrade(row.symbol);
                    }}
                  >
                    Trade
                  </button>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
