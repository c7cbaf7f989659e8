/** An exact decimal held as an integer count of billionths: money and share counts, never a float. */
export type Fixed = bigint & { readonly __brand: 'Fixed' };

const PLACES = 9;
const SCALE = 10n ** BigInt(PLACES);
const DECIMAL = /^(\d*)(?:\.(\d*))?$/;

const fixed = (units: bigint): Fixed => units as Fixed;

/** The number of digits after the point in a decimal's text (`'1.50'` → 2); 0 for non-decimals. */
export function decimalPlaces(text: string): number {
  const match = DECIMAL.exec(text.trim());
  return match?.[2]?.length ?? 0;
}

/** Parses an unsigned decimal (`'12'`, `'0.5'`, `'.25'`) of at most 9 decimals; null otherwise. */
export function parseFixed(text: string): Fixed | null {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return null;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (whole === '' && fraction === '') return null;
  if (fraction.length > PLACES) return null;
  return fixed(BigInt(whole || '0') * SCALE + BigInt(fraction.padEnd(PLACES, '0')));
}

/** A market-data price (a display float) as a Fixed, rounded to 1/10,000 as prices are quoted. */
export function fixedFromPrice(price: number): Fixed {
  return fixed(BigInt(Math.round(price * 10_000)) * (SCALE / 10_000n));
}

/** a × b, rounded half away from zero to 9 decimals. */
export function mulFixed(a: Fixed, b: Fixed): Fixed {
  const product = a * b;
  const half = product < 0n ? -SCALE / 2n : SCALE / 2n;
  return fixed((product + half) / SCALE);
}

/** a + b. */
export function addFixed(a: Fixed, b: Fixed): Fixed {
  return fixed(a + b);
}

/** a − b. */
export function subFixed(a: Fixed, b: Fixed): Fixed {
  return fixed(a - b);
}

/** One cent, for "at least a cent apart" rules. */
export const CENT: Fixed = fixed(SCALE / 100n);

/** Zero. */
export const ZERO: Fixed = fixed(0n);

/** True when `value` has no fractional part. */
export function isWhole(value: Fixed): boolean {
  return value % SCALE === 0n;
}

/** The exact decimal text of `value`, without trailing zeros (`'1.5'`, `'-0.01'`). */
export function fixedText(value: Fixed): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const fraction = (abs % SCALE).toString().padStart(PLACES, '0').replace(/0+$/, '');
  return `${sign}${abs / SCALE}${fraction === '' ? '' : `.${fraction}`}`;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Dollars for display, rounded to the cent: `$1,234.56`, `-$0.01`. */
export function formatUsd(value: Fixed): string {
  const half = value < 0n ? -(SCALE / 200n) : SCALE / 200n;
  const cents = (value + half) / (SCALE / 100n);
  return usd.format(Number(cents) / 100);
}
