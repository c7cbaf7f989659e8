export { type Clock, ManualClock, scaledClock } from './clock.js';
export { DomainError } from './domain-error.js';
export { Money, moneyOfNumber, parseMoney } from './money.js';
export {
  type Brand,
  type Price,
  type Quantity,
  type Timestamp,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
} from './units.js';
