import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SymbolCombobox } from '../markets/symbol-combobox.js';
import { useLiveQuotes } from '../markets/quotes/use-live-quotes.js';
import { fieldOfRefusal, isLiveAccount } from './account-mode.js';
import { estimateOrder } from './estimate-order.js';
import { formatUsd, fixedText } from './fixed-decimal.js';
import { describeDraft, emptyDraft, toOrderBody, type OrderDraft } from './order-draft.js';
import { TicketFields } from './ticket-fields.js';
import { useAccount, useTradingActions } from './use-trading.js';
import { validateDraft, type DraftErrors, type DraftField } from './validate-draft.js';

/** Props of {@link OrderTicket}. */
export interface OrderTicketProps {
  /** The symbol the ticket opens on. */
  symbol: string;
}

const basisLabels = {
  ask: 'ask',
  bid: 'bid',
  last: 'last trade',
  limit: 'limit',
  stop: 'stop',
  notional: '',
};

const newClientOrderId = (): string | undefined =>
  typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : undefined;

/**
 * The order ticket: edit (checked as you type), review (a summary with the estimate), then send.
 * A server refusal comes back to the edit step, shown on the input it names.
 */
export function OrderTicket({ symbol: initialSymbol }: OrderTicketProps) {
  const [draft, setDraft] = useState(() => emptyDraft(initialSymbol));
  const [touched, setTouched] = useState<ReadonlySet<DraftField>>(new Set());
  const [reviewing, setReviewing] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const account = useAccount();
  const { place } = useTradingActions();
  const quotes = useLiveQuotes([draft.symbol]);
  const quote = quotes.rows[0] ?? { bid: null, ask: null, last: null };
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const reviewButton = useRef<HTMLButtonElement>(null);
  const live = isLiveAccount(account.data);

  const errors = validateDraft(draft);
  const refusalField = fieldOfRefusal(place.error);
  const shown: DraftErrors = Object.fromEntries(
    Object.entries(errors).filter(([field]) => attempted || touched.has(field as DraftField)),
  );
  if (refusalField !== null && place.error !== null) shown[refusalField] ??= place.error.message;
  const valid = Object.keys(errors).length === 0;
  const estimate = estimateOrder(draft, quote, account.data?.buying_power ?? null);

  useEffect(() => {
    if (reviewing) confirmHeading.current?.focus();
  }, [reviewing]);

  const change = (patch: Partial<OrderDraft>, field?: DraftField): void => {
    setDraft((d) => ({ ...d, ...patch }));
    if (field !== undefined) setTouched((t) => new Set(t).add(field));
    setNotice(null);
    place.reset();
  };

  const review = (event: FormEvent): void => {
    event.preventDefault();
    setAttempted(true);
    if (valid) setReviewing(true);
  };

  const back = (): void => {
    setReviewing(false);
    queueMicrotask(() => reviewButton.current?.focus());
  };

  const send = (): void => {
    place.mutate(toOrderBody(draft, newClientOrderId()), {
      onSuccess: (order) => {
        setNotice(`Order ${order.status}: ${describeDraft(draft)}.`);
        setDraft((d) => ({
          ...emptyDraft(d.symbol),
          side: d.side,
          type: d.type,
          timeInForce: d.timeInForce,
        }));
        setTouched(new Set());
        setAttempted(false);
        setReviewing(false);
      },
      onError: () => back(),
    });
  };

  return (
    <section className={live ? 'panel ticket ticket-live' : 'panel ticket'} aria-labelledby="ticket-title">
      {live ? (
        <p className="live-banner" role="note">
          LIVE account: orders trade real money.
        </p>
      ) : null}
      <div className="ticket-header">
        <h2 id="ticket-title">Order ticket</h2>
        {account.data === undefined ? null : live ? (
          <span className="badge badge-real">LIVE</span>
        ) : (
          <span className="badge badge-paper">
            {account.data.broker === 'alpaca' ? 'Alpaca paper' : 'Paper'}
          </span>
        )}
      </div>
      {notice === null ? null : (
        <p className="notice ticket-notice" role="status">
          {notice}
        </p>
      )}
      {place.error !== null && !reviewing ? (
        <p className="alert" role="alert">
          The server refused the order: {place.error.message}
        </p>
      ) : null}
      {reviewing ? (
        <div className="ticket-confirm">
          <h3 ref={confirmHeading} tabIndex={-1}>
            Confirm your order
          </h3>
          <p className="ticket-summary" data-testid="order-summary">
            {describeDraft(draft)}
          </p>
          <Estimate estimate={estimate} />
          <div className="ticket-actions">
            <button type="button" className="button" onClick={back} disabled={place.isPending}>
              Edit
            </button>
            <button
              type="button"
              className={live ? 'button button-danger' : 'button button-primary'}
              onClick={send}
              disabled={place.isPending}
            >
              {place.isPending ? 'Sending…' : `Place ${draft.side} order`}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={review} noValidate>
          <div className="ticket-symbol">
            <span>
              Symbol <strong data-testid="ticket-symbol">{draft.symbol}</strong>
            </span>
            <SymbolCombobox
              label="Change symbol"
              placeholder="Search symbols"
              onPick={(s) => change({ symbol: s })}
            />
          </div>
          <p className="muted ticket-quote">
            Bid {quote.bid?.toFixed(2) ?? '—'} · Ask {quote.ask?.toFixed(2) ?? '—'} · Last{' '}
            {quote.last?.toFixed(2) ?? '—'}
          </p>
          <TicketFields draft={draft} errors={shown} onChange={change} />
          <Estimate estimate={estimate} />
          <button ref={reviewButton} type="submit" className="button button-primary">
            Review order
          </button>
          {attempted && !valid ? (
            <p className="hint field-error" role="alert">
              Fix the highlighted fields to continue.
            </p>
          ) : null}
        </form>
      )}
    </section>
  );
}

function Estimate({ estimate }: { estimate: ReturnType<typeof estimateOrder> }) {
  const { cost, price, basis, buyingPowerAfter, exceedsBuyingPower } = estimate;
  return (
    <dl className="ticket-estimate" aria-live="polite">
      <dt>Estimated cost</dt>
      <dd data-testid="estimated-cost">
        {cost === null ? '—' : formatUsd(cost)}
        {price !== null && basis !== null && basis !== 'notional' ? (
          <span className="muted">
            {' '}
            at {basisLabels[basis]} {fixedText(price)}
          </span>
        ) : null}
      </dd>
      {buyingPowerAfter === null ? null : (
        <>
          <dt>Buying power after</dt>
          <dd className={exceedsBuyingPower ? 'down' : undefined}>
            {formatUsd(buyingPowerAfter)}
            {exceedsBuyingPower ? ' — more than you can spend' : null}
          </dd>
        </>
      )}
    </dl>
  );
}
