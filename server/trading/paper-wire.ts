import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../../contracts/errors.js';
import { DomainError, Money } from '../../core/kernel/index.js';
import { AppError } from '../errors.js';

/** A JSON value: what crosses the paper-trading bus between nodes. */
export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

/** Any JSON value, checked on receipt. */
export const WireValue: z.ZodType<Wire> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(WireValue),
    z.record(z.string(), WireValue),
  ]),
);

// Tags for what JSON cannot carry. Domain objects never have keys starting with `$`.
const MONEY = '$money';
const NUMBER = '$number';
const ERROR = '$error';

const MoneyText = z.string().regex(/^-?\d+(\.\d+)?$/);
const NumberText = z.enum(['NaN', 'Infinity', '-Infinity']);
const ErrorWire = z.object({
  name: z.string(),
  code: z.string().optional(),
  message: z.string(),
  details: z.record(z.string(), WireValue).optional(),
});

/**
 * Turns a domain value (plain objects and arrays of strings, numbers, booleans, null, {@link Money} and
 * errors) into JSON without losing a digit; `undefined` object fields are left out. Throws on anything else
 * (a class instance, a Map, a function), so nothing is silently flattened.
 */
export function toWire(value: unknown): Wire {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : { [NUMBER]: String(value) };
    case 'object':
      break;
    default:
      throw new TypeError(`cannot send a ${typeof value} between nodes`);
  }
  if (Money.isDecimal(value)) {
    const money = value as Money;
    return { [MONEY]: money.isZero() && money.isNeg() ? '-0' : money.toFixed() };
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Error) return { [ERROR]: errorToWire(value) };
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new TypeError(`cannot send a ${value.constructor.name} between nodes`);
  const out: Record<string, Wire> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key.startsWith('$')) throw new TypeError(`cannot send the reserved key ${key} between nodes`);
    if (field !== undefined) out[key] = toWire(field);
  }
  return out;
}

/** The inverse of {@link toWire}: money comes back as {@link Money}, errors as the same error class and code. */
export function fromWire(wire: Wire): unknown {
  if (wire === null || typeof wire !== 'object') return wire;
  if (Array.isArray(wire)) return wire.map(fromWire);
  if (MONEY in wire) return new Money(MoneyText.parse(wire[MONEY]));
  if (NUMBER in wire) return Number(NumberText.parse(wire[NUMBER]));
  if (ERROR in wire) return errorFromWire(ErrorWire.parse(wire[ERROR]));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(wire)) {
    if (key.startsWith('$')) throw new TypeError(`unknown tag ${key} from another node`);
    out[key] = fromWire(field);
  }
  return out;
}

function errorToWire(error: Error): z.infer<typeof ErrorWire> {
  if (!(error instanceof DomainError)) return { name: 'Error', message: error.message };
  const details = error.details === undefined ? undefined : detailsToWire(error.details);
  return {
    name: error instanceof AppError ? 'AppError' : 'DomainError',
    code: error.code,
    message: error.message,
    ...(details !== null && typeof details === 'object' && !Array.isArray(details) && { details }),
  };
}

/** An error's details, or none if they hold something the wire cannot carry (the code and message still go). */
function detailsToWire(details: Readonly<Record<string, unknown>>): Wire | undefined {
  try {
    return toWire(details);
  } catch {
    return undefined;
  }
}

function errorFromWire(wire: z.infer<typeof ErrorWire>): Error {
  if (wire.code === undefined) return new Error(wire.message);
  const details = wire.details && (fromWire(wire.details) as Record<string, unknown>);
  if (wire.name === 'AppError' && isErrorCode(wire.code))
    return new AppError(wire.code, wire.message, details);
  return new DomainError(wire.code, wire.message, details);
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, code);
}
