declare const brand: unique symbol;
/** A nominal type: `T` that cannot be mixed up with another `T` of a different meaning. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** UTC epoch milliseconds. */
export type Timestamp = Brand<number, 'Timestamp'>;
/** A price in dollars (float64 for market data; orders carry Money). */
export type Price = Brand<number, 'Price'>;
/** A share count or size. */
export type Quantity = Brand<number, 'Quantity'>;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
