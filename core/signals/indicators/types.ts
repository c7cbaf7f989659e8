import { DomainError } from '../../kernel/index.js';

/** One OHLCV bar as indicators see it; `time` is epoch ms and `session` (optional) is the session key VWAP anchors on. */
export type OhlcvBar = {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly time: number;
  readonly session?: string | number;
};

/** A bar with the high/low/close an HLC indicator reads. */
export type HlcBar = Pick<OhlcvBar, 'high' | 'low' | 'close'>;

/** A bar with the high/low/close/volume an HLCV indicator reads. */
export type HlcvBar = Pick<OhlcvBar, 'high' | 'low' | 'close' | 'volume'>;

/** A numeric input column for batch functions. */
export type Column = ArrayLike<number>;

/** Throws SIGNALS_INVALID_PARAMETER unless `value` is an integer in [min, 100000] (TA-Lib's period range). */
export function checkPeriod(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > 100_000)
    throw new DomainError(
      'SIGNALS_INVALID_PARAMETER',
      `${name} must be an integer from ${min} to 100000, got ${value}`,
      { name, value },
    );
  return value;
}

/** Throws SIGNALS_INVALID_PARAMETER unless `value` is a finite number in [min, max]. */
export function checkReal(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max)
    throw new DomainError(
      'SIGNALS_INVALID_PARAMETER',
      `${name} must be a number from ${min} to ${max}, got ${value}`,
      { name, value },
    );
  return value;
}

/** Maps a streaming result to the public shape: null while warming up (NaN) or when not finite. */
export function orNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Throws SIGNALS_INVALID_PARAMETER unless every column has `length` values. */
export function checkLengths(length: number, columns: readonly Column[]): void {
  for (const c of columns)
    if (c.length !== length)
      throw new DomainError(
        'SIGNALS_INVALID_PARAMETER',
        `input columns differ in length (${c.length} vs ${length})`,
      );
}
