import {
  CandlestickSeries,
  createSeriesMarkers,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { cssVariable } from '../../ui/chart/chart-theme.js';
import { useExchangeChart } from '../../ui/chart/use-exchange-chart.js';
import type { ChartMarker } from './backtest-report.js';

/** One candle: epoch seconds and prices. */
export interface MarkerCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Props of {@link MarkerChart}. */
export interface MarkerChartProps {
  candles: readonly MarkerCandle[];
  markers: readonly ChartMarker[];
  /** The applied theme; the chart re-reads the CSS variables when it changes. */
  theme: string;
  formatTime: (epochSeconds: number) => string;
  formatTick: (epochSeconds: number, tickType: number) => string;
}

function colors() {
  return {
    up: cssVariable('--up', '#15803d'),
    down: cssVariable('--down', '#b91c1c'),
    accent: cssVariable('--accent', '#1d4ed8'),
  };
}

/** Candles with markers on them (where a rule fired, where trades entered and left), filling its parent. */
export function MarkerChart({ candles, markers, theme, formatTime, formatTick }: MarkerChartProps) {
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const plugin = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const { container, chart } = useExchangeChart(theme, formatTime, formatTick, {
    build: (created) => {
      series.current = created.addSeries(CandlestickSeries, { borderVisible: false });
      plugin.current = createSeriesMarkers(series.current, []);
      return () => {
        plugin.current?.detach();
        series.current = null;
        plugin.current = null;
      };
    },
    restyle: () => {
      const c = colors();
      series.current?.applyOptions({
        upColor: c.up,
        downColor: c.down,
        wickUpColor: c.up,
        wickDownColor: c.down,
      });
    },
  });

  useEffect(() => {
    series.current?.setData(
      candles.map((k) => ({
        time: k.time as UTCTimestamp,
        open: k.open,
        high: k.high,
        low: k.low,
        close: k.close,
      })),
    );
    chart.current?.timeScale().fitContent();
  }, [candles]);

  useEffect(() => {
    const c = colors();
    const known = new Set(candles.map((k) => k.time));
    const shown: SeriesMarker<Time>[] = markers
      .filter((m) => known.has(m.time))
      .map((m) => ({
        time: m.time as UTCTimestamp,
        position: m.position,
        shape: m.shape,
        color: c[m.tone],
        text: m.text,
      }));
    plugin.current?.setMarkers(shown);
  }, [candles, markers, theme]);

  return <div ref={container} className="chart-canvas" />;
}
