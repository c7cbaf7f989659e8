import { createChart, type IChartApi } from 'lightweight-charts';
import { type RefObject, useEffect, useRef } from 'react';
import { exchangeTimeOptions, surfaceColors, surfaceOptions } from './chart-theme.js';

/** What a chart adds to itself once created, and how its series take a new theme. */
export interface ChartSetup {
  /** Adds series (and subscriptions) to the new chart; returns what undoes them before the chart goes. */
  build(chart: IChartApi): () => void;
  /** Re-reads the theme's colours into the series (the surface is done already). */
  restyle(chart: IChartApi): void;
}

/**
 * A lightweight-charts chart in the returned container, created once: sized to its parent, its time axis and
 * crosshair in exchange time through the formatters, and its surface and series recoloured when `theme`
 * changes. Effects declared after this hook run once the chart and its series exist.
 */
export function useExchangeChart(
  theme: string,
  formatTime: (epochSeconds: number) => string,
  formatTick: (epochSeconds: number, tickType: number) => string,
  setup: ChartSetup,
): { container: RefObject<HTMLDivElement | null>; chart: RefObject<IChartApi | null> } {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const latest = useRef(setup);

  useEffect(() => {
    latest.current = setup;
  });

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const created = createChart(element, {
      autoSize: true,
      timeScale: { timeVisible: true, secondsVisible: false },
      rightPriceScale: { borderVisible: false },
    });
    chart.current = created;
    const undo = latest.current.build(created);
    return () => {
      undo();
      created.remove();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.applyOptions(exchangeTimeOptions(formatTime, formatTick));
  }, [formatTime, formatTick]);

  useEffect(() => {
    const created = chart.current;
    if (created === null) return;
    created.applyOptions(surfaceOptions(surfaceColors()));
    latest.current.restyle(created);
  }, [theme]);

  return { container, chart };
}
