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

/** Decimals of recent feed numbers: prices and sizes repeat (a tick apart), and a Money never changes. */
const ofNumbers = new Map<number, Money>();
/** Distinct numbers kept; the cache starts over when full. */
const MAX_NUMBERS = 8_192;

/**
 * The exact decimal of a feed number (a price or size as JSON carried it), as `new Money(String(n))`,
 * remembered: the matching engine meets the same prices over and over.
 */
export function moneyOfNumber(n: number): Money {
  let money = ofNumbers.get(n);
  if (money === undefined) {
    money = new Money(String(n));
    if (ofNumbers.size >= MAX_NUMBERS) ofNumbers.clear();
    ofNumbers.set(n, money);
  }
  return money;
}
