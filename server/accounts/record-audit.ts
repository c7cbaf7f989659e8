import type { TradeUpdate } from '../../core/trading/index.js';
import type { AuditEvent, AuditLog } from '../ports.js';

/**
 * Records an audit event without ever failing the caller's work (work already done must not be
 * reported as failed because the audit write was); a failure goes to `onError`. Trade updates are not
 * recorded this way: the trading service appends them inside the transaction of the change itself.
 */
export async function recordAudit(
  deps: { audit: AuditLog; onError?: (error: unknown) => void },
  event: AuditEvent,
): Promise<void> {
  try {
    await deps.audit.record(event);
  } catch (error) {
    deps.onError?.(error);
  }
}

const AUDITED: Partial<Record<TradeUpdate['event'], string>> = {
  new: 'order.placed',
  canceled: 'order.canceled',
  replaced: 'order.replaced',
  rejected: 'order.rejected',
  fill: 'order.filled',
  expired: 'order.expired',
};

/**
 * The audit event of a trade update, or undefined for events not worth a row (partial fills, pending
 * states); written with the order's own transaction (server/trading/paper-account.ts).
 */
export function auditEventOfTradeUpdate(userId: string, update: TradeUpdate): AuditEvent | undefined {
  const action = AUDITED[update.event];
  if (!action) return undefined;
  const o = update.order;
  return {
    actorId: userId,
    action,
    ip: null,
    detail: {
      orderId: o.id,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      qty: o.qty?.toString() ?? null,
      notional: o.notional?.toString() ?? null,
      ...(update.price && { price: update.price.toString() }),
    },
  };
}
