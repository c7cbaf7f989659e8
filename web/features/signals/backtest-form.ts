import {
  CreateBacktestBody,
  type CreateBacktestBody as CreateBacktestBodyType,
} from '../../../contracts/signals.js';

/** The backtest form's fields, as typed. */
export interface BacktestDraft {
  symbol: string;
  timeframe: string;
  from: string;
  to: string;
  entry: string;
  exit: string;
  side: 'long' | 'short';
  sizing: 'qty' | 'pct';
  qty: string;
  pctEquity: string;
  initialCash: string;
  slippageBps: string;
  commission: string;
}

/** Fields the form can flag. */
export type BacktestField = keyof BacktestDraft;

const day = (t: Date) => t.toISOString().slice(0, 10);

/** A starting point: the last 30 days of hourly AAPL bars, a moving-average cross. */
export function defaultBacktestDraft(now: Date = new Date()): BacktestDraft {
  return {
    symbol: 'AAPL',
    timeframe: '1Hour',
    from: day(new Date(now.getTime() - 30 * 86_400_000)),
    to: day(now),
    entry: 'sma(close, 10) crosses_above sma(close, 30)',
    exit: 'sma(close, 10) crosses_below sma(close, 30)',
    side: 'long',
    sizing: 'pct',
    qty: '10',
    pctEquity: '100',
    initialCash: '100000',
    slippageBps: '0',
    commission: '0',
  };
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** A backtest's request (as the server stored it) back in the form, so a past run can be rerun or tweaked. */
export function draftFromRequest(request: unknown, fallback: BacktestDraft): BacktestDraft {
  const parsed = CreateBacktestBody.safeParse(request);
  if (!parsed.success) return fallback;
  const r = parsed.data;
  return {
    symbol: r.symbol,
    timeframe: r.timeframe,
    from: r.from,
    to: r.to,
    entry: r.entry,
    exit: r.exit ?? '',
    side: r.side,
    sizing: r.qty !== undefined ? 'qty' : 'pct',
    qty: r.qty ?? fallback.qty,
    pctEquity: r.pctEquity !== undefined ? String(r.pctEquity) : fallback.pctEquity,
    initialCash: r.initialCash,
    slippageBps: String(r.slippageBps),
    commission: r.commission,
  };
}

/** The POST /api/v1/backtests body for the form, checked with the API's schema; or a message per field. */
export function backtestBody(
  d: BacktestDraft,
):
  { ok: true; body: CreateBacktestBodyType } | { ok: false; errors: Partial<Record<BacktestField, string>> } {
  const errors: Partial<Record<BacktestField, string>> = {};
  const symbol = d.symbol.trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9.]{0,9}$/.test(symbol)) errors.symbol = 'a ticker symbol such as AAPL';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.from)) errors.from = 'a date';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.to)) errors.to = 'a date';
  if (errors.from === undefined && errors.to === undefined && d.from > d.to)
    errors.to = 'must not be before From';
  if (d.entry.trim() === '') errors.entry = 'an entry rule is needed';
  if (d.sizing === 'qty' && (!DECIMAL.test(d.qty.trim()) || Number(d.qty) <= 0))
    errors.qty = 'a positive quantity such as 10';
  const pct = Number(d.pctEquity);
  if (d.sizing === 'pct' && (d.pctEquity.trim() === '' || !(pct > 0) || pct > 1000))
    errors.pctEquity = 'a percentage above 0 and at most 1000';
  if (!DECIMAL.test(d.initialCash.trim()) || Number(d.initialCash) <= 0)
    errors.initialCash = 'a positive amount such as 100000';
  const slippage = Number(d.slippageBps);
  if (d.slippageBps.trim() === '' || !(slippage >= 0) || slippage > 10_000)
    errors.slippageBps = 'basis points from 0 to 10000';
  if (!DECIMAL.test(d.commission.trim())) errors.commission = 'an amount per fill such as 0 or 1.5';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const parsed = CreateBacktestBody.safeParse({
    symbol,
    timeframe: d.timeframe,
    from: d.from,
    to: d.to,
    entry: d.entry,
    exit: d.exit.trim() === '' ? null : d.exit,
    side: d.side,
    ...(d.sizing === 'qty' ? { qty: d.qty.trim() } : { pctEquity: pct }),
    initialCash: d.initialCash.trim(),
    slippageBps: slippage,
    commission: d.commission.trim(),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'entry') as BacktestField;
      errors[key in d ? key : 'entry'] ??= issue.message;
    }
    return { ok: false, errors };
  }
  return { ok: true, body: parsed.data };
}
