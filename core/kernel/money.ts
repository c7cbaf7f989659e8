import { Decimal } from 'decimal.js';

/** Arbitrary-precision decimal for cash, prices of orders and quantities; never a binary float. */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
/** An instance of {@link Money}. */
export type Money = InstanceType<typeof Money>;

/** Parses a wire decimal string ("12.50"), rejecting anything that is not a finite plain decimal. */
export function parseMoney(text: string): Money | null {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return new Money(text);
}
