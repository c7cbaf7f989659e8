export {
  computeIndicator,
  createIndicator,
  type IndicatorColumns,
  type IndicatorInput,
  type IndicatorInstance,
  type IndicatorOptions,
  type IndicatorParams,
  type IndicatorSpec,
  indicatorSpec,
  indicatorSpecs,
  type ParamSpec,
} from './indicators/registry.js';
export {
  computeSeries,
  computeSeriesIndicators,
  type SeriesColumns,
  type SeriesIndicators,
  STANDARD_KEYS,
} from './indicators/compute-series.js';
export type { Column, OhlcvBar } from './indicators/types.js';
export type { BinaryOp, ComparisonOp, RuleExpr, Span } from './rules/ast.js';
export { type CheckResult, checkRule, type RuleOptions } from './rules/check-rule.js';
export {
  type CompileResult,
  type CompiledRule,
  compileRule,
  type RuleBar,
  type RuleEvaluation,
  type RuleState,
} from './rules/compile-rule.js';
export { evaluateSeries } from './rules/evaluate-series.js';
export { type LexError, type Token, type TokenKind, tokenize } from './rules/lexer.js';
export {
  type FiringDecision,
  type FiringMode,
  type FiringPolicy,
  type FiringPolicyOptions,
  type FiringState,
  firingPolicy,
} from './rules/firing-policy.js';
export { BAR_FIELDS, type BarField, RULE_FUNCTIONS, type RuleFunction } from './rules/functions.js';
export { RULE_LIMITS } from './rules/limits.js';
export { type ParseResult, parseRule } from './rules/parse-rule.js';
export type { IndicatorUse, RuleProgram, Step, ValueType } from './rules/program.js';
export { formatRuleError, type RuleError, type RuleErrorCode, ruleDomainError } from './rules/rule-error.js';
export {
  type BacktestOptions,
  type BacktestSide,
  type ResolvedBacktest,
  type Sizing,
  resolveBacktest,
} from './backtest/backtest-options.js';
export { type BacktestReportJson, backtestJson } from './backtest/backtest-json.js';
export {
  type BacktestReport,
  type CurveMetrics,
  backtestReport,
  curveMetrics,
  returnPeriods,
} from './backtest/backtest-report.js';
export {
  type BacktestRun,
  type BacktestSignal,
  type BacktestTrade,
  type RuleValues,
  Backtester,
} from './backtest/backtester.js';
export { type RunHooks, runBacktest } from './backtest/run-backtest.js';
export { type SignalFiring, signalFirings } from './backtest/signal-firings.js';
