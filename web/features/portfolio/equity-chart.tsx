import {
  AreaSeries,
  ColorType,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';

/** Props of {@link EquityChart}. */
export interface EquityChartProps {
  /** Epoch seconds, ascending, parallel to `equity`. */
  timestamp: readonly number[];
  equity: readonly number[];
  /** The applied theme; the chart re-reads the CSS variables when it changes. */
  theme: string;
  formatTime: (epochSeconds: number) => string;
  formatTick: (epochSeconds: number, tickType: number) => string;
}

function themeColors() {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    background: read('--surface', '#ffffff'),
    text: read('--text-muted', '#475569'),
    grid: read('--border', '#d8dee8'),
    line: read('--accent', '#1d4ed8'),
  };
}

function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (m === null) return color;
  const n = Number.parseInt(m[1] ?? '0', 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** The account's equity over time as a lightweight-charts area series, filling its parent. */
export function EquityChart({ timestamp, equity, theme, formatTime, formatTick }: EquityChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Area'> | null>(null);

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
    return () => {
      created.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.applyOptions({
      timeScale: { tickMarkFormatter: (time: Time, tickType: number) => formatTick(Number(time), tickType) },
      localization: { timeFormatter: (time: Time) => formatTime(Number(time)) },
    });
  }, [formatTime, formatTick]);

  useEffect(() => {
    const colors = themeColors();
    chart.current?.applyOptions({
      layout: { background: { type: ColorType.Solid, color: colors.background }, textColor: colors.text },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    });
    series.current?.applyOptions({
      lineColor: colors.line,
      topColor: withAlpha(colors.line, 0.35),
      bottomColor: withAlpha(colors.line, 0.02),
    });
  }, [theme]);

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
