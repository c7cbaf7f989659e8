import crypto from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { BarHistory, Instrument } from '../core/market-data/index.js';
import { botDefencePlugin, type SuspicionTracker } from './edge/bot/index.js';
import { firewallPlugin, PULSE_EXCLUSIONS } from './edge/firewall/index.js';
import { DEFAULT_CONTENT_TYPES } from './edge/firewall/rules/index.js';
import {
  CSP_REPORT_EXCLUSIONS,
  CSP_REPORT_TYPES,
  cspReportRoutes,
  type HttpsOptions,
  securityHeadersPlugin,
} from './edge/headers/index.js';
import { cidrMatcher, ipFilterPlugin, trustProxyOption } from './edge/ip-filter/index.js';
import {
  applyBodyLimits,
  type ConnectionMonitor,
  createEdgeServer,
  DEFAULT_SERVER_LIMITS,
  limitHeaderCount,
  limitWsMessageRate,
  type ServerLimits,
} from './edge/limits/index.js';
import {
  type BucketRule,
  MemoryRateLimitStore,
  type RateLimitStore,
  rateLimitPlugin,
} from './edge/rate-limit/index.js';
import { installErrorHandling } from './errors.js';
import { PulseMetrics } from './ops/metrics/metrics.js';
import { metricsRoutes } from './ops/metrics/metrics.routes.js';
import { registerAppMetrics } from './ops/metrics/register-app-metrics.js';
import { authRoutes } from './http/auth/auth.routes.js';
import { sessions } from './http/auth/session.plugin.js';
import { healthRoutes } from './http/health/health.routes.js';
import { marketRoutes } from './http/market/market.routes.js';
import { isWebBuilt, spaFallback, webRoutes } from './http/web/web.routes.js';
import type { LiveMarket } from './market/live-market.js';
import { watchlistRoutes } from './http/watchlists/watchlists.routes.js';
import { tradingRoutes } from './http/trading/trading.routes.js';
import type { TradingService } from './trading/trading-service.js';
import { tradeUpdateMessage } from './ws/messages.js';
import type { AuditLog, ReadinessProbe, SessionStore, UserStore, WatchlistStore } from './ports.js';
import { StreamGateway } from './ws/stream-gateway.js';
import { streamRoutes } from './ws/stream.routes.js';

/** Everything the HTTP app needs, given by the composition root (server/main.ts) or a test. */
export interface AppDeps {
  /** A pino logger; omitted in tests (silent). */
  logger?: FastifyBaseLogger;
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  watchlists: WatchlistStore;
  probes: readonly ReadinessProbe[];
  market: { live: LiveMarket; history: BarHistory; instruments: readonly Instrument[] };
  /** The built web app; omitted in API-only tests. */
  webRoot?: string;
  cookieSecure: 'auto' | 'true' | 'false';
  /** Proxy CIDRs whose X-Forwarded-* headers are believed (TRUSTED_PROXIES), or all/none (TRUST_PROXY). */
  trustProxy: boolean | readonly string[];
  /** TLS 1.3 with this certificate (TLS_CERT/TLS_KEY); plain HTTP when omitted. */
  https?: HttpsOptions;
  /** Node server limits (timeouts, header size and count, connections per IP); defaults otherwise. */
  serverLimits?: Partial<ServerLimits>;
  /** Allow/deny CIDR lists and blocked countries; omitted or all empty: no filtering. */
  ipFilter?: { allow?: readonly string[]; deny?: readonly string[]; denyCountries?: readonly string[] };
  /** Bot defence and proof-of-work challenges; omitted or 'off' disables it (tests). */
  botDefence?:
    | { secret: string | Buffer; difficulty?: number; maxDifficulty?: number; tracker?: SuspicionTracker }
    | 'off';
  /** Messages per connection on /api/v1/stream. */
  wsMessageRate?: BucketRule;
  /** Rate limits: a store (memory, or Redis to share budgets across nodes), or 'off'. */
  rateLimit?: { store: RateLimitStore } | 'off';
  /** The in-process firewall; omitted or 'off' disables it. */
  firewall?: { mode: 'block' | 'detect' | 'off'; paranoia: 1 | 2 | 3 | 4 };
  now?: () => Date;
  /** Prometheus metrics; a fresh registry when omitted. */
  metrics?: PulseMetrics;
  /** Bearer token for non-loopback /metrics scrapers. */
  metricsToken?: string | undefined;
  /** Milliseconds between WebSocket frames per client. */
  streamFlushMs?: number;
  /** Paper trading (orders, positions, account); omitted in tests that do not trade. */
  trading?: TradingService;
}

/** The assembled server, not yet listening. */
export interface App {
  http: FastifyInstance;
  gateway: StreamGateway;
  /** Open and refused connections per client address (the per-IP connection limit). */
  connections: ConnectionMonitor;
  /** Marks the app as draining: /readyz fails and new requests get 503 SERVICE_SHUTTING_DOWN. */
  drain(): void;
}

