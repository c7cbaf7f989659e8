import { lazy, Suspense } from 'react';
import type { CandleChartProps } from './candle-chart.js';

// lightweight-charts is most of the dashboard's weight: it loads in its own chunk, after the shell.
const CandleChart = lazy(() =>
  import('./candle-chart.js').then((module) => ({ default: module.CandleChart })),
);

/** {@link CandleChart}, loaded on first use; shows a placeholder until its chunk arrives. */
export function LazyCandleChart(props: CandleChartProps) {
  return (
    <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
      <CandleChart {...props} />
    </Suspense>
  );
}
