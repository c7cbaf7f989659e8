import { ApiError } from '../../api/api-error.js';
import type { DraftField } from './validate-draft.js';

/**
 * True when the account trades real money. Pulse's accounts are paper unless the server says
 * otherwise (`live: true`, `mode: 'live'` or `paper: false`, as a live broker connection would).
 */
export function isLiveAccount(account: Record<string, unknown> | undefined): boolean {
  if (account === undefined) return false;
  return account.live === true || account.mode === 'live' || account.paper === false;
}

// Most specific first: `stop_loss.limit_price` must not be read as the entry's `limit_price`.
const wireFields: readonly [string, DraftField][] = [
  ['take_profit', 'takeProfit'],
  ['stop_loss.limit_price', 'stopLossLimit'],
  ['stop_loss', 'stopLoss'],
  ['limit_price', 'limitPrice'],
  ['stop_price', 'stopPrice'],
  ['trail', 'trail'],
  ['notional', 'notional'],
  ['fractional', 'qty'],
  ['qty', 'qty'],
  ['time_in_force', 'timeInForce'],
  ['symbol', 'symbol'],
];

/** The ticket input a server refusal is about (its message names the wire field), if any. */
export function fieldOfRefusal(error: unknown): DraftField | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const message = error.message.toLowerCase();
  return wireFields.find(([wire]) => message.includes(wire))?.[1] ?? null;
}
