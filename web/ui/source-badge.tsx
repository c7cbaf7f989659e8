const labels: Record<string, { text: string; title: string }> = {
  sim: { text: 'SIMULATED', title: 'Prices come from the built-in simulated market, not a real exchange.' },
  iex: { text: 'IEX', title: 'Real-time prices from the IEX exchange only (about 2–3% of US volume).' },
  sip: { text: 'SIP', title: 'Real-time consolidated prices from all US exchanges.' },
  delayed_sip: { text: 'DELAYED', title: 'Consolidated prices delayed by 15 minutes.' },
};

/** Names where the shown market data comes from; SIMULATED stands out so it is never mistaken for real. */
export function SourceBadge({ source }: { source: string }) {
  const label = labels[source] ?? { text: source.toUpperCase(), title: `Data source: ${source}` };
  return (
    <span className={source === 'sim' ? 'badge badge-sim' : 'badge badge-live'} title={label.title}>
      <span className="visually-hidden">Data source: </span>
      {label.text}
    </span>
  );
}
