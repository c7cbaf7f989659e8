import { AreaSeries, LineSeries, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { cssVariable, withAlpha } from '../../ui/chart/chart-theme.js';
import { useExchangeChart } from '../../ui/chart/use-exchange-chart.js';

/** Props of {@link EquityChart}. */
export interface EquityChartProps {
  /** Epoch seconds, ascending, parallel to `equity`. */
  timestamp: readonly number[];
  equity: readonly number[];
  /** A benchmark's value over the same span (epoch seconds), drawn as a thin line; null for none. */
  benchmark?: { label: string; points: readonly { time: number; value: number }[] } | null;
  /** The applied theme; the chart re-reads the CSS variables when it changes. */
  theme: string;
  formatTime: (epochSeconds: number) => string;
  formatTick: (epochSeconds: number, tickType: number) => string;
}

/** The account's equity over time as a lightweight-charts area series, filling its parent. */
export function EquityChart({
  timestamp,
  equity,
  benchmark = null,
  theme,
  formatTime,
  formatTick,
}: EquityChartProps) {
  const series = useRef<ISeriesApi<'Area'> | null>(null);
  const benchmarkSeries = useRef<ISeriesApi<'Line'> | null>(null);
  const { container, chart } = useExchangeChart(theme, formatTime, formatTick, {
    build: (created) => {
      series.current = created.addSeries(AreaSeries, { lineWidth: 2, priceLineVisible: false });
      benchmarkSeries.current = created.addSeries(LineSeries, {
        lineWidth: 1,
        lineStyle: 2,
        priceLineVisible: false,
        lastValueVisible: false,
      });
      return () => {
        series.current = null;
        benchmarkSeries.current = null;
      };
    },
    restyle: () => {
      const line = cssVariable('--accent', '#1d4ed8');
      series.current?.applyOptions({
        lineColor: line,
        topColor: withAlpha(line, 0.35),
        bottomColor: withAlpha(line, 0.02),
      });
      benchmarkSeries.current?.applyOptions({ color: cssVariable('--text-muted', '#475569') });
    },
  });

  useEffect(() => {
    benchmarkSeries.current?.applyOptions({ title: benchmark?.label ?? '' });
    benchmarkSeries.current?.setData(
      (benchmark?.points ?? []).map((p) => ({ time: p.time as UTCTimestamp, value: p.value })),
    );
  }, [benchmark]);

  useEffect(() => {
    const points: { time: UTCTimestamp; value: number }[] = [];
    timestamp.forEach((time, i) => {
      const value = equity[i];
      // The chart needs strictly ascending times.
      if (value !== undefined && (points.length === 0 || time > (points.at(-1)?.time ?? 0)))
        points.push({ time: time as UTCTimestamp, value });
    });
    series.current?.setData(points);
    chart.current?.timeScale().fitContent();
  }, [timestamp, equity]);

  return <div ref={container} className="chart-canvas" />;
}
