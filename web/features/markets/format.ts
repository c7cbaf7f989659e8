/** The exchange's time zone: the UI shows market times in it. */
export const EXCHANGE_TIME_ZONE = 'America/New_York';

const priceFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const smallPriceFormat = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});
const changeFormat = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
const percentFormat = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
const volumeFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
const dateFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});
const monthFormat = new Intl.DateTimeFormat('en-US', { timeZone: EXCHANGE_TIME_ZONE, month: 'short' });
const dayOfMonthFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  month: 'short',
  day: 'numeric',
});
const yearFormat = new Intl.DateTimeFormat('en-US', { timeZone: EXCHANGE_TIME_ZONE, year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const timeFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: EXCHANGE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** A price for display: two decimals, four under $1 (as exchanges quote sub-dollar stocks). */
export function formatPrice(price: number): string {
  return Math.abs(price) < 1 ? smallPriceFormat.format(price) : priceFormat.format(price);
}

/** A signed change and its percentage: `+1.20 (+0.85%)`. */
export function formatChange(change: number, base: number): string {
  const percent = base === 0 ? '' : ` (${percentFormat.format(change / base)})`;
  return `${changeFormat.format(change)}${percent}`;
}

/** A signed price change, with the decimals of the price it moved (`reference`): `+1.20`, `−0.0450` under $1. */
export function formatSignedPrice(change: number, reference: number = change): string {
  const format = Math.abs(reference) < 1 ? smallPriceFormat : priceFormat;
  const text = format.format(Math.abs(change));
  if (change > 0) return `+${text}`;
  return change < 0 ? `−${text}` : text;
}

/** A signed fraction as a percentage: `+0.85%`. */
export function formatPercent(fraction: number): string {
  return percentFormat.format(fraction);
}

/** A share volume, compact: `1.23M`, `950`. */
export function formatVolume(volume: number): string {
  return volumeFormat.format(volume);
}

/** Epoch seconds as an exchange date: `Nov 24, 2026`. */
export function formatExchangeDate(epochSeconds: number): string {
  return dateFormat.format(epochSeconds * 1000);
}

/** What a time-axis tick shows, by how coarse the tick is (as lightweight-charts' TickMarkType numbers it). */
export function formatExchangeTick(epochSeconds: number, tickType: number): string {
  const ms = epochSeconds * 1000;
  // 0 Year, 1 Month, 2 DayOfMonth, 3 Time, 4 TimeWithSeconds.
  if (tickType === 0) return yearFormat.format(ms);
  if (tickType === 1) return monthFormat.format(ms);
  if (tickType === 2) return dayOfMonthFormat.format(ms);
  return timeFormat.format(ms);
}

/** Epoch seconds as exchange date and time: `Nov 24, 10:05 ET`. */
export function formatExchangeDateTime(epochSeconds: number): string {
  return `${dateTimeFormat.format(epochSeconds * 1000)} ET`;
}

/** Epoch seconds as exchange time of day: `10:05`. */
export function formatExchangeTime(epochSeconds: number): string {
  return timeFormat.format(epochSeconds * 1000);
}

/** The exchange's calendar day of an instant, as `YYYY-MM-DD`. */
export function exchangeDay(epochSeconds: number): string {
  return dayFormat.format(epochSeconds * 1000);
}
