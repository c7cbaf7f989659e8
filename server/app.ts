import crypto from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
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
import { addEdgeScreen } from './edge/screens.js';
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
  type RateLimitOptions,
  type RateLimitStore,
  rateLimitPlugin,
} from './edge/rate-limit/index.js';
import { installErrorHandling } from './errors.js';
import { PulseMetrics } from './ops/metrics/metrics.js';
import { metricsRoutes } from './ops/metrics/metrics.routes.js';
import { registerAppMetrics } from './ops/metrics/register-app-metrics.js';
import { type OpsDeps, OpsRuntime } from './ops/ops-runtime.js';
import { OPS_EXCLUSIONS, opsRoutes } from './http/ops/ops.routes.js';
import { statusRoutes } from './http/status/status.routes.js';
import { serializerCompiler } from './http/zod-serializer.js';
import { type AccountsDeps, MFA_REQUIRED_SETTING } from './accounts/accounts-deps.js';
import { type Access, defaultAccess } from './accounts/policy.js';
import { SecretVault } from './accounts/user-secrets.js';
import type { Keyring } from './crypto/envelope.js';
import { auditRoutes } from './http/audit/audit.routes.js';
import { privacyRoutes } from './http/me/privacy.routes.js';
import type { PrivacyStore } from './privacy/privacy-store.js';
import { authRoutes } from './http/auth/auth.routes.js';
import { mfaRoutes } from './http/auth/mfa.routes.js';
import { passkeyRoutes } from './http/auth/passkeys.routes.js';
import type { PasskeyStore } from './accounts/passkeys.js';
import { emailRoutes } from './http/auth/email.routes.js';
import { oidcRoutes } from './http/auth/oidc.routes.js';
import type { EmailTokenStore } from './accounts/email-tokens.js';
import { OidcProviders, type OidcProviderConfig } from './accounts/oidc-client.js';
import type { IdentityStore } from './accounts/oidc-identities.js';
import { sessions } from './http/auth/session.plugin.js';
import { sessionsRoutes } from './http/auth/sessions.routes.js';
import { brokerKeyRoutes } from './http/broker-keys/broker-keys.routes.js';
import { tokenRoutes } from './http/tokens/tokens.routes.js';
import { userRoutes } from './http/users/users.routes.js';
import { healthRoutes } from './http/health/health.routes.js';
import { marketRoutes } from './http/market/market.routes.js';
import { notifyRoutes, type NotifyRoutesDeps } from './http/notify/notify.routes.js';
import { isWebBuilt, spaFallback, webRoutes } from './http/web/web.routes.js';
import type { LiveMarket } from './market/live-market.js';
import { watchlistRoutes } from './http/watchlists/watchlists.routes.js';
import { tradingRoutes } from './http/trading/trading.routes.js';
import { backtestRoutes } from './http/signals/backtests.routes.js';
import { signalRoutes } from './http/signals/signals.routes.js';
import type { BacktestJobs } from './jobs/backtest-jobs.js';
import type { LiveSignals } from './signals/live-signals.js';
import type { SignalStore } from './signals/signal-store.js';
import type { TradingService } from './trading/trading-service.js';
import { tradeUpdateMessage } from './ws/messages.js';
import type {
  ApiTokenStore,
  AuditLog,
  AuditReader,
  Mailer,
  MfaStore,
  ReadinessProbe,
  SessionStore,
  SettingsStore,
  SignInThrottleStore,
  UserSecretStore,
  UserStore,
  WatchlistStore,
} from './ports.js';
import { StreamGateway } from './ws/stream-gateway.js';
import { streamRoutes } from './ws/stream.routes.js';

/** Everything the HTTP app needs, given by the composition root (server/main.ts) or a test. */
export interface AppDeps {
  /** A pino logger; omitted in tests (silent). */
  logger?: FastifyBaseLogger;
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  /** Accounts and security: tokens, throttling, MFA, encrypted secrets, audit reading. */
  security: SecurityDeps;
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
  rateLimit?: { store: RateLimitStore; rules?: RateLimitOptions['rules'] } | 'off';
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
  /** Monitors, status page, alerting, error and web-vitals intake; omitted in tests that do not need them. */
  ops?: OpsDeps;
  /** The running release (package version or build id), stamped on server errors. */
  release?: string;
  /** Notification channels, delivery log, inbox and quiet hours; omitted in tests that do not notify. */
  notify?: NotifyRoutesDeps;
  /** Live signals (store + engine) and backtest jobs; omitted in tests that do not use them. */
  signals?: { store: SignalStore; live: LiveSignals; backtests?: BacktestJobs };
  /** Consent, data export and account deletion (/api/v1/me/*); omitted in tests that do not need them. */
  privacy?: { store: PrivacyStore; graceDays: number };
}

