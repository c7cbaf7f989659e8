import {
  CandlestickSeries,
  ColorType,
  createChart,
  type CandlestickData,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { planChartSync } from './chart-sync.js';

/** One candle as the chart takes it: epoch seconds and OHLC. */
export interface ChartCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Props of {@link CandleChart}. */
export interface CandleChartProps {
  candles: readonly ChartCandle[];
  /** The applied theme; the chart re-reads the CSS variables when it changes. */
  theme: string;
  /** Formats epoch seconds for the crosshair label. */
  formatTime: (epochSeconds: number) => string;
  /** Formats epoch seconds for a time-axis tick. */
  formatTick: (epochSeconds: number) => string;
}

function toData(candle: ChartCandle): CandlestickData<Time> {
  return {
    time: candle.time as UTCTimestamp,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
  };
}

function cssColors() {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    background: read('--surface', '#ffffff'),
    text: read('--text-muted', '#475569'),
    grid: read('--border', '#d8dee8'),
    up: read('--up', '#15803d'),
    down: read('--down', '#b91c1c'),
  };
}

/** A lightweight-charts candlestick chart filling its parent; updates the tail in place. */
export function CandleChart({ candles, theme, formatTime, formatTick }: CandleChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const shown = useRef<readonly ChartCandle[]>([]);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const created = createChart(element, {
      autoSize: true,
      timeScale: {
        timeVisible: true,
        secondsVisible: false,
        tickMarkFormatter: (time: Time) => formatTick(Number(time)),
      },
      localization: { timeFormatter: (time: Time) => formatTime(Number(time)) },
      rightPriceScale: { borderVisible: false },
    });
    chart.current = created;
    series.current = created.addSeries(CandlestickSeries, { borderVisible: false });
    shown.current = [];
    return () => {
      created.remove();
      chart.current = null;
      series.current = null;
    };
  }, [formatTime, formatTick]);

  useEffect(() => {
    const colors = cssColors();
    chart.current?.applyOptions({
      layout: { background: { type: ColorType.Solid, color: colors.background }, textColor: colors.text },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    });
    series.current?.applyOptions({
      upColor: colors.up,
      downColor: colors.down,
      wickUpColor: colors.up,
      wickDownColor: colors.down,
    });
  }, [theme, formatTime, formatTick]);

  useEffect(() => {
    const target = series.current;
    if (target === null) return;
    const plan = planChartSync(shown.current, candles);
    if (plan.kind === 'reset') target.setData(candles.map(toData));
    else if (plan.kind === 'update') {
      for (let i = plan.from; i < candles.length; i += 1) {
        const candle = candles[i];
        if (candle !== undefined) target.update(toData(candle));
      }
    }
    shown.current = candles;
  }, [candles, formatTime, formatTick]);

  return <div ref={container} className="chart-canvas" />;
}
