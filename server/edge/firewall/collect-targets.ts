import { urlDecode } from './normalise.js';
import {
  checkArg,
  checkEncoding,
  parseCookieHeader,
  parseUrlEncoded,
  type FirewallLimits,
} from './parse-args.js';
import {
  parseFormBody,
  parseJsonBody,
  parseMultipartBody,
  parseXmlBody,
  type BodySink,
} from './parse-body.js';
import { isStandardHeader, makeTarget } from './target.js';
import type { InspectedRequest, ParseProblem, RequestContext, Target } from './types.js';

/** Lower-cased header names to their values (a repeated header keeps every value). */
export function headerMap(headers: InspectedRequest['headers']): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const list = map.get(key) ?? [];
    if (Array.isArray(value)) list.push(...value);
    else list.push(value);
    map.set(key, list);
  }
  return map;
}

function bodyText(body: InspectedRequest['body'], limit: number): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body.length > limit ? body.slice(0, limit) : body;
  return body.subarray(0, limit).toString('utf8');
}

function bodyLength(body: InspectedRequest['body']): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body) : body.length;
}

/** Header field names (`headers.user-agent`), made once per header name: the same string each request. */
const headerFields = new Map<string, string>();
/** Distinct header names remembered; past this many, names are built per request (bounded memory). */
const MAX_HEADER_FIELDS = 512;

function headerField(name: string): string {
  let field = headerFields.get(name);
  if (field === undefined) {
    field = `headers.${name}`;
    if (headerFields.size < MAX_HEADER_FIELDS) headerFields.set(name, field);
  }
  return field;
}

/**
 * What a request's head (method, URL and headers) gives the rules, as the context of the request without its
 * body; a body sent with that head adds to it.
 */
export interface HeadContext extends RequestContext {
  /** The path, query arguments, headers and cookies, in that order. */
  targets: readonly Target[];
  bodyLength: 0;
  /** Query arguments and cookies. */
  args: number;
  /** The body's media type as sent, lower-cased ('' when none). */
  contentType: string;
  /** The Content-Type header as sent (for multipart boundaries). */
  contentTypeHeader: string;
}

/** Parses a request's head (its body is ignored) into the values the field rules inspect and its problems. */
export function collectHead(request: InspectedRequest, limits: FirewallLimits): HeadContext {
  const targets: Target[] = [];
  const problems: ParseProblem[] = [];
  const headers = headerMap(request.headers);
  const cap = limits.inspectLength;

  checkEncoding(request.path, 'path', problems);
  targets.push(makeTarget('path', 'path', urlDecode(request.path), false, cap));

  let args = parseUrlEncoded(request.query, 'query', problems, (name, value) => {
    const field = `query.${name}`;
    checkArg(field, name, value, limits, problems);
    targets.push(makeTarget('query', field, name, true, cap));
    targets.push(makeTarget('query', field, value, false, cap));
  });

  for (const [name, values] of headers) {
    if (name === 'cookie') continue;
    const standard = isStandardHeader(name);
    const field = headerField(name);
    for (const value of values) targets.push(makeTarget('header', field, value, false, cap, standard));
  }

  const cookieHeader = headers.get('cookie');
  const cookies = request.cookies ?? (cookieHeader ? parseCookieHeader(cookieHeader.join('; ')) : {});
  for (const name of Object.keys(cookies)) {
    const field = `cookies.${name}`;
    targets.push(makeTarget('cookie', field, name, true, cap));
    targets.push(makeTarget('cookie', field, urlDecode(cookies[name] ?? ''), false, cap));
    args++;
  }
  const contentTypeHeader = request.contentType ?? headers.get('content-type')?.[0] ?? '';
  return {
    request,
    method: request.method,
    headers,
    targets,
    problems,
    bodyLength: 0,
    args,
    contentType: contentTypeHeader.toLowerCase(),
    contentTypeHeader,
  };
}

/**
 * Adds a body to a parsed head: every value the field rules inspect, and the problems parsing found. The head is
 * left as it was unless `owned` (its caller uses it for this request alone): then its lists are extended in place.
 */
export function collectBody(
  head: HeadContext,
  body: InspectedRequest['body'],
  limits: FirewallLimits,
  owned = false,
): RequestContext {
  const length = bodyLength(body);
  // Without a body and within the limits (every bodiless request), the head's context is the request's.
  if (length === 0 && head.args <= limits.maxArgs) return head;
  const targets = owned ? (head.targets as Target[]) : head.targets.slice();
  const problems = owned ? (head.problems as ParseProblem[]) : head.problems.slice();
  let args = head.args;
  if (length > limits.maxBodyBytes)
    problems.push({ kind: 'body-too-large', field: 'body', detail: `${length} bytes` });
  const text = bodyText(body, limits.maxBodyBytes);
  if (text.length > 0) {
    const sink: BodySink = { targets, problems, limits, args: 0 };
    const type = head.contentType;
    if (type.includes('json')) parseJsonBody(text, sink);
    else if (type.startsWith('application/x-www-form-urlencoded')) parseFormBody(text, sink);
    else if (type.startsWith('multipart/')) parseMultipartBody(text, head.contentTypeHeader, sink);
    else if (type.includes('xml')) parseXmlBody(text, sink);
    else targets.push(makeTarget('raw', 'body', text, false, limits.inspectLength));
    args += sink.args;
  }
  if (args > limits.maxArgs)
    problems.push({ kind: 'too-many-args', field: 'args', detail: `${args} arguments` });

  const { request, headers } = head;
  return { request, method: request.method, headers, targets, problems, bodyLength: length };
}