/** The stores and services behind accounts and security. */
export interface SecurityDeps {
  apiTokens: ApiTokenStore;
  auditReader: AuditReader;
  throttle: SignInThrottleStore;
  mfa: MfaStore;
  settings: SettingsStore;
  secrets: UserSecretStore;
  /** Master keys for envelope encryption (PULSE_MASTER_KEY or DATA_DIR/master.key). */
  keyring: Keyring;
  /** Lockout notices; omitted: no e-mail is sent. */
  mailer?: Mailer;
  /** SIGNUP: open sign-up or (default) accounts made by owners and admins only. */
  signup?: 'open' | 'closed';
  /** E-mail tokens and linked identities (migration 0050); omitted: e-mail flows and single sign-on are off. */
  emailTokens?: EmailTokenStore;
  identities?: IdentityStore;
  /** OIDC_PROVIDERS: single sign-on providers. */
  oidcProviders?: readonly OidcProviderConfig[];
  /** OIDC_LINK_VERIFIED_EMAIL (default false). */
  oidcLinkVerifiedEmail?: boolean;
  /** The origin of e-mailed links and OIDC redirect URIs (PUBLIC_URL). */
  publicUrl?: string;
  /** WebAuthn passkeys (migration 0090); omitted: the passkey routes are not registered. */
  passkeys?: PasskeyStore;
  /** The passkeys' relying party origin: PUBLIC_URL when set, otherwise each request's own origin. */
  passkeyOrigin?: string | undefined;
}

/** A registered route, as the cross-user test and the docs enumerate them. */
export interface RouteInfo {
  method: string;
  url: string;
  /** The route's body schema (zod), when it has one. */
  body: unknown;
  websocket: boolean;
  /** What the route asks of its caller (its `config.access` or the policy's default). */
  access: Access;
}

