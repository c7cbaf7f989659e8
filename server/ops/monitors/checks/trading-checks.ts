import type { FeedStalenessCheck, HeartbeatCheck } from '../../../../contracts/ops.js';
import { phaseAt } from '../../../../core/market-data/index.js';
import type { MonitorContext } from '../../ops-ports.js';
import { type CheckOutcome, failed } from './check-outcome.js';

const ok = (detail: string): CheckOutcome => ({ ok: true, latencyMs: null, detail });

/** Fails when any symbol has not traded for `maxAgeMs` while the market is in a watched phase. */
export function feedStalenessCheck(
  spec: Omit<FeedStalenessCheck, 'kind'>,
  context: MonitorContext,
): CheckOutcome {
  const now = context.marketNow();
  const phase = phaseAt(now);
  if (phase === 'closed' || !spec.phases.includes(phase)) return ok(`market ${phase}: not watched`);
  const stale: string[] = [];
  for (const symbol of spec.symbols) {
    const last = context.lastTradeAt(symbol);
    if (last === undefined) stale.push(`${symbol} (no trade yet)`);
    else if (now - last > spec.maxAgeMs) stale.push(`${symbol} (${Math.round((now - last) / 1000)} s)`);
  }
  return stale.length === 0
    ? ok(`${spec.symbols.length} symbols fresh (${phase})`)
    : failed(`stale during ${phase}: ${stale.join(', ')}`);
}

/** Fails when the market feed is disconnected. */
export function feedConnectedCheck(context: MonitorContext): CheckOutcome {
  return context.feedConnected() ? ok('feed connected') : failed('feed disconnected');
}

/** Fails when a named heartbeat is missing or older than `maxAgeMs` (wall clock). */
export function heartbeatCheck(
  spec: Omit<HeartbeatCheck, 'kind'>,
  context: MonitorContext,
  now = Date.now(),
): CheckOutcome {
  const beat = context.heartbeats.get(spec.source);
  if (!beat) return failed(`no heartbeat source "${spec.source}" in this process`);
  const last = beat();
  if (last === undefined) return failed(`${spec.source} has not beaten yet`);
  const age = now - last;
  return age <= spec.maxAgeMs
    ? ok(`${spec.source} beat ${Math.round(age / 1000)} s ago`)
    : failed(`${spec.source} silent for ${Math.round(age / 1000)} s`);
}
