import { z } from 'zod';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES, TIME_IN_FORCES } from '../../../../core/trading/index.js';

/** A Trading API decimal: a JSON string as Alpaca sends it (numbers tolerated). */
const Dec = z.union([z.string(), z.number()]).transform((v) => String(v));
const NullableDec = Dec.nullish().transform((v) => v ?? null);
const Time = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

/** Alpaca's v2 order object (the fields Pulse reads; unknown keys are ignored). */
export interface WireOrder {
  id: string;
  client_order_id: string;
  created_at: string;
  updated_at: string | null;
  submitted_at: string | null;
  filled_at: string | null;
  expired_at: string | null;
  canceled_at: string | null;
  failed_at: string | null;
  replaced_at: string | null;
  replaced_by: string | null;
  replaces: string | null;
  symbol: string;
  notional: string | null;
  qty: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  order_class: string;
  type: (typeof ORDER_TYPES)[number];
  side: (typeof ORDER_SIDES)[number];
  time_in_force: (typeof TIME_IN_FORCES)[number];
  limit_price: string | null;
  stop_price: string | null;
  status: (typeof ORDER_STATUSES)[number];
  extended_hours: boolean;
  legs: WireOrder[] | null;
  trail_percent: string | null;
  trail_price: string | null;
  hwm: string | null;
}

/** Schema of {@link WireOrder}. */
export const WireOrder: z.ZodType<WireOrder> = z.lazy(() =>
  z.object({
    id: z.string(),
    client_order_id: z.string(),
    created_at: z.string(),
    updated_at: Time,
    submitted_at: Time,
    filled_at: Time,
    expired_at: Time,
    canceled_at: Time,
    failed_at: Time,
    replaced_at: Time,
    replaced_by: z
      .string()
      .nullish()
      .transform((v) => v ?? null),
    replaces: z
      .string()
      .nullish()
      .transform((v) => v ?? null),
    symbol: z.string(),
    notional: NullableDec,
    qty: NullableDec,
    filled_qty: Dec.nullish().transform((v) => v ?? '0'),
    filled_avg_price: NullableDec,
    order_class: z
      .string()
      .nullish()
      .transform((v) => v ?? ''),
    type: z.enum(ORDER_TYPES),
    side: z.enum(ORDER_SIDES),
    time_in_force: z.enum(TIME_IN_FORCES),
    limit_price: NullableDec,
    stop_price: NullableDec,
    status: z.enum(ORDER_STATUSES),
    extended_hours: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    legs: z
      .array(WireOrder)
      .nullish()
      .transform((v) => v ?? null),
    trail_percent: NullableDec,
    trail_price: NullableDec,
    hwm: NullableDec,
  }),
);

/** Alpaca's position object. */
export const WirePosition = z.object({
  symbol: z.string(),
  qty: Dec,
  avg_entry_price: Dec,
  side: z.enum(['long', 'short']),
  market_value: NullableDec,
  cost_basis: Dec,
  unrealized_pl: NullableDec,
  current_price: NullableDec,
});
/** A parsed {@link WirePosition}. */
export type WirePosition = z.infer<typeof WirePosition>;

/** Alpaca's account object (money as strings, flags as booleans). */
export const WireAccount = z.object({
  cash: Dec,
  equity: Dec,
  last_equity: Dec,
  buying_power: Dec,
  multiplier: Dec,
  long_market_value: Dec,
  short_market_value: Dec,
  daytrade_count: z.number().nullish(),
  pattern_day_trader: z.boolean().nullish(),
  shorting_enabled: z.boolean().nullish(),
  accrued_fees: NullableDec,
});
/** A parsed {@link WireAccount}. */
export type WireAccount = z.infer<typeof WireAccount>;

/** One row of DELETE /v2/orders (207). */
export const WireCancelResult = z.object({ id: z.string(), status: z.number() });

/** The `data` of a trade_updates message. */
export const WireTradeUpdate = z.object({
  event: z.string(),
  order: WireOrder,
  timestamp: Time,
  execution_id: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  price: NullableDec,
  qty: NullableDec,
  position_qty: NullableDec,
});
/** A parsed {@link WireTradeUpdate}. */
export type WireTradeUpdate = z.infer<typeof WireTradeUpdate>;

/** Alpaca's error body: `{code, message}` (code absent on some 403s and the data API). */
export const WireError = z.object({ code: z.number().optional(), message: z.string().optional() });
