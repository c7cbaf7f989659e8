import { Readable } from 'node:stream';
import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  preParsingHookHandler,
  preValidationHookHandler,
} from 'fastify';
import { errorCodes } from 'fastify';
import fp from 'fastify-plugin';
import { addEdgeScreen } from '../screens.js';
import type { ErrorBody } from '../../../contracts/errors.js';
import { DomainError } from '../../../core/kernel/index.js';
import { createFirewall, type Firewall, type FirewallOptions, type JudgedHead } from './firewall.js';
import type { InspectedRequest, RuleMatch, Verdict } from './types.js';

/** Options of the firewall plugin: the engine's options plus the size of the recent-events buffer. */
export interface FirewallPluginOptions extends FirewallOptions {
  /** How many recent events the in-memory ring buffer keeps (default 200). */
  recentEvents?: number;
  now?: () => Date;
}

/** One inspected request that matched at least one rule; matched data is already redacted. */
export interface FirewallEvent {
  at: string;
  requestId: string;
  method: string;
  /** Path only: the query string may carry tokens. */
  path: string;
  ip: string;
  action: 'block' | 'allow';
  /** True when the score reached the threshold (in detect-only mode the request was let through anyway). */
  anomalous: boolean;
  score: number;
  matches: RuleMatch[];
}

/** Counters and recent events, decorated on the instance as `app.firewall` for /metrics and the admin listing. */
export interface FirewallMonitor {
  readonly mode: 'block' | 'detect';
  readonly counters: {
    inspected: number;
    blocked: number;
    detected: number;
    /** Requests judged with what their connection remembered: a bodiless verdict, or a judged head. */
    remembered: number;
    byRule: Record<string, number>;
  };
  /** Recent events, newest last. */
  recent(): FirewallEvent[];
}

declare module 'fastify' {
  interface FastifyInstance {
    firewall: FirewallMonitor;
  }
}

function createMonitor(engine: Firewall, capacity: number) {
  const ring: FirewallEvent[] = [];
  let next = 0;
  const monitor: FirewallMonitor = {
    mode: engine.mode,
    counters: { inspected: 0, blocked: 0, detected: 0, remembered: 0, byRule: {} },
    recent: () => (ring.length < capacity ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)]),
  };
  const record = (event: FirewallEvent): void => {
    if (capacity <= 0) return;
    if (ring.length < capacity) ring.push(event);
    else ring[next] = event;
    next = (next + 1) % capacity;
  };
  return { monitor, record };
}

function toInspected(request: FastifyRequest, body: Buffer | undefined): InspectedRequest {
  const url = request.raw.url ?? request.url;
  const mark = url.indexOf('?');
  const contentType = request.headers['content-type'];
  return {
    method: request.method,
    path: mark === -1 ? url : url.slice(0, mark),
    query: mark === -1 ? '' : url.slice(mark + 1),
    headers: request.headers,
    body,
    contentType: typeof contentType === 'string' ? contentType : undefined,
  };
}

const BLOCKED_MESSAGE = 'The request was blocked by the firewall.';

/** A request for no route refused in the JSON parser: Pulse's error handler answers it from the catalog. */
class BlockedInParser extends DomainError {
  /** For Fastify's default error handler, where the plugin runs without Pulse's. */
  readonly statusCode = 403;
  constructor() {
    super('EDGE_REQUEST_BLOCKED', BLOCKED_MESSAGE);
  }
}

/** Methods whose body Fastify never reads (it goes straight to the handler). */
const BODYLESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'TRACE']);

/** What identifies a request's head: its method, URL and every header line as received. */
interface RawHead {
  method: string | undefined;
  url: string | undefined;
  rawHeaders: readonly string[];
}

/** The last bodiless request judged on a connection, and its verdict. */
interface LastRequest extends RawHead {
  verdict: Verdict;
}

/** The head of the last request with a body judged on a connection, judged. */
interface LastHead extends RawHead {
  head: JudgedHead;
}

const POSITIVE_LENGTH = /^[1-9]\d{0,15}$/;

/**
 * True when the head of `raw` is byte for byte `last` (a head's judgement is a function of these alone). With
 * `anyLength`, for a request with a body, the Content-Length may differ when both values are positive decimal
 * numbers: clients post bodies of varying length with one head (orders, notes), and the head's judgement does not
 * depend on which positive length it carries (the framing rule asks only that it be a plain number, no field rule
 * matches digits, and the rules that read the body read the body itself). Bodiless verdicts are kept without it,
 * since there a length can turn a GET into a GET with a body.
 */
