import { z } from 'zod';

/** A decimal as Alpaca accepts it: a JSON string or number, kept as its exact text. */
export const WireDecimal = z.union([z.string().trim().min(1).max(40), z.number()]).transform(String);

const Side = z.enum(['buy', 'sell']);
const OrderType = z.enum(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']);
const TimeInForce = z.enum(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']);
const OrderClass = z.enum(['simple', 'bracket', 'oco', 'oto', '']);
const Bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** POST /api/v1/orders: Alpaca's new-order body; combinations are checked by the trading rules (422). */
export const NewOrderBody = z
  .object({
    symbol: z.string().trim().min(1).max(16),
    side: Side,
    type: OrderType,
    time_in_force: TimeInForce,
    qty: WireDecimal.nullish(),
    notional: WireDecimal.nullish(),
    limit_price: WireDecimal.nullish(),
    stop_price: WireDecimal.nullish(),
    trail_price: WireDecimal.nullish(),
    trail_percent: WireDecimal.nullish(),
    extended_hours: z.boolean().optional(),
    client_order_id: z.string().max(128).nullish(),
    order_class: OrderClass.optional(),
    take_profit: z.object({ limit_price: WireDecimal }).strict().nullish(),
    stop_loss: z.object({ stop_price: WireDecimal, limit_price: WireDecimal.nullish() }).strict().nullish(),
  })
  .strict();
export type NewOrderBody = z.infer<typeof NewOrderBody>;

/** PATCH /api/v1/orders/:id: the fields Alpaca lets a replace change. */
export const ReplaceOrderBody = z
  .object({
    qty: WireDecimal.nullish(),
    time_in_force: TimeInForce.nullish(),
    limit_price: WireDecimal.nullish(),
    stop_price: WireDecimal.nullish(),
    trail: WireDecimal.nullish(),
    client_order_id: z.string().min(1).max(128).nullish(),
  })
  .strict();
export type ReplaceOrderBody = z.infer<typeof ReplaceOrderBody>;

const Instant = z.string().max(40);

/** GET /api/v1/orders query, as Alpaca's. */
export const OrdersQuery = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: Instant.optional(),
  until: Instant.optional(),
  direction: z.enum(['asc', 'desc']).default('desc'),
  symbols: z.string().max(2000).optional(),
  side: Side.optional(),
  nested: Bool.default(false),
});
export type OrdersQuery = z.infer<typeof OrdersQuery>;

/** An order as Alpaca's v2 order object (decimals as strings, RFC 3339 times). */
export const OrderJson = z.looseObject({
  id: z.string(),
  client_order_id: z.string(),
  symbol: z.string(),
  side: Side,
  type: OrderType,
  status: z.string(),
  qty: z.string().nullable(),
  notional: z.string().nullable(),
  filled_qty: z.string(),
  filled_avg_price: z.string().nullable(),
});
export type OrderJson = z.infer<typeof OrderJson>;

/** One row of DELETE /api/v1/orders (HTTP 207). */
export const CancelResultJson = z.object({ id: z.string(), status: z.number().int() });

/** A position as Alpaca's position object. */
export const PositionJson = z.looseObject({
  symbol: z.string(),
  qty: z.string(),
  side: z.enum(['long', 'short']),
  avg_entry_price: z.string(),
  market_value: z.string(),
  cost_basis: z.string(),
  unrealized_pl: z.string(),
});

/** One row of DELETE /api/v1/positions (HTTP 207). */
export const ClosePositionResultJson = z.object({
  symbol: z.string(),
  status: z.number().int(),
  body: z.unknown(),
});

/** DELETE /api/v1/positions/:symbol query: all, `qty` shares or `percentage` percent. */
export const ClosePositionQuery = z.object({
  qty: z.string().max(40).optional(),
  percentage: z.string().max(40).optional(),
});

/** DELETE /api/v1/positions query. */
export const CloseAllQuery = z.object({ cancel_orders: Bool.default(false) });

const fillModelShape = <D extends z.ZodType>(decimal: D) =>
  z
    .object({
      latency_ms: z.number().int().min(0).max(60_000),
      slippage_bps: z.number().min(0).max(1_000),
      partial_fills: z.enum(['never', 'displayed_size']),
      touch_fills: z.boolean(),
      commission: z.object({ per_share: decimal, per_order: decimal, minimum: decimal }).strict(),
    })
    .strict();

/** The paper fill model an account trades under (shown in the account; decimals as strings). */
export const FillModelJson = fillModelShape(z.string());
export type FillModelJson = z.infer<typeof FillModelJson>;

/** PUT /api/v1/account/fill-model: any subset of the fill model (decimals as strings or numbers). */
export const FillModelBody = fillModelShape(WireDecimal).partial();

