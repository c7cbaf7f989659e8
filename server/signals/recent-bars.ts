import {
  type Bar,
  type BarHistory,
  type Timeframe,
  intradayMs,
  isIntraday,
} from '../../core/market-data/index.js';

const DAY = 86_400_000;
const MAX_SPAN = 15 * 365 * DAY;

/** A span of time likely to hold `count` bars (16 trading hours a day intraday, ~1.45 calendar days a day bar). */
function spanFor(tf: Timeframe, count: number): number {
  if (isIntraday(tf)) return Math.ceil((count * intradayMs(tf)) / (16 * 3_600_000)) * DAY + DAY;
  const perBar = tf.unit === 'Day' ? 1.45 : tf.unit === 'Week' ? 7 : 31;
  return Math.ceil(count * perBar * tf.amount) * DAY + 4 * DAY;
}

/** The latest `count` bars of `symbol` starting before `end`, ascending (fewer when history runs out). */
export async function recentBars(
  history: BarHistory,
  symbol: string,
  tf: Timeframe,
  count: number,
  end: number,
): Promise<Bar[]> {
  let span = spanFor(tf, count);
  for (;;) {
    const bars = await history.bars(symbol, tf, end - span, end);
    if (bars.length >= count || span >= MAX_SPAN) return bars.slice(-count);
    span *= 4;
  }
}
