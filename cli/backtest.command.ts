import { DomainError } from '../core/kernel/index.js';
import { dayNumber, formatNyIso, MarketSimulator, parseTimeframe } from '../core/market-data/index.js';
import type { BacktestReportJson, RuleError } from '../core/signals/index.js';
import { type BacktestRequest, runBacktestJob } from '../server/main.js';
import { type Command, fail } from './command.js';

const USAGE = `Usage: pulse backtest --symbol SYM --from YYYY-MM-DD --to YYYY-MM-DD --entry RULE [options]

Backtests a rule over the simulated market (the same market \`pulse serve\` shows for the seed). Decisions are
taken at each bar's close and filled at the next bar's open: taker price plus --slippage-bps (buys pay more,
sells get less), and --commission dollars per order. Whole shares with --pct-equity; the report's money is exact.

  --symbol SYM          instrument, e.g. AAPL
  --timeframe TF        bar timeframe (default 1Hour): 1Min, 5Min, 15Min, 1Hour, 1Day, 1Week …
  --from, --to DATE     New York dates, both inclusive
  --entry RULE          entry rule, e.g. "crossover(sma(close, 20), sma(close, 50))"
  --exit RULE           exit rule (default: hold to the end)
  --side long|short     (default long)
  --qty N | --pct-equity P   shares per entry, or percent of equity (default 100 %)
  --cash C              starting cash (default 100000)
  --slippage-bps B      (default 0)
  --commission C        dollars per order (default 0)
  --seed S              market seed (default pulse, as \`pulse serve\`)
  --json                print the report as JSON`;

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);
const num = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));
const day = (t: number | null) => (t === null ? '—' : formatNyIso(t).replace('T', ' ').slice(0, 16));

/** The report as aligned text. */
export function formatReport(request: BacktestRequest, r: BacktestReportJson): string {
  const m = r.metrics;
  const b = r.buyAndHold;
  const rows: [string, string, string][] = [
    ['', 'strategy', 'buy & hold'],
    ['Final equity', m.finalEquity, b.finalEquity],
    ['Total return', pct(m.totalReturn), pct(b.totalReturn)],
    ['CAGR', pct(m.cagr), pct(b.cagr)],
    ['Sharpe', num(m.sharpe), num(b.sharpe)],
    ['Sortino', num(m.sortino), num(b.sortino)],
    ['Calmar', num(m.calmar), num(b.calmar)],
    ['Max drawdown', pct(m.maxDrawdown), pct(b.maxDrawdown)],
  ];
  const width = [14, 16, 16];
  const table = rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(width[0]!) : cell.padStart(width[i]!))).join(''),
  );
  const lines = [
    `${request.symbol} ${request.timeframe} ${request.from} → ${request.to}: ${r.bars} bars, ${request.side}`,
    `entry: ${request.entry}`,
    `exit:  ${request.exit ?? '(hold to the end)'}`,
    '',
    ...table,
    '',
    `Trades ${m.closedTrades} closed${r.trades.length > m.closedTrades ? ', 1 open' : ''}; win rate ${pct(m.winRate)}; profit factor ${num(m.profitFactor)}; expectancy ${m.expectancy}`,
    `Average win ${m.averageWin ?? '—'}, loss ${m.averageLoss ?? '—'}; largest win ${m.largestWin ?? '—'}, loss ${m.largestLoss ?? '—'}`,
    `Longest streaks: ${m.longestWinStreak} wins, ${m.longestLossStreak} losses; exposure ${pct(m.exposure)}; max drawdown lasted ${m.maxDrawdownDurationBars} bars`,
  ];
  if (r.trades.length > 0) {
    lines.push('', 'entry (fill, ET)  exit (fill, ET)        qty        entry       exit        P&L');
    for (const t of r.trades.slice(-20))
      lines.push(
        `${day(t.entryAt)}  ${day(t.exitAt).padEnd(16)}  ${t.qty.padStart(6)} ${t.entryPrice.padStart(10)} ${(t.exitPrice ?? 'open').padStart(10)} ${(t.pnl ?? '—').padStart(10)}`,
      );
    if (r.trades.length > 20) lines.push(`(last 20 of ${r.trades.length} trades; --json for all)`);
  }
  return `${lines.join('\n')}\n`;
}

