export {
  type Bar,
  type Quote,
  type Trade,
  BarBuilder,
  compareBars,
  isExtendedBucket,
  roundVwap,
} from './bar.js';
export { aggregateTrades, compareTrades, countsToward, rollupBars } from './aggregate.js';
export { BarAggregator } from './bar-aggregator.js';
export {
  type MarketClock,
  type MarketPhase,
  type SessionDay,
  clockAt,
  nextClose,
  nextOpen,
  phaseAt,
  sessionAtOrBefore,
  sessionOn,
  sessionOnDay,
  tradingDays,
} from './calendar.js';
export { type HolidayKind, SPECIAL_CLOSURES, easterDay, nyseHolidays } from './holidays.js';
export {
  type Instrument,
  type ListingExchange,
  SIM_INSTRUMENTS,
  findInstrument,
  searchInstruments,
} from './instruments.js';
export {
  dayNumber,
  dateOfDay,
  exchangeDate,
  exchangeDay,
  formatNyIso,
  nyOffset,
  nyWallToUtc,
} from './ny-time.js';
export { REFERENCE_DATE, SIM_FIRST_DATE, SIM_LAST_DATE } from './daily-path.js';
export { type MarketSimulatorOptions, MarketSimulator } from './simulator.js';
export {
  type Timeframe,
  type TimeframeUnit,
  bucketEnd,
  bucketStart,
  formatTimeframe,
  intradayMs,
  isIntraday,
  parseTimeframe,
} from './timeframe.js';
export {
  type BarHistory,
  type BarStore,
  type DataSource,
  type FeedEvent,
  type FeedListener,
  type MarketFeed,
} from './market-feed.js';
export { QUOTE_MS } from './minute-tape.js';
