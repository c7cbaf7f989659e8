export { type DrawdownStats, drawdownStats, maxDrawdown } from './drawdown.js';
export { type RatioOptions, calmarRatio, mean, sampleStdev, sharpeRatio, sortinoRatio } from './ratios.js';
export { cagr, periodEnds, periodReturns, timeWeightedReturn, totalReturn } from './returns.js';
export { type TradeStats, tradeStats } from './trade-stats.js';
