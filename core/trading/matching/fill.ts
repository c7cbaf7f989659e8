import type { Money } from '../../kernel/index.js';
import type { Order, OrderSide } from '../order.js';

/** One execution, with the fill model that produced it so results can be shown next to it. */
export interface Fill {
  /** Alpaca's execution_id. */
  readonly id: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: Money;
  readonly price: Money;
  readonly t: number;
  /** The quote (taker) or trade/limit (maker) price before slippage. */
  readonly referencePrice: Money;
  /** 'taker' crossed the quote; 'maker' rested and was traded through. */
  readonly liquidity: 'taker' | 'maker';
  readonly slippageBps: number;
  readonly latencyMs: number;
  readonly commission: Money;
}

/** Alpaca trade_updates event names. */
export type TradeUpdateEvent =
  | 'new'
  | 'fill'
  | 'partial_fill'
  | 'canceled'
  | 'expired'
  | 'done_for_day'
  | 'replaced'
  | 'rejected'
  | 'pending_new'
  | 'accepted'
  | 'stopped'
  | 'pending_cancel'
  | 'pending_replace'
  | 'calculated'
  | 'suspended';

/** One order change as the trade_updates stream reports it; `fill` is set on fill and partial_fill. */
export interface OrderUpdate {
  readonly event: TradeUpdateEvent;
  readonly order: Order;
  readonly t: number;
  readonly fill: Fill | null;
}

/** What one engine step produced, in order. */
export interface EngineOutput {
  readonly fills: Fill[];
  readonly updates: OrderUpdate[];
}