/** Where a user's orders go: Pulse's paper simulator, or their own Alpaca account (saved keys). */
export const BrokerChoice = z.enum(['paper', 'alpaca']);
export type BrokerChoice = z.infer<typeof BrokerChoice>;

/** The account as Alpaca's account object, plus Pulse's paper settings (null for an Alpaca account). */
export const AccountJson = z.looseObject({
  id: z.string(),
  account_number: z.string(),
  cash: z.string(),
  equity: z.string(),
  buying_power: z.string(),
  fill_model: z.unknown(),
  /** Which broker the account is: the paper simulator or the user's Alpaca account. */
  broker: BrokerChoice,
  /** True when orders trade real money (Alpaca with live keys). */
  live: z.boolean(),
});

/** GET/PUT /api/v1/trading-account: which account the user trades through. */
export const TradingAccountChoiceJson = z.object({
  broker: BrokerChoice,
  live: z.boolean(),
  /** The saved Alpaca keys' scope, or null when none are saved. */
  alpaca_keys: z.enum(['paper', 'live']).nullable(),
});
export type TradingAccountChoiceJson = z.infer<typeof TradingAccountChoiceJson>;

/** PUT /api/v1/trading-account body. */
export const TradingAccountChoiceBody = z.object({ broker: BrokerChoice }).strict();

const riskLimitsShape = <D extends z.ZodType>(decimal: D) =>
  z
    .object({
      max_order_notional: decimal.nullable(),
      max_position_qty: decimal.nullable(),
      max_position_notional: decimal.nullable(),
      daily_loss_limit: decimal.nullable(),
      allow_symbols: z.array(z.string().max(16)).max(500).nullable(),
      deny_symbols: z.array(z.string().max(16)).max(500),
      outside_hours: z.enum(['refuse', 'queue']),
      duplicate_window_ms: z.number().int().min(0).max(86_400_000),
    })
    .strict();

/** A user's own risk limits (null disables a limit); decimals as strings. */
export const RiskLimitsJson = riskLimitsShape(z.string());
export type RiskLimitsJson = z.infer<typeof RiskLimitsJson>;

/** PUT /api/v1/risk-limits: any subset (decimals as strings or numbers). */
export const RiskLimitsBody = riskLimitsShape(WireDecimal).partial();

/** The risk limits in force for the caller, with the global kill switch. */
export const RiskLimitsView = RiskLimitsJson.extend({ kill_switch: z.boolean() });

/** PUT /api/v1/admin/kill-switch. */
export const KillSwitchBody = z.object({ active: z.boolean() }).strict();

/** The kill switch's state and what turning it on canceled. */
export const KillSwitchJson = z.object({ active: z.boolean(), canceled: z.number().int() });

/** GET /api/v1/activities query: Alpaca's cursor paging over fills. */
export const ActivitiesQuery = z.object({
  direction: z.enum(['asc', 'desc']).default('desc'),
  page_size: z.coerce.number().int().min(1).max(100).default(100),
  page_token: z.string().max(200).optional(),
  after: Instant.optional(),
  until: Instant.optional(),
});

/** A FILL activity as Alpaca's trade activity. */
export const FillActivityJson = z.object({
  id: z.string(),
  activity_type: z.literal('FILL'),
  transaction_time: z.string(),
  type: z.enum(['fill', 'partial_fill']),
  price: z.string(),
  qty: z.string(),
  side: Side,
  symbol: z.string(),
  leaves_qty: z.string(),
  cum_qty: z.string(),
  order_id: z.string(),
  order_status: z.string(),
  commission: z.string(),
  position_qty: z.string(),
});

/** GET /api/v1/portfolio/history query. */
export const PortfolioHistoryQuery = z.object({
  period: z
    .string()
    .regex(/^\d{1,3}[DWMA]$/, 'like 1D, 2W, 1M or 1A')
    .default('1M'),
  timeframe: z.enum(['1Min', '5Min', '15Min', '1H', '1D']).optional(),
  date_end: Instant.optional(),
});

/** Alpaca's portfolio history: parallel arrays, timestamps in epoch seconds, numbers not strings. */
export const PortfolioHistoryJson = z.object({
  timestamp: z.array(z.number()),
  equity: z.array(z.number()),
  profit_loss: z.array(z.number()),
  profit_loss_pct: z.array(z.number()),
  base_value: z.number(),
  timeframe: z.string(),
});

/**
 * A trade update on /api/v1/stream, sent to the order's owner only (every signed-in connection gets
 * its own user's updates; no subscription needed). Fill events carry price, qty and position_qty.
 */
export interface StreamTradeUpdate {
  T: 'trade_update';
  event: string;
  order: Record<string, unknown>;
  timestamp: string | null;
  execution_id?: string | null;
  price?: string | null;
  qty?: string | null;
  position_qty?: string | null;
}
