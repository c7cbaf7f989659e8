import type { MonitorCheck } from '../../../../contracts/ops.js';
import type { MonitorContext } from '../../ops-ports.js';
import type { CheckOutcome } from './check-outcome.js';
import { httpCheck } from './http-check.js';
import { tcpCheck } from './tcp-check.js';
import { feedConnectedCheck, feedStalenessCheck, heartbeatCheck } from './trading-checks.js';

/** Runs one check of any kind; never throws. */
export async function runCheck(
  check: MonitorCheck,
  timeoutMs: number,
  context: MonitorContext,
): Promise<CheckOutcome> {
  try {
    switch (check.kind) {
      case 'http':
        return await httpCheck(check, timeoutMs);
      case 'tcp':
        return await tcpCheck(check, timeoutMs);
      case 'feed_staleness':
        return feedStalenessCheck(check, context);
      case 'feed_connected':
        return feedConnectedCheck(context);
      case 'heartbeat':
        return heartbeatCheck(check, context);
    }
  } catch (error) {
    return { ok: false, latencyMs: null, detail: error instanceof Error ? error.message : 'check failed' };
  }
}
