import type { FastifyRequest } from 'fastify';
import { AlpacaError } from './alpaca-error.js';

/** The key pair the sim accepts; when unset, any non-empty pair is accepted. */
export interface SimCredentials {
  key?: string;
  secret?: string;
}

/** The outcome of checking a key pair: ok, missing (401) or wrong (403). */
export type CredentialCheck = 'ok' | 'missing' | 'wrong';

/** Checks a key/secret pair against the configured one (any non-empty pair when none is configured). */
export function checkCredentials(expected: SimCredentials, key: unknown, secret: unknown): CredentialCheck {
  if (typeof key !== 'string' || typeof secret !== 'string' || key === '' || secret === '') return 'missing';
  if (expected.key !== undefined && key !== expected.key) return 'wrong';
  if (expected.secret !== undefined && secret !== expected.secret) return 'wrong';
  return 'ok';
}

/** The `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` pair of a request, as given. */
export function requestCredentials(request: FastifyRequest): { key: unknown; secret: unknown } {
  return { key: request.headers['apca-api-key-id'], secret: request.headers['apca-api-secret-key'] };
}

/** Throws Alpaca's 401 (missing headers) or 403 (wrong pair) unless the request carries an accepted pair. */
export function requireRestCredentials(expected: SimCredentials, request: FastifyRequest): void {
  const { key, secret } = requestCredentials(request);
  const result = checkCredentials(expected, key, secret);
  if (result === 'missing') throw new AlpacaError(401, 40110000, 'request is not authorized');
  if (result === 'wrong') throw new AlpacaError(403, 40310000, 'forbidden');
}
