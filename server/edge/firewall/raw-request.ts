import type { InspectedRequest } from './types.js';

/** A request as JSON lines carry it: request line, headers in order, body as sent. */
export interface RawRequest {
  method?: string;
  uri?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Turns a raw request into an InspectedRequest, adding Content-Length the way an HTTP client would. */
export function fromRawRequest(raw: RawRequest): InspectedRequest {
  const method = raw.method ?? 'GET';
  const uri = raw.uri ?? '/';
  const body = raw.body ?? '';
  const headers: Record<string, string | string[]> = { ...raw.headers };
  const names = Object.keys(headers).map((name) => name.toLowerCase());
  if (
    !names.includes('content-length') &&
    !names.includes('transfer-encoding') &&
    (body.length > 0 || BODY_METHODS.has(method))
  ) {
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const contentTypeName = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
  const contentType = contentTypeName === undefined ? undefined : headers[contentTypeName];
  const mark = uri.indexOf('?');
  return {
    method,
    path: mark === -1 ? uri : uri.slice(0, mark),
    query: mark === -1 ? '' : uri.slice(mark + 1),
    headers,
    body: body.length > 0 ? body : undefined,
    contentType: Array.isArray(contentType) ? contentType[0] : contentType,
  };
}
