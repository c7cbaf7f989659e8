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