function ruleProblem(error: DomainError, request: BacktestRequest): string {
  const errors = error.details?.errors as RuleError[] | undefined;
  const which = error.details?.rule === 'exit' ? 'exit' : 'entry';
  const first = errors?.[0];
  const source = which === 'exit' ? (request.exit ?? '') : request.entry;
  if (!first) return error.message;
  const line = source.split('\n')[first.line - 1] ?? '';
  const caret = `${' '.repeat(first.column - 1)}${'^'.repeat(Math.max(1, first.endColumn - first.column))}`;
  return `${which} rule ${first.line}:${first.column}: ${first.message}\n  ${line}\n  ${caret}`;
}

/** `pulse backtest`: backtests entry/exit rules over the simulator's bars and prints a report (text or JSON). */
export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Backtest entry/exit rules over the simulated market',
  usage: USAGE,
  options: {
    symbol: { type: 'string' },
    timeframe: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    entry: { type: 'string' },
    exit: { type: 'string' },
    side: { type: 'string' },
    qty: { type: 'string' },
    'pct-equity': { type: 'string' },
    cash: { type: 'string' },
    'slippage-bps': { type: 'string' },
    commission: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values) {
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const symbol = text('symbol')?.toUpperCase();
    const from = text('from');
    const to = text('to');
    const entry = text('entry');
    if (!symbol || !from || !to || !entry)
      return fail('backtest: --symbol, --from, --to and --entry are required (see pulse backtest --help)');
    const seed = text('seed') ?? 'pulse';
    if (!new MarketSimulator({ seed }).has(symbol))
      return fail(`backtest: the simulated market has no symbol ${symbol}`);
    const timeframe = text('timeframe') ?? '1Hour';
    if (!parseTimeframe(timeframe))
      return fail(
        `backtest: --timeframe must be a timeframe such as 1Min, 15Min, 1Hour or 1Day, not '${timeframe}'`,
      );
    for (const [flag, date] of [
      ['--from', from],
      ['--to', to],
    ] as const)
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
        return fail(`backtest: ${flag} must be a date such as 2024-01-31, not '${date}'`);
    if (dayNumber(from) > dayNumber(to)) return fail('backtest: --from must not be after --to');
    const side = text('side') ?? 'long';
    if (side !== 'long' && side !== 'short')
      return fail(`backtest: --side must be long or short, not '${side}'`);
    const qty = text('qty');
    const pctText = text('pct-equity');
    if (qty !== undefined && pctText !== undefined)
      return fail('backtest: give --qty or --pct-equity, not both');
    const numeric = (flag: string, value: string | undefined, fallback: string) => {
      const v = value ?? fallback;
      if (!/^\d+(\.\d+)?$/.test(v)) throw new Error(`--${flag} must be a non-negative number, not '${v}'`);
      return v;
    };
    let request: BacktestRequest;
    try {
      request = {
        symbol,
        timeframe,
        from,
        to,
        entry,
        exit: text('exit') ?? null,
        side,
        ...(qty !== undefined && { qty: numeric('qty', qty, '0') }),
        ...(pctText !== undefined && { pctEquity: Number(numeric('pct-equity', pctText, '100')) }),
        initialCash: numeric('cash', text('cash'), '100000'),
        slippageBps: Number(numeric('slippage-bps', text('slippage-bps'), '0')),
        commission: numeric('commission', text('commission'), '0'),
      };
    } catch (error) {
      return fail(`backtest: ${(error as Error).message}`);
    }
    let report: BacktestReportJson;
    try {
      report = runBacktestJob(request, { kind: 'sim', seed });
    } catch (error) {
      if (error instanceof DomainError) {
        if (error.code === 'SIGNALS_RULE_INVALID' || error.code === 'SIGNALS_RULE_TOO_COMPLEX')
          return fail(`backtest: ${ruleProblem(error, request)}`);
        return fail(`backtest: ${error.message}`);
      }
      throw error;
    }
    process.stdout.write(
      values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(request, report),
    );
    return 0;
  },
};
