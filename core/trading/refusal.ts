import { DomainError } from '../kernel/index.js';

/** Why Pulse refuses an order or an order action: a stable TRADING_* catalog code and a human reason. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The outcome of a check: a value, or the refusal that stopped it. */
export type Checked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

/** Builds a refusal. */
export function refuse(code: string, message: string, details?: Record<string, unknown>): Refusal {
  return details ? { code, message, details } : { code, message };
}

/** Turns a refusal into the DomainError a use case throws (the HTTP layer maps the code). */
export function refusalError(refusal: Refusal): DomainError {
  return new DomainError(refusal.code, refusal.message, refusal.details);
}
