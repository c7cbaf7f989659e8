import { ColorType, type ChartOptions, type DeepPartial, type Time } from 'lightweight-charts';

/** `#rrggbb` with an alpha, as rgba(); other colour forms are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (m === null) return color;
  const n = Number.parseInt(m[1] ?? '0', 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Reads a CSS custom property of the document (the theme), or the fallback. */
export function cssVariable(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The colours every chart's surface takes from the theme. */
export function surfaceColors(): { background: string; text: string; grid: string } {
  return {
    background: cssVariable('--surface', '#ffffff'),
    text: cssVariable('--text-muted', '#475569'),
    grid: cssVariable('--border', '#d8dee8'),
  };
}

/** Chart options for a surface: background, text and grid lines. */
export function surfaceOptions(colors: {
  background: string;
  text: string;
  grid: string;
}): DeepPartial<ChartOptions> {
  return {
    layout: { background: { type: ColorType.Solid, color: colors.background }, textColor: colors.text },
    grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
  };
}

/** Chart options that label the time axis and crosshair in exchange time (data stays UTC seconds). */
export function exchangeTimeOptions(
  formatTime: (epochSeconds: number) => string,
  formatTick: (epochSeconds: number, tickType: number) => string,
): DeepPartial<ChartOptions> {
  return {
    timeScale: { tickMarkFormatter: (time: Time, tickType: number) => formatTick(Number(time), tickType) },
    localization: { timeFormatter: (time: Time) => formatTime(Number(time)) },
  };
}
