import type { MonitorStatus } from '../../../contracts/ops.js';

/** A monitor's state between checks. */
export interface MonitorState {
  status: MonitorStatus;
  failures: number;
}

/** The state after one result: down only after `retries` failures beyond the first; `event` on a change worth telling. */
export function nextState(
  previous: MonitorState,
  ok: boolean,
  retries: number,
): MonitorState & { event: 'down' | 'up' | null } {
  if (ok) return { status: 'up', failures: 0, event: previous.status === 'down' ? 'up' : null };
  const failures = previous.failures + 1;
  if (failures > retries)
    return { status: 'down', failures, event: previous.status === 'down' ? null : 'down' };
  // Retrying: keep what we believed before (pending stays pending, up stays up).
  return { status: previous.status === 'down' ? 'down' : previous.status, failures, event: null };
}
