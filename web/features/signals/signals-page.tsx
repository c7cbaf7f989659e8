import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useRouter } from '../../app/router-context.js';
import { AlertsTab } from './alerts-tab.js';
import { BacktestsTab } from './backtests-tab.js';
import { ChannelsTab } from './channels-tab.js';
import { SignalsTab } from './signals-tab.js';
import { parseSignalsSearch, signalsHref, SIGNALS_TABS as TABS, type SignalsTabId } from './signals-url.js';
import '../trading/trading.css';
import './signals.css';

/** Signals: rules and their editor, alert history, notification channels and backtests, as linkable tabs. */
export function SignalsPage() {
  const router = useRouter();
  const [state, setState] = useState(() => parseSignalsSearch(window.location.search));
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    const onPop = () => setState(parseSignalsSearch(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const open = (tab: SignalsTabId, id: string | null = null) => {
    setState({ tab, id });
    router.navigate(signalsHref(tab, id));
  };

  const onKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = TABS.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    const tab = TABS[next];
    if (tab === undefined) return;
    open(tab.id);
    tabs.current[next]?.focus();
  };

  return (
    <div className="signals-screen">
      <div className="signals-tabs" role="tablist" aria-label="Signals sections">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`signals-tab-${t.id}`}
            aria-selected={state.tab === t.id}
            // Only the selected tab's panel is rendered.
            aria-controls={state.tab === t.id ? `signals-panel-${t.id}` : undefined}
            tabIndex={state.tab === t.id ? 0 : -1}
            onClick={() => open(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`signals-panel-${state.tab}`}
        aria-labelledby={`signals-tab-${state.tab}`}
        className="signals-panel"
      >
        {state.tab === 'signals' ? <SignalsTab onShowAlerts={(id) => open('alerts', id)} /> : null}
        {state.tab === 'alerts' ? (
          <AlertsTab signalId={state.id} onSelect={(id) => open('alerts', id)} />
        ) : null}
        {state.tab === 'channels' ? <ChannelsTab /> : null}
        {state.tab === 'backtests' ? (
          <BacktestsTab backtestId={state.id} onOpen={(id) => open('backtests', id)} />
        ) : null}
      </div>
    </div>
  );
}