function sameHead(last: RawHead, raw: FastifyRequest['raw'], anyLength: boolean): boolean {
  if (last.method !== raw.method || last.url !== raw.url) return false;
  const before = last.rawHeaders;
  const now = raw.rawHeaders;
  if (before.length !== now.length) return false;
  for (let i = 0; i < now.length; i += 2) {
    const name = now[i]!;
    if (before[i] !== name) return false;
    const was = before[i + 1]!;
    const value = now[i + 1]!;
    if (was === value) continue;
    if (!anyLength || name.length !== 14 || name.toLowerCase() !== 'content-length') return false;
    if (!POSITIVE_LENGTH.test(was) || !POSITIVE_LENGTH.test(value)) return false;
  }
  return true;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** True when the body goes to the JSON parser (media type `application/json`, any parameters, any case). */
function isJson(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  if (typeof type !== 'string') return false;
  const end = type.indexOf(';');
  const media = (end === -1 ? type : type.slice(0, end)).trim();
  return media.length === 16 && media.toLowerCase() === 'application/json';
}

/** Buffers a payload up to `limit` bytes (event callbacks: no async iterator per request). */
function readLimited(
  stream: NodeJS.ReadableStream,
  limit: number,
  done: (error: Error | null, body?: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: Error | null, body?: Buffer) => {
    if (finished) return;
    finished = true;
    stream.removeListener('data', onData);
    stream.removeListener('end', onEnd);
    stream.removeListener('error', onError);
    done(error, body);
  };
  const onData = (chunk: Buffer | string) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) {
      finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    chunks.push(buffer);
  };
  const onEnd = () =>
    finish(null, chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
  const onError = (error: Error) => finish(error);
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
}

/** The buffered body as a fresh stream for the body parser (one push: lighter than `Readable.from`). */
function replay(body: Buffer): Readable {
  let pushed = false;
  const stream = new Readable({
    read() {
      if (pushed) return;
      pushed = true;
      this.push(body);
      this.push(null);
    },
  }) as Readable & { receivedEncodedLength?: number };
  stream.receivedEncodedLength = body.length;
  return stream;
}

const plugin: FastifyPluginAsync<FirewallPluginOptions> = async (app, options) => {
  const engine = createFirewall(options);
  const now = options.now ?? (() => new Date());
  const { monitor, record } = createMonitor(engine, options.recentEvents ?? 200);
  app.decorate('firewall', monitor);

  function judge(request: FastifyRequest, verdict: Verdict): boolean {
    const { counters } = monitor;
    counters.inspected++;
    if (verdict.matches.length === 0) return false;
    for (const match of verdict.matches)
      counters.byRule[match.ruleId] = (counters.byRule[match.ruleId] ?? 0) + 1;
    const anomalous = verdict.score >= engine.threshold;
    const blocked = verdict.action === 'block';
    if (blocked) counters.blocked++;
    else if (anomalous) counters.detected++;
    const event: FirewallEvent = {
      at: now().toISOString(),
      requestId: request.id,
      method: request.method,
      path: (request.raw.url ?? request.url).split('?')[0] ?? '',
      ip: request.ip,
      action: verdict.action,
      anomalous,
      score: verdict.score,
      matches: verdict.matches,
    };
    record(event);
    const log = {
      firewall: {
        action: event.action,
        score: event.score,
        rules: verdict.matches.map((m) => m.ruleId),
        matches: verdict.matches,
      },
    };
    if (blocked) request.log.warn(log, 'firewall blocked the request');
    else if (anomalous) request.log.warn(log, 'firewall would block the request (detect-only)');
    else request.log.info(log, 'firewall matched below the threshold');
    return blocked;
  }

  function blockedBody(request: FastifyRequest, verdict: Verdict): ErrorBody & { rules: string[] } {
    const rules = verdict.matches.map((m) => m.ruleId);
    return {
      code: 'EDGE_REQUEST_BLOCKED',
      message: BLOCKED_MESSAGE,
      requestId: request.id,
      rules,
    };
  }

  // Requests are judged before their body is parsed, on the raw bytes the parser will see (duplicate keys,
  // `__proto__`, bytes that JSON.stringify would rewrite). A request without a body (most of them) is judged by a
  // screen of the edge's one onRequest hook, before the session is looked up. A body is judged where it is read:
  // a JSON body, most of what carries one, inside the JSON parser on the buffer Fastify has already collected (no
  // second buffer, no replayed stream); any other body in a preParsing hook that buffers it, judges it and hands
  // it on as a fresh stream. That hook and the one that answers a JSON body refused in the parser are given only
  // to the routes that take a body, so a GET runs neither. A request for no route (a 404) is judged on its head
  // only, unless its body goes to the JSON parser: nothing reads any other body it sends.
  // The routes given the body hooks, by URL pattern and method.
  const takesBody = new Map<string, Set<string>>();
  const bodyHooked = (request: FastifyRequest): boolean =>
    !request.is404 && (takesBody.get(request.routeOptions.url ?? '')?.has(request.method) ?? false);
  const blockedInParser = new WeakMap<FastifyRequest, Verdict>();
  const answerBlocked = (request: FastifyRequest, reply: FastifyReply, verdict: Verdict): void => {
    void reply.code(403).send(blockedBody(request, verdict));
  };
  const parseJson = app.getDefaultJsonParser(
    app.initialConfig.onProtoPoisoning ?? 'error',
    app.initialConfig.onConstructorPoisoning ?? 'error',
  );
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const buffer = body as Buffer;
    const verdict = inspectWithBody(request, buffer.length > 0 ? buffer : undefined);
    if (!judge(request, verdict)) {
      parseJson(request, buffer.toString('utf8'), done);
      return;
    }
    // A route with the body hooks answers in its preValidation hook, with the rules that matched. A 404 (or a
    // route registered before this plugin) has no such hook: it is refused through the error handler (403, the
    // same code and message, without the rules).
    if (!bodyHooked(request)) {
      done(new BlockedInParser(), undefined);
      return;
    }
    blockedInParser.set(request, verdict);
    done(null, undefined);
  });

  // A connection sends the same request again and again (a dashboard polling, a bot's loop): the last bodiless
  // request judged on each connection is kept with its verdict, and an identical one (method, URL, and every header
  // line as received) gets that verdict without building the engine's input or its cache key.
  const lastOn = options.verdictCacheSize === 0 ? undefined : new WeakMap<object, LastRequest>();
  const inspectBodiless = (request: FastifyRequest): Verdict => {
    const raw = request.raw;
    const connection: object | undefined = raw.socket ?? undefined;
    const last = connection === undefined ? undefined : lastOn?.get(connection);
    if (last !== undefined && sameHead(last, raw, false)) {
      monitor.counters.remembered++;
      return last.verdict;
    }
    const verdict = engine.inspect(toInspected(request, undefined));
    if (connection !== undefined)
      lastOn?.set(connection, { method: raw.method, url: raw.url, rawHeaders: raw.rawHeaders, verdict });
    return verdict;
  };

  // A client that sends bodies keeps sending them with the same head too (a bot placing orders of one size,
  // a form saved again): the last head judged on each connection is kept, judged, and a request with the
  // identical head has only its body parsed and judged. The verdict is the one `inspect` gives (the engine
  // joins the two parts the same way for every request).
  const lastHeadOn = options.verdictCacheSize === 0 ? undefined : new WeakMap<object, LastHead>();
  const inspectWithBody = (request: FastifyRequest, body: Buffer | undefined): Verdict => {
    const raw = request.raw;
    const connection: object | undefined = raw.socket ?? undefined;
    const last = connection === undefined ? undefined : lastHeadOn?.get(connection);
    if (last !== undefined && sameHead(last, raw, true)) {
      monitor.counters.remembered++;
      return engine.inspectBody(last.head, body);
    }
    const head = engine.inspectHead(toInspected(request, undefined));
    if (connection !== undefined)
      lastHeadOn?.set(connection, { method: raw.method, url: raw.url, rawHeaders: raw.rawHeaders, head });
    return engine.inspectBody(head, body);
  };

  addEdgeScreen(app, (request, reply) => {
    // A body that is read is judged with it (by a route's preParsing hook, or in the JSON parser, which reads a
    // 404's JSON body too); every other request on its head (a GET's body is never read, and the protocol rules
    // refuse one).
    if (hasBody(request) && (bodyHooked(request) || (request.is404 && isJson(request)))) return false;
    const verdict = inspectBodiless(request);
    if (!judge(request, verdict)) return false;
    answerBlocked(request, reply, verdict);
    return true;
  });

  const judgeBody = (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: Parameters<preParsingHookHandler>[2],
    done: Parameters<preParsingHookHandler>[3],
  ): void =>
    readLimited(
      payload,
      request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1_048_576,
      (error, body) => {
        if (error) return done(error);
        const verdict = inspectWithBody(request, body);
        if (judge(request, verdict)) answerBlocked(request, reply, verdict);
        else done(null, body === undefined ? payload : replay(body));
      },
    );
  const preParsing: preParsingHookHandler = (request, reply, payload, done) => {
    // No closure per request on the common paths (no body: judged on its head already; a JSON body: in the parser).
    if (!hasBody(request) || isJson(request)) done(null, payload);
    else judgeBody(request, reply, payload, done);
  };
  const preValidation: preValidationHookHandler = (request, reply, done) => {
    const verdict = blockedInParser.get(request);
    if (verdict === undefined) done();
    else answerBlocked(request, reply, verdict);
  };
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((method) => !BODYLESS_METHODS.has(method));
    if (methods.length === 0) return;
    const known = takesBody.get(route.url) ?? new Set<string>();
    for (const method of methods) known.add(method);
    takesBody.set(route.url, known);
    route.preParsing = [preParsing, ...[route.preParsing ?? []].flat()];
    route.preValidation = [preValidation, ...[route.preValidation ?? []].flat()];
  });
};

/**
 * Fastify plugin: inspects every request before its body is parsed, with its body where a route reads one; blocks
 * with 403 EDGE_REQUEST_BLOCKED or only logs. Register it before the routes it guards (their body hooks are added
 * as they are registered).
 */
export const firewallPlugin = fp(plugin, { name: 'pulse-firewall', fastify: '5.x' });