/** The assembled server, not yet listening. */
export interface App {
  http: FastifyInstance;
  /** Every route registered, in order (HEAD twins omitted). */
  routes: readonly RouteInfo[];
  gateway: StreamGateway;
  /** Open and refused connections per client address (the per-IP connection limit). */
  connections: ConnectionMonitor;
  /** Marks the app as draining: /readyz fails and new requests get 503 SERVICE_SHUTTING_DOWN. */
  drain(): void;
  /** The ops runtime; `start()` it once the database is ready (buildApp does not start timers). */
  ops: OpsRuntime | undefined;
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
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        body: route.schema?.body,
        websocket: route.websocket === true,
        access: route.config?.access ?? defaultAccess(method, route.url),
      });
    }
  });
  const web = deps.webRoot !== undefined && isWebBuilt(deps.webRoot) ? deps.webRoot : undefined;
  if (deps.webRoot !== undefined && web === undefined)
    app.log.warn({ root: deps.webRoot }, 'web app not built: run `npm run build`');
  installErrorHandling(app, web === undefined ? undefined : spaFallback(web));
  limitHeaderCount(app, limits.maxHeaderCount);
  applyBodyLimits(app);

  addEdgeScreen(app, (request, reply) => {
    reply.header('x-request-id', request.id);
    if (!draining || request.url.startsWith('/healthz') || request.url.startsWith('/readyz')) return false;
    reply.header('connection', 'close');
    void reply
      .code(503)
      .send({ code: 'SERVICE_SHUTTING_DOWN', message: 'The server is shutting down; retry shortly.' });
    return true;
  });

  await app.register(securityHeadersPlugin);
  const ipLists = deps.ipFilter ?? {};
  if ([ipLists.allow, ipLists.deny, ipLists.denyCountries].some((list) => (list ?? []).length > 0))
    await app.register(ipFilterPlugin, ipLists);
  if (deps.rateLimit !== 'off') {
    await app.register(rateLimitPlugin, {
      store: deps.rateLimit?.store ?? new MemoryRateLimitStore(),
      ...(deps.rateLimit?.rules && { rules: deps.rateLimit.rules }),
    });
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
      exclusions: [...PULSE_EXCLUSIONS, ...CSP_REPORT_EXCLUSIONS, ...OPS_EXCLUSIONS],
      allowedContentTypes: [...new Set([...DEFAULT_CONTENT_TYPES, ...CSP_REPORT_TYPES])],
    });
  }
  await app.register(fastifyCookie);
  const security = deps.security;
  const accounts: AccountsDeps = {
    users: deps.users,
    sessions: deps.sessions,
    apiTokens: security.apiTokens,
    audit: deps.audit,
    auditReader: security.auditReader,
    throttle: security.throttle,
    mfa: security.mfa,
    settings: security.settings,
    vault: new SecretVault(security.keyring, security.secrets),
    mailer: security.mailer ?? { send: async () => undefined },
    now,
    signup: security.signup ?? 'closed',
    cookieSecure: deps.cookieSecure,
    onMailError: (err) => app.log.error({ err }, 'account e-mail not sent'),
    ...(security.passkeys && { passkeys: security.passkeys }),
    ...(security.emailTokens &&
      security.identities && {
        links: {
          emailTokens: security.emailTokens,
          identities: security.identities,
          providers: new OidcProviders(security.oidcProviders ?? []),
          publicUrl: security.publicUrl ?? 'http://127.0.0.1:3000',
          mailEnabled: security.mailer !== undefined,
          linkVerifiedEmail: security.oidcLinkVerifiedEmail ?? false,
        },
      }),
  };
  await app.register(sessions, {
    users: deps.users,
    sessions: deps.sessions,
    apiTokens: security.apiTokens,
    now,
    cookieSecure: deps.cookieSecure,
    mfaRequired: async () => (await security.settings.get(MFA_REQUIRED_SETTING)) === 'true',
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  limitWsMessageRate(app.websocketServer, deps.wsMessageRate ? { rule: deps.wsMessageRate } : {});

  await app.register(swagger, {
    openapi: {
      info: { title: 'Pulse API', version: '1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'pulse_session' },
          token: { type: 'http', scheme: 'bearer', description: 'An API token, pulse_…' },
        },
      },
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
  const ops = deps.ops
    ? new OpsRuntime(
        { ...deps.ops, ...(web !== undefined && deps.ops.webRoot === undefined && { webRoot: web }) },
        { metrics, live: deps.market.live, log: app.log },
      )
    : undefined;
  if (ops) {
    await app.register(opsRoutes, { ops, now, ...(deps.release !== undefined && { release: deps.release }) });
    await app.register(statusRoutes, { monitors: ops.deps.monitors, incidents: ops.deps.incidents, now });
    app.addHook('onClose', async () => ops.stop());
  }
  await app.register(authRoutes, accounts);
  await app.register(sessionsRoutes, accounts);
  await app.register(mfaRoutes, accounts);
  if (security.passkeys)
    await app.register(passkeyRoutes, {
      ...accounts,
      passkeys: security.passkeys,
      passkeyOrigin: security.passkeyOrigin,
    });
  if (accounts.links) {
    await app.register(emailRoutes, { ...accounts, links: accounts.links });
    await app.register(oidcRoutes, { ...accounts, links: accounts.links });
  }
  await app.register(tokenRoutes, accounts);
  await app.register(userRoutes, accounts);
  await app.register(brokerKeyRoutes, {
    ...accounts,
    ...(deps.trading && { brokerKeysChanged: brokerKeysChanged(deps.trading, now) }),
  });
  await app.register(auditRoutes, accounts);
  if (deps.privacy)
    await app.register(privacyRoutes, {
      privacy: deps.privacy.store,
      users: deps.users,
      sessions: deps.sessions,
      audit: deps.audit,
      graceDays: deps.privacy.graceDays,
      now,
      ...(deps.trading && {
        cancelOpenOrders: async (userId: string) => {
          await deps.trading?.cancelOpenOrders(userId);
        },
      }),
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
  if (deps.notify) await app.register(notifyRoutes, deps.notify);
  if (deps.signals) {
    await app.register(signalRoutes, {
      signals: deps.signals.store,
      live: deps.signals.live,
      history: deps.market.history,
      isKnownSymbol,
    });
    if (deps.signals.backtests)
      await app.register(backtestRoutes, { jobs: deps.signals.backtests, isKnownSymbol });
  }
  if (deps.trading) {
    await app.register(tradingRoutes, { trading: deps.trading });
    // Every signed-in connection gets its own user's trade updates, and only those.
    const stopUpdates = deps.trading.onTradeUpdate((userId, update) =>
      gateway.publishToUser(userId, tradeUpdateMessage(update)),
    );
    // Orders placed, replaced, cancelled and filled from any source are audited by the trading service,
    // in the same transaction as the change itself (server/trading/paper-account.ts).
    app.addHook('onClose', async () => {
      stopUpdates();
    });
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
    routes,
    gateway,
    // serverFactory runs inside Fastify(), so the monitor exists by now.
    connections: connections ?? { counters: { accepted: 0, refused: 0 }, open: () => 0 },
    drain: () => {
      draining = true;
    },
    ops,
  };
}

/** Tells the trading service that a user's broker keys were saved or deleted. */
function brokerKeysChanged(trading: TradingService, now: () => Date): (userId: string) => Promise<void> {
  return (userId) => trading.brokerKeysChanged(userId, now());
}
