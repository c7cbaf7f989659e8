import {
  CandlestickSeries,
  HistogramSeries,
  type CandlestickData,
  type HistogramData,
  type ISeriesApi,
  type LogicalRange,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import { indexAt, legendFor } from './chart-legend.js';
import { cssVariable, withAlpha } from './chart-theme.js';
import { planChartSync } from './chart-sync.js';
import { useExchangeChart } from './use-exchange-chart.js';

/** One candle as the chart takes it: epoch seconds, OHLC, volume, and whether it is outside regular hours. */
export interface ChartCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  extended?: boolean;
}

/** Props of {@link CandleChart}. */
export interface CandleChartProps {
  candles: readonly ChartCandle[];
  /** The applied theme; the chart re-reads the CSS variables when it changes. */
  theme: string;
  /** Formats epoch seconds for the crosshair label (exchange time). */
  formatTime: (epochSeconds: number) => string;
  /** Formats epoch seconds for a time-axis tick of lightweight-charts' TickMarkType. */
  formatTick: (epochSeconds: number, tickType: number) => string;
  formatPrice: (price: number) => string;
  formatVolume: (volume: number) => string;
  /** Formats a signed change of a bar priced `reference`. */
  formatChange: (change: number, reference: number) => string;
  /** Called when the view nears the oldest candle, to load older history. */
  onNearLeftEdge?: () => void;
}

/** How many bars from the left edge count as "near" it. */
const LEFT_EDGE_BARS = 15;

function cssColors() {
  return { up: cssVariable('--up', '#15803d'), down: cssVariable('--down', '#b91c1c') };
}

type Colors = ReturnType<typeof cssColors>;

function toCandle(candle: ChartCandle, colors: Colors): CandlestickData<Time> {
  const data: CandlestickData<Time> = {
    time: candle.time as UTCTimestamp,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
  };
  if (candle.extended === true) {
    // Extended-hours bars are drawn paler, so the regular session stands out.
    const color = withAlpha(candle.close >= candle.open ? colors.up : colors.down, 0.4);
    data.color = color;
    data.wickColor = color;
    data.borderColor = color;
  }
  return data;
}

function toVolume(candle: ChartCandle, colors: Colors): HistogramData<Time> {
  const alpha = candle.extended === true ? 0.25 : 0.55;
  return {
    time: candle.time as UTCTimestamp,
    value: candle.volume,
    color: withAlpha(candle.close >= candle.open ? colors.up : colors.down, alpha),
  };
}

/**
 * A lightweight-charts candlestick chart with a volume pane and an O/H/L/C/V legend, filling its
 * parent. Times stay UTC in the data and are shown in exchange time through the formatters.
 */
export function CandleChart(props: CandleChartProps) {
  const { candles, theme, formatTime, formatTick, formatPrice, formatVolume, formatChange, onNearLeftEdge } =
    props;
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volume = useRef<ISeriesApi<'Histogram'> | null>(null);
  const shown = useRef<readonly ChartCandle[]>([]);
  const colors = useRef<Colors | null>(null);
  const nearLeft = useRef(onNearLeftEdge);
  const [hovered, setHovered] = useState<number | null>(null);

  useEffect(() => {
    nearLeft.current = onNearLeftEdge;
  });

  const { container, chart } = useExchangeChart(theme, formatTime, formatTick, {
    build: (created) => {
      series.current = created.addSeries(CandlestickSeries, { borderVisible: false });
      volume.current = created.addSeries(
        HistogramSeries,
        { priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false },
        1,
      );
      created.panes()[1]?.setStretchFactor(0.25);
      shown.current = [];
      const onCrosshair = (param: MouseEventParams<Time>): void => {
        setHovered(param.time === undefined ? null : Number(param.time));
      };
      const onRange = (range: LogicalRange | null): void => {
        if (range !== null && range.from < LEFT_EDGE_BARS) nearLeft.current?.();
      };
      created.subscribeCrosshairMove(onCrosshair);
      created.timeScale().subscribeVisibleLogicalRangeChange(onRange);
      return () => {
        created.unsubscribeCrosshairMove(onCrosshair);
        created.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
        series.current = null;
        volume.current = null;
      };
    },
    restyle: () => {
      const read = cssColors();
      colors.current = read;
      series.current?.applyOptions({
        upColor: read.up,
        downColor: read.down,
        wickUpColor: read.up,
        wickDownColor: read.down,
      });
      // Per-bar colours (volume, extended hours) come from the theme: redraw them all.
      shown.current = [];
    },
  });

  useEffect(() => {
    const target = series.current;
    const bars = volume.current;
    const palette = colors.current ?? cssColors();
    const timeScale = chart.current?.timeScale();
    if (target === null || bars === null || timeScale === undefined) return;
    const plan = planChartSync(shown.current, candles);
    if (plan.kind === 'reset' || plan.kind === 'prepend') {
      const range = timeScale.getVisibleLogicalRange();
      const first = shown.current[0];
      // Older bars came in front (or all were redrawn): shift the view by as many bars as now
      // precede the previous first one, so what the user looks at stays put.
      const shift =
        plan.kind === 'prepend' ? plan.count : first === undefined ? -1 : indexAt(candles, first.time);
      target.setData(candles.map((c) => toCandle(c, palette)));
      bars.setData(candles.map((c) => toVolume(c, palette)));
      if (shift > 0 && range !== null) {
        timeScale.setVisibleLogicalRange({ from: range.from + shift, to: range.to + shift });
      }
    } else if (plan.kind === 'update') {
      for (let i = plan.from; i < candles.length; i += 1) {
        const candle = candles[i];
        if (candle === undefined) continue;
        target.update(toCandle(candle, palette));
        bars.update(toVolume(candle, palette));
      }
    }
    shown.current = candles;
  }, [candles, theme]);

  const legend = legendFor(candles, hovered);
  return (
    <div className="chart-frame">
      {legend === null ? null : (
        <dl className="chart-legend" data-testid="chart-legend">
          <div>
            <dt className="visually-hidden">Time</dt>
            <dd>{formatTime(legend.time)}</dd>
          </div>
          {(
            [
              ['O', 'Open', formatPrice(legend.open)],
              ['H', 'High', formatPrice(legend.high)],
              ['L', 'Low', formatPrice(legend.low)],
              ['C', 'Close', formatPrice(legend.close)],
              ['V', 'Volume', formatVolume(legend.volume)],
            ] as const
          ).map(([short, long, value]) => (
            <div key={short}>
              <dt>
                <abbr title={long}>{short}</abbr>
              </dt>
              <dd>{value}</dd>
            </div>
          ))}
          <div className={legend.change >= 0 ? 'up' : 'down'}>
            <dt className="visually-hidden">Change</dt>
            <dd>
              {formatChange(legend.change, legend.close)} ({(legend.changeFraction * 100).toFixed(2)}%)
            </dd>
          </div>
        </dl>
      )}
      <div ref={container} className="chart-canvas" />
    </div>
  );
}
