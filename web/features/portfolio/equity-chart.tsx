import {
  AreaSeries,
  createChart,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import {
  cssVariable,
  exchangeTimeOptions,
  surfaceColors,
  surfaceOptions,
  withAlpha,
} from '../../ui/chart/chart-theme.js';

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

function themeColors() {
  return { ...surfaceColors(), line: cssVariable('--accent', '#1d4ed8') };
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
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Area'> | null>(null);
  const benchmarkSeries = useRef<ISeriesApi<'Line'> | null>(null);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const created = createChart(element, {
      autoSize: true,
      timeScale: { timeVisible: true, secondsVisible: false },
      rightPriceScale: { borderVisible: false },
    });
    chart.current = created;
    series.current = created.addSeries(AreaSeries, { lineWidth: 2, priceLineVisible: false });
    benchmarkSeries.current = created.addSeries(LineSeries, {
      lineWidth: 1,
      lineStyle: 2,
      priceLineVisible: false,
      lastValueVisible: false,
    });
    return () => {
      created.remove();
      chart.current = null;
      series.current = null;
      benchmarkSeries.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.applyOptions(exchangeTimeOptions(formatTime, formatTick));
  }, [formatTime, formatTick]);

  useEffect(() => {
    const colors = themeColors();
    chart.current?.applyOptions(surfaceOptions(colors));
    series.current?.applyOptions({
      lineColor: colors.line,
      topColor: withAlpha(colors.line, 0.35),
      bottomColor: withAlpha(colors.line, 0.02),
    });
    benchmarkSeries.current?.applyOptions({ color: cssVariable('--text-muted', '#475569') });
  }, [theme]);

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
