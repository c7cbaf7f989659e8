import { fromRawRequest } from './raw-request.js';
import type { InspectedRequest } from './types.js';

const BASE = {
  Host: 'pulse.test',
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0',
  Accept: 'application/json',
};

/** A GET request with browser-like headers, for tests. */
export function get(uri: string, headers: Record<string, string> = {}): InspectedRequest {
  return fromRawRequest({ method: 'GET', uri, headers: { ...BASE, ...headers } });
}

/** A JSON POST (or another method) with browser-like headers, for tests. */
export function postJson(uri: string, body: unknown, method = 'POST'): InspectedRequest {
  return fromRawRequest({
    method,
    uri,
    headers: { ...BASE, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A form POST, for tests. */
export function postForm(
  uri: string,
  body: string,
  contentType = 'application/x-www-form-urlencoded',
): InspectedRequest {
  return fromRawRequest({ method: 'POST', uri, headers: { ...BASE, 'Content-Type': contentType }, body });
}
