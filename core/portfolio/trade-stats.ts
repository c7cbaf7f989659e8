import { Money } from '../kernel/index.js';

/** Win/loss statistics of closed trades' net P&L (money exact; ratios float64). */
export type TradeStats = {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  /** Wins over trades (a zero P&L counts as neither win nor loss but is in the denominator); null with no trades. */
  readonly winRate: number | null;
  /** Gross profit over gross loss; null when there is no loss. */
  readonly profitFactor: number | null;
  /** Mean net P&L per trade. */
  readonly expectancy: Money;
  readonly grossProfit: Money;
  readonly grossLoss: Money;
  readonly averageWin: Money | null;
  /** Negative, or null with no loss. */
  readonly averageLoss: Money | null;
  readonly largestWin: Money | null;
  readonly largestLoss: Money | null;
  readonly longestWinStreak: number;
  readonly longestLossStreak: number;
};

/** Statistics of closed trades given their net P&L in order. */
export function tradeStats(pnls: readonly Money[]): TradeStats {
  const zero = new Money(0);
  let grossProfit = zero;
  let grossLoss = zero;
  let wins = 0;
  let losses = 0;
  let largestWin: Money | null = null;
  let largestLoss: Money | null = null;
  let winRun = 0;
  let lossRun = 0;
  let longestWinStreak = 0;
  let longestLossStreak = 0;
  for (const pnl of pnls) {
    if (pnl.gt(0)) {
      wins++;
      grossProfit = grossProfit.plus(pnl);
      if (largestWin === null || pnl.gt(largestWin)) largestWin = pnl;
      winRun++;
      lossRun = 0;
    } else if (pnl.lt(0)) {
      losses++;
      grossLoss = grossLoss.minus(pnl);
      if (largestLoss === null || pnl.lt(largestLoss)) largestLoss = pnl;
      lossRun++;
      winRun = 0;
    } else {
      winRun = 0;
      lossRun = 0;
    }
    longestWinStreak = Math.max(longestWinStreak, winRun);
    longestLossStreak = Math.max(longestLossStreak, lossRun);
  }
  const n = pnls.length;
  return {
    trades: n,
    wins,
    losses,
    winRate: n === 0 ? null : wins / n,
    profitFactor: grossLoss.isZero() ? null : grossProfit.dividedBy(grossLoss).toNumber(),
    expectancy: n === 0 ? zero : grossProfit.minus(grossLoss).dividedBy(n),
    grossProfit,
    grossLoss,
    averageWin: wins === 0 ? null : grossProfit.dividedBy(wins),
    averageLoss: losses === 0 ? null : grossLoss.negated().dividedBy(losses),
    largestWin,
    largestLoss,
    longestWinStreak,
    longestLossStreak,
  };
}
