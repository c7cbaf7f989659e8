import { z } from 'zod';
import { Ticker } from './market.js';

/** A bar timeframe in Alpaca's spelling (1Min … 1Month); the server checks the exact grammar. */
export const TimeframeText = z
  .string()
  .regex(/^[1-9]\d?(Min|Hour|Day|Week|Month)$/, 'a timeframe such as 1Min, 15Min, 1Hour, 1Day');

export const FiringMode = z.enum(['once', 'once_per_bar', 'every_time']);

/** What a signal does when it fires, besides the in-app firing record. */
export const SignalActions = z
  .object({
    /** Notification channel ids. */
    notify: z.array(z.string().max(64)).max(20).default([]),
    /** A market order per firing (idempotency key `signal:<id>:<symbol>:<barTime>`). */
    order: z
      .object({ side: z.enum(['buy', 'sell']), qty: z.string().regex(/^\d+(\.\d+)?$/, 'a positive decimal') })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type SignalActions = z.infer<typeof SignalActions>;

/** A user's live signal. */
export const Signal = z.object({
  id: z.string(),
  name: z.string(),
  source: z.string(),
  symbols: z.array(z.string()),
  timeframe: z.string(),
  mode: FiringMode,
  cooldownBars: z.number().int(),
  expiresAt: z.string().nullable(),
  actions: z.object({
    notify: z.array(z.string()),
    order: z.object({ side: z.enum(['buy', 'sell']), qty: z.string() }).nullable(),
  }),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Signal = z.infer<typeof Signal>;

const RuleSource = z.string().min(1).max(2_000);
const Name = z.string().trim().min(1).max(80);

export const CreateSignalBody = z
  .object({
    name: Name,
    source: RuleSource,
    symbols: z.array(Ticker).min(1).max(50),
    timeframe: TimeframeText.default('1Min'),
    mode: FiringMode.default('once_per_bar'),
    cooldownBars: z.number().int().min(0).max(100_000).default(0),
    expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
    actions: SignalActions.default({ notify: [], order: null }),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateSignalBody = z.infer<typeof CreateSignalBody>;

export const UpdateSignalBody = z
  .object({
    name: Name.optional(),
    source: RuleSource.optional(),
    symbols: z.array(Ticker).min(1).max(50).optional(),
    timeframe: TimeframeText.optional(),
    mode: FiringMode.optional(),
    cooldownBars: z.number().int().min(0).max(100_000).optional(),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
    actions: SignalActions.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');
export type UpdateSignalBody = z.infer<typeof UpdateSignalBody>;

const Values = z.record(z.string(), z.number().nullable());

/** One firing: the bar it fired at (its start time) and the operand values that made the rule true. */
export const SignalFiring = z.object({
  id: z.string(),
  signalId: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  barTime: z.string(),
  bar: z.object({ t: z.number(), o: z.number(), h: z.number(), l: z.number(), c: z.number(), v: z.number() }),
  values: Values,
  firedAt: z.string(),
  catchUp: z.boolean(),
  order: z
    .object({
      clientOrderId: z.string(),
      status: z.enum(['placed', 'failed', 'skipped']),
      orderId: z.string().nullable(),
      detail: z.string().nullable(),
    })
    .nullable(),
});
export type SignalFiring = z.infer<typeof SignalFiring>;

export const FiringsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1_000).default(100),
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** One problem in a rule's text. */
export const RuleProblem = z.object({
  line: z.number().int(),
  column: z.number().int(),
  endColumn: z.number().int(),
  message: z.string(),
  expected: z.array(z.string()).optional(),
});

/** The 422 body for a rule that does not parse or check. */
export const RuleInvalidBody = z.object({
  code: z.enum(['SIGNALS_RULE_INVALID', 'SIGNALS_RULE_TOO_COMPLEX']),
  message: z.string(),
  requestId: z.string().optional(),
  errors: z.array(RuleProblem),
});

export const PreviewBody = z
  .object({
    source: RuleSource,
    symbol: Ticker,
    timeframe: TimeframeText.default('1Min'),
    mode: FiringMode.default('once_per_bar'),
    cooldownBars: z.number().int().min(0).max(100_000).default(0),
    /** Bars of recent history to look over (after the rule's warm-up). */
    bars: z.number().int().min(1).max(5_000).default(500),
  })
  .strict();
export type PreviewBody = z.infer<typeof PreviewBody>;

/** Where a rule would have fired over recent bars: chart markers. */
export const PreviewResult = z.object({
  symbol: z.string(),
  timeframe: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  bars: z.number().int(),
  warmup: z.number().int(),
  firings: z.array(z.object({ t: z.number(), time: z.string(), values: Values })),
});
export type PreviewResult = z.infer<typeof PreviewResult>;

/** POST /api/v1/backtests: a rule backtest over the market's bars. */
export const CreateBacktestBody = z
  .object({
    symbol: Ticker,
    timeframe: TimeframeText.default('1Hour'),
    from: z.iso.date(),
    to: z.iso.date(),
    entry: RuleSource,
    exit: RuleSource.nullable().default(null),
    side: z.enum(['long', 'short']).default('long'),
    qty: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional(),
    pctEquity: z.number().positive().max(1_000).optional(),
    initialCash: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .default('100000'),
    slippageBps: z.number().min(0).max(10_000).default(0),
    commission: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .default('0'),
  })
  .strict()
  .refine((b) => b.qty === undefined || b.pctEquity === undefined, 'give qty or pctEquity, not both')
  .refine((b) => b.from <= b.to, 'from must not be after to');
export type CreateBacktestBody = z.infer<typeof CreateBacktestBody>;

const Ratio = z.number().nullable();
const CurveSummary = z.object({
  finalEquity: z.string(),
  totalReturn: z.number(),
  cagr: Ratio,
  sharpe: Ratio,
  sortino: Ratio,
  calmar: Ratio,
  maxDrawdown: z.number(),
});

/** A backtest report: money as decimal strings, ratios as numbers, times as epoch ms. */
export const BacktestReport = z.object({
  bars: z.number().int(),
  from: z.number().nullable(),
  to: z.number().nullable(),
  initialCash: z.string(),
  finalCash: z.string(),
  pendingAtEnd: z.enum(['entry', 'exit']).nullable(),
  metrics: CurveSummary.extend({
    maxDrawdownDurationBars: z.number().int(),
    maxDrawdownDurationMs: z.number(),
    exposure: z.number(),
    closedTrades: z.number().int(),
    winRate: Ratio,
    profitFactor: Ratio,
    expectancy: z.string(),
    averageWin: z.string().nullable(),
    averageLoss: z.string().nullable(),
    largestWin: z.string().nullable(),
    largestLoss: z.string().nullable(),
    longestWinStreak: z.number().int(),
    longestLossStreak: z.number().int(),
  }),
  buyAndHold: CurveSummary,
  trades: z.array(
    z.object({
      side: z.enum(['long', 'short']),
      qty: z.string(),
      signalAt: z.number(),
      entryAt: z.number(),
      entryPrice: z.string(),
      exitSignalAt: z.number().nullable(),
      exitAt: z.number().nullable(),
      exitPrice: z.string().nullable(),
      commission: z.string(),
      pnl: z.string().nullable(),
      returnPct: Ratio,
      bars: z.number().int(),
      entryValues: Values,
      exitValues: Values.nullable(),
    }),
  ),
  signals: z.array(z.object({ t: z.number(), values: Values })),
  /** [time (epoch ms), equity] pairs (a custom check: a zod tuple would add its code to every page's first load). */
  equity: z.array(
    z.custom<[number, number]>(
      (p) =>
        Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number' && Number.isFinite(x)),
      'a [time, equity] pair',
    ),
  ),
});
export type BacktestReport = z.infer<typeof BacktestReport>;

/** A backtest job. */
export const Backtest = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'canceled']),
  progress: z.number(),
  request: z.unknown(),
  result: BacktestReport.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Backtest = z.infer<typeof Backtest>;