/** Builds the Fastify app: edge → ops → http → ws, with one error catalog and OpenAPI at /api/docs. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const now = deps.now ?? (() => new Date());
  const startedAt = Date.now();
  let draining = false;

  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...deps.serverLimits };
  const isProxy = typeof deps.trustProxy === 'boolean' ? () => false : cidrMatcher(deps.trustProxy);
  let connections: ConnectionMonitor | undefined;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    trustProxy: trustProxyOption(deps.trustProxy),
    // The Node server is made here so its limits (timeouts, header size, connections per IP) and TLS are ours.
    serverFactory: (handler) => {
      const edge = createEdgeServer(handler, {
        limits,
        isExempt: isProxy,
        ...(deps.https && { https: deps.https }),
      });
      connections = edge.connections;
      return edge.server;
    },
    bodyLimit: 256 * 1024,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const web = deps.webRoot !== undefined && isWebBuilt(deps.webRoot) ? deps.webRoot : undefined;
  if (deps.webRoot !== undefined && web === undefined)
    app.log.warn({ root: deps.webRoot }, 'web app not built: run `npm run build`');
  installErrorHandling(app, web === undefined ? undefined : spaFallback(web));
  limitHeaderCount(app, limits.maxHeaderCount);
  applyBodyLimits(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (draining && !request.url.startsWith('/healthz') && !request.url.startsWith('/readyz')) {
      reply.header('connection', 'close');
      return reply
        .code(503)
        .send({ code: 'SERVICE_SHUTTING_DOWN', message: 'The server is shutting down; retry shortly.' });
    }
  });

  await app.register(securityHeadersPlugin);
  const ipLists = deps.ipFilter ?? {};
  if ([ipLists.allow, ipLists.deny, ipLists.denyCountries].some((list) => (list ?? []).length > 0))
    await app.register(ipFilterPlugin, ipLists);
  if (deps.rateLimit !== 'off') {
    await app.register(rateLimitPlugin, { store: deps.rateLimit?.store ?? new MemoryRateLimitStore() });
  }
  if (deps.botDefence !== undefined && deps.botDefence !== 'off') {
    const { secret, difficulty, maxDifficulty, tracker } = deps.botDefence;
    await app.register(botDefencePlugin, {
      secret,
      ...(tracker && { tracker }),
      difficulty: {
        ...(difficulty !== undefined && { base: difficulty }),
        ...(maxDifficulty !== undefined && { max: maxDifficulty }),
      },
    });
  }
  const firewall = deps.firewall ?? { mode: 'block', paranoia: 1 };
  if (firewall.mode !== 'off') {
    await app.register(firewallPlugin, {
      mode: firewall.mode,
      paranoia: firewall.paranoia,
      exclusions: [...PULSE_EXCLUSIONS, ...CSP_REPORT_EXCLUSIONS],
      allowedContentTypes: [...new Set([...DEFAULT_CONTENT_TYPES, ...CSP_REPORT_TYPES])],
    });
  }
  await app.register(fastifyCookie);
  await app.register(sessions, {
    users: deps.users,
    sessions: deps.sessions,
    now,
    cookieSecure: deps.cookieSecure,
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  limitWsMessageRate(app.websocketServer, deps.wsMessageRate ? { rule: deps.wsMessageRate } : {});

  await app.register(swagger, {
    openapi: {
      info: { title: 'Pulse API', version: '1' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'pulse_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const known = new Set(deps.market.instruments.map((i) => i.symbol));
  const isKnownSymbol = (symbol: string) => known.has(symbol);
  const metrics = deps.metrics ?? new PulseMetrics({ defaults: false });
  await app.register(metricsRoutes, { metrics, token: deps.metricsToken });
  await app.register(cspReportRoutes);
  await app.register(healthRoutes, { probes: deps.probes, startedAt, isDraining: () => draining });
  await app.register(authRoutes, {
    users: deps.users,
    sessions: deps.sessions,
    audit: deps.audit,
    now,
    cookieSecure: deps.cookieSecure,
  });
  await app.register(marketRoutes, {
    history: deps.market.history,
    instruments: deps.market.instruments,
    latest: { trade: (s) => deps.market.live.latestTrade(s), quote: (s) => deps.market.live.latestQuote(s) },
  });
  await app.register(watchlistRoutes, {
    watchlists: deps.watchlists,
    isKnownSymbol,
  });

  const gateway = new StreamGateway();
  const unsubscribe = deps.market.live.subscribe((updates) => gateway.publish(updates));
  if (deps.trading) {
    await app.register(tradingRoutes, { trading: deps.trading });
    // Every signed-in connection gets its own user's trade updates, and only those.
    const stopUpdates = deps.trading.onTradeUpdate((userId, update) =>
      gateway.publishToUser(userId, tradeUpdateMessage(update)),
    );
    app.addHook('onClose', async () => stopUpdates());
  }
  const flushTimer = setInterval(() => gateway.flush(), deps.streamFlushMs ?? 50);
  app.addHook('onClose', async () => {
    clearInterval(flushTimer);
    unsubscribe();
  });
  await app.register(streamRoutes, {
    gateway,
    source: () => deps.market.live.source,
    isKnownSymbol,
  });

  registerAppMetrics(metrics, { app, gateway, live: deps.market.live });

  if (web !== undefined) await app.register(webRoutes, { root: web });

  return {
    http: app,
    gateway,
    // serverFactory runs inside Fastify(), so the monitor exists by now.
    connections: connections ?? { counters: { accepted: 0, refused: 0 }, open: () => 0 },
    drain: () => {
      draining = true;
    },
  };
}
