import crypto from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { migrateToLatest, pendingMigrations, type MigrationReport } from './adapters/db/migrate.js';
import { type DatabaseHandle, openDatabase } from './adapters/db/open-database.js';
import { SqlAuditLog, SqlSessionStore, SqlUserStore } from './adapters/db/sql-stores.js';
import {
  SqlApiTokenStore,
  SqlMfaStore,
  SqlSettingsStore,
  SqlSignInThrottleStore,
  SqlUserSecretStore,
} from './adapters/db/sql-account-stores.js';
import { SmtpMailer } from './adapters/notify/smtp-mailer.js';
import { SqlEmailTokenStore, SqlIdentityStore } from './adapters/db/sql-identity-stores.js';
import type { EmailTokenStore } from './accounts/email-tokens.js';
import type { IdentityStore } from './accounts/oidc-identities.js';
import type { PasskeyStore } from './accounts/passkeys.js';
import { SqlPasskeyStore } from './adapters/db/sql-passkey-store.js';
import { SqlNotifyStore } from './adapters/db/sql-notify-store.js';
import {
  loadOrCreateVapidKeys,
  SlackSender,
  SmsWebhookSender,
  SmtpEmailSender,
  WebhookSender,
  WebPushSender,
} from './adapters/notify/index.js';
import { SecretVault } from './accounts/user-secrets.js';
import { Notifier } from './notify/notifier.js';
import type { NotifyStore } from './notify/notify-store.js';
import { loadKeyring } from './crypto/master-key.js';
import { type RotationReport, rotateMasterKey } from './crypto/rotate-master-key.js';
import { createApiToken } from './accounts/api-tokens.js';
import { createUser } from './accounts/users.js';
import { AppError } from './errors.js';
import { Email, type Role, type TokenScope } from '../contracts/auth.js';
import { SqlTradingStore } from './adapters/db/sql-trading-store.js';
import { SqlWatchlistStore } from './adapters/db/sql-watchlist-store.js';
import { RedisRateLimitStore } from './adapters/redis/redis-rate-limit-store.js';
import { buildApp } from './app.js';
import { PulseMetrics } from './ops/metrics/metrics.js';
import { readHttpsOptions } from './edge/headers/index.js';
import { MemoryRateLimitStore, type RateLimitStore } from './edge/rate-limit/index.js';
import type { Config } from './config/config.js';
import { lateBound } from './late-bound.js';
import { OPS_LEADER_KEY, PostgresAdvisoryLock } from './adapters/db/advisory-lock.js';
import { PostgresOwnerLock } from './adapters/db/postgres-owner-lock.js';
import { RedisPaperBus } from './adapters/redis/redis-paper-bus.js';
import { SqlMonitorStore } from './adapters/db/sql-monitor-store.js';
import { SqlAlertStore, SqlIncidentStore, SqlTelemetryStore } from './adapters/db/sql-ops-stores.js';
import { SqlUsageStore } from './adapters/db/sql-usage-store.js';
import { RollingUsageMeter } from './ops/usage/usage-meter.js';
import type { UsageStore } from './ops/usage/usage-ports.js';
import { UsageService } from './ops/usage/usage-service.js';
import type { AlertStore, IncidentStore, MonitorStore, TelemetryStore } from './ops/ops-ports.js';
import type { BarStore } from '../core/market-data/index.js';
import { SqlBarStore } from './adapters/db/sql-bar-store.js';
import { BarRecorder } from './market/bar-recorder.js';
import { FallbackBarHistory } from './market/fallback-history.js';
import { LiveMarket } from './market/live-market.js';
import { createMarketProvider } from './adapters/feeds/market-provider.js';
import { Money } from '../core/kernel/index.js';
import type {
  ApiTokenStore,
  AuditLog,
  AuditReader,
  MfaStore,
  ReadinessProbe,
  SettingsStore,
  SignInThrottleStore,
  UserSecretStore,
  SessionStore,
  TradingStore,
  UserStore,
  WatchlistStore,
} from './ports.js';
import { TradingService } from './trading/trading-service.js';
import type {
  BrokerChoiceStore,
  BrokerConnection,
  BrokerConnectionEvents,
  BrokerKeys,
} from './trading/broker-connection.js';
import { AlpacaBroker } from './adapters/brokers/alpaca/index.js';
import { SqlBrokerChoiceStore } from './adapters/db/sql-broker-choice-store.js';
import { loadBrokerKeys } from './accounts/broker-keys.js';
import type { UsageMeter } from './ops/usage/usage-meter.js';
import { SqlBacktestStore } from './adapters/db/sql-backtest-store.js';
import { SqlSignalStore } from './adapters/db/sql-signal-store.js';
import { SqlPrivacyStore } from './adapters/db/sql-privacy-store.js';
import { PrivacyJobs } from './privacy/privacy-jobs.js';
import type { PrivacyStore } from './privacy/privacy-store.js';
import { requestWindow, toColumns } from './jobs/backtest-job.js';
import { BacktestJobs } from './jobs/backtest-jobs.js';
import { notificationSink } from './notify/notification-sink.js';
import { logAlertSink } from './ops/alerting/alert-sink.js';
import { notifyAlertSink } from './ops/alerting/notify-alert-sink.js';
import { LiveSignals } from './signals/live-signals.js';
import { notifySignalSink } from './signals/signal-sink.js';
import type { BacktestStore, SignalStore } from './signals/signal-store.js';
import { parseTimeframe } from '../core/market-data/index.js';

export { type Config, ConfigError, parseConfig } from './config/config.js';
export { DataDirLockedError } from './adapters/db/data-dir-lock.js';
export { DatabaseUnavailableError } from './adapters/db/open-database.js';

/** A running server; `stop` drains and closes everything. */
export interface RunningServer {
  url: string;
  ready: Promise<void>;
  stop(reason: string): Promise<void>;
}

function createLogger(config: Config): pino.Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  });
}

function rateLimitStore(config: Config, logger: pino.Logger): RateLimitStore {
  if (!config.redisUrl) return new MemoryRateLimitStore();
  const redis = new Redis(config.redisUrl, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    enableOfflineQueue: false,
  });
  redis.on('error', (err) =>
    logger.warn({ err: err.message }, 'redis unavailable; rate limits fall back to this node'),
  );
  return new RedisRateLimitStore(redis);
}

function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  return openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    connectTimeoutMs: config.dbConnectTimeoutMs,
  });
}

/**
 * The composition root: config → adapters → buildApp → listen. It listens before the database is
 * open, so /healthz answers at once while /readyz waits for the database, migrations and the feed.
 * Rejects `ready` (after logging) when the database cannot be opened or migrated.
 */
export async function serve(config: Config): Promise<RunningServer> {
  const logger = createLogger(config);
  const usageMeter = new RollingUsageMeter();
  const market = createMarketProvider(config, usageMeter);
  const live = new LiveMarket(market.feed, market.now, market.closeDelayMs);
  // The simulator can recompute any bar, so recording it would only fill the disk; real feeds are recorded.
  const recordBars =
    config.market.recordBars === 'on' || (config.market.recordBars === 'auto' && live.source !== 'sim');
  const barStore = lateBound<BarStore>('The bar store');
  const history =
    recordBars && live.source !== 'sim'
      ? new FallbackBarHistory(market.history, barStore.proxy, (err) =>
          logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'history upstream failed; serving recorded bars',
          ),
        )
      : market.history;
  let recorder: BarRecorder | undefined;

  const users = lateBound<UserStore>('The user store');
  const sessions = lateBound<SessionStore>('The session store');
  const audit = lateBound<AuditLog & AuditReader>('The audit log');
  const apiTokens = lateBound<ApiTokenStore>('The API token store');
  const throttle = lateBound<SignInThrottleStore>('The sign-in throttle');
  const mfa = lateBound<MfaStore>('The MFA store');
  const settings = lateBound<SettingsStore>('The settings store');
  const privacyStore = lateBound<PrivacyStore>('The privacy store');
  const secrets = lateBound<UserSecretStore>('The secret store');
  const emailTokens = lateBound<EmailTokenStore>('The e-mail token store');
  const identities = lateBound<IdentityStore>('The identity store');
  const passkeys = lateBound<PasskeyStore>('The passkey store');
  const { ring, source: keySource } = loadKeyring({ envKey: config.masterKey, dataDir: config.dataDir });
  if (keySource.kind === 'file' && config.databaseUrl !== undefined)
    logger.warn(
      { file: keySource.file },
      'PULSE_MASTER_KEY is not set: this node encrypts secrets with its own key file; give every node the same PULSE_MASTER_KEY',
    );
  const mailer = config.smtp ? new SmtpMailer(config.smtp.url, config.smtp.from) : undefined;
  const notifyStore = lateBound<NotifyStore>('The notification store');
  const vapid = config.notify.vapid ?? loadOrCreateVapidKeys(config.dataDir);
  const notifier = new Notifier({
    store: notifyStore.proxy,
    senders: {
      ...(config.smtp && { email: new SmtpEmailSender(config.smtp) }),
      slack: new SlackSender(),
      webhook: new WebhookSender(),
      sms: new SmsWebhookSender(),
      web_push: new WebPushSender({ ...vapid, subject: config.notify.vapidSubject }),
    },
    publicUrl: config.publicUrl,
    log: (err, message) => logger.error({ err }, message),
  });
  const signalStore = lateBound<SignalStore>('The signal store');
  const backtestStore = lateBound<BacktestStore>('The backtest store');
  const watchlists = lateBound<WatchlistStore>('The watchlist store');
  const tradingStore = lateBound<TradingStore>('The trading store');
  const monitorStore = lateBound<MonitorStore>('The monitor store');
  const incidentStore = lateBound<IncidentStore>('The incident store');
  const telemetryStore = lateBound<TelemetryStore>('The telemetry store');
  const alertStore = lateBound<AlertStore>('The alert store');
  const usageStore = lateBound<UsageStore>('The usage store');
  const brokerChoices = lateBound<BrokerChoiceStore>('The broker choice store');
  const known = new Set(market.instruments.map((i) => i.symbol));
  const brokerVault = new SecretVault(ring, secrets.proxy);
  // Several nodes (PostgreSQL and Redis shared): the lock holder owns paper trading, the others forward to it.
  const paperCluster =
    config.databaseUrl !== undefined && config.redisUrl !== undefined
      ? {
          lock: new PostgresOwnerLock(config.databaseUrl),
          bus: new RedisPaperBus(config.redisUrl, {
            log: (err, message) => logger.warn({ err }, message),
          }),
        }
      : undefined;
  const trading = new TradingService({
    store: tradingStore.proxy,
    market: live,
    now: market.now,
    isKnownSymbol: (symbol) => known.has(symbol),
    startingCash: new Money(config.paperStartingCash),
    log: (err, message) => logger.error({ err }, message),
    // Users who chose their own Alpaca account trade through it, with their saved keys.
    brokers: {
      choices: brokerChoices.proxy,
      keys: (userId) => loadBrokerKeys(userId, { vault: brokerVault }),
      connect: (keys, events) =>
        alpacaConnection(keys, events, config, usageMeter, (err) => logger.warn({ err }, 'alpaca broker')),
      audit: audit.proxy,
    },
    ...(paperCluster && { cluster: paperCluster }),
  });
  let database: DatabaseHandle | undefined;
  let migrated = false;

  const probes: ReadinessProbe[] = [
    {
      name: 'database',
      check: async () => {
        if (!database) return { ok: false, detail: 'opening' };
        await database.ping();
        return { ok: true, detail: database.engine };
      },
    },
    { name: 'migrations', check: async () => (migrated ? { ok: true } : { ok: false, detail: 'pending' }) },
    {
      name: 'market_feed',
      check: async () =>
        live.isConnected() ? { ok: true, detail: live.source } : { ok: false, detail: 'disconnected' },
    },
    {
      name: 'trading',
      check: async () =>
        !trading.isStarted
          ? { ok: false, detail: 'loading' }
          : paperCluster
            ? { ok: true, detail: trading.isOwner ? 'paper owner' : 'forwarding paper orders' }
            : { ok: true },
    },
  ];

  if (config.botDefence.enabled && config.botDefence.secret === undefined && config.databaseUrl !== undefined)
    logger.warn('POW_SECRET is not set: proof-of-work challenges issued by one node fail on the others');
  const liveSignals = new LiveSignals({
    store: signalStore.proxy,
    history,
    market: live,
    now: market.now,
    sinks: [notifySignalSink((request) => notificationSink(notifier).deliver(request))],
    placeOrder: async (userId, request) => (await trading.tradingAccount(userId)).placeOrder(request),
    // On PostgreSQL other nodes may change signals: pick their changes up within seconds.
    ...(config.databaseUrl && { reconcileMs: 5_000 }),
    log: (err, message) => logger.error({ err }, message),
  });
  const backtests = new BacktestJobs({
    store: backtestStore.proxy,
    // The simulator is rebuilt from its seed inside the worker; other feeds' bars are fetched here and sent over.
    barSource: async (request) => {
      if (live.source === 'sim') return { kind: 'sim', seed: config.market.simSeed, until: market.now() };
      const { start, end } = requestWindow(request);
      return toColumns(await history.bars(request.symbol, parseTimeframe(request.timeframe)!, start, end));
    },
    workers: 1,
    log: (err, message) => logger.error({ err }, message),
  });
  // Due account erasures and retention (RETENTION_*), hourly by default; started once the database is ready.
  const privacyJobs = new PrivacyJobs({
    privacy: privacyStore.proxy,
    audit: audit.proxy,
    retention: config.privacy.retention,
    graceDays: config.privacy.graceDays,
    everyMs: config.privacy.everyMs,
    cancelOpenOrders: (userId) => trading.cancelOpenOrders(userId),
    onError: (err) => logger.error({ err }, 'privacy job failed; will retry'),
    onRun: (report) => {
      if (report.erased > 0 || Object.values(report.pruned).some((n) => n > 0))
        logger.info(report, 'privacy job: erasures and retention');
    },
  });
  const app = await buildApp({
    logger,
    users: users.proxy,
    sessions: sessions.proxy,
    audit: audit.proxy,
    security: {
      apiTokens: apiTokens.proxy,
      auditReader: audit.proxy,
      throttle: throttle.proxy,
      mfa: mfa.proxy,
      settings: settings.proxy,
      secrets: secrets.proxy,
      keyring: ring,
      signup: config.signup,
      ...(mailer && { mailer }),
      emailTokens: emailTokens.proxy,
      identities: identities.proxy,
      oidcProviders: config.oidc.providers,
      oidcLinkVerifiedEmail: config.oidc.linkVerifiedEmail,
      publicUrl:
        config.publicUrl ?? `${config.tls ? 'https' : 'http'}://${linkHost(config.host)}:${config.port}`,
      passkeys: passkeys.proxy,
      passkeyOrigin: config.publicUrl,
    },
    watchlists: watchlists.proxy,
    probes,
    market: { live, history, instruments: market.instruments },
    webRoot: path.resolve(import.meta.dirname, '../web'),
    cookieSecure: config.cookieSecure,
    trustProxy: config.trustProxy,
    serverLimits: config.serverLimits,
    ipFilter: config.ipFilter,
    botDefence: config.botDefence.enabled
      ? {
          secret: config.botDefence.secret ?? crypto.randomBytes(32),
          difficulty: config.botDefence.difficulty,
        }
      : 'off',
    ...(config.tls && { https: readHttpsOptions(config.tls) }),
    firewall: config.firewall,
    metrics: new PulseMetrics(),
    metricsToken: config.metricsToken,
    rateLimit: config.rateLimit === 'off' ? 'off' : { store: rateLimitStore(config, logger) },
    trading,
    signals: { store: signalStore.proxy, live: liveSignals, backtests },
    privacy: { store: privacyStore.proxy, graceDays: config.privacy.graceDays },
    notify: {
      store: notifyStore.proxy,
      notifier,
      urlPolicy: config.notify.urlPolicy,
      now: () => new Date(),
      vapidPublicKey: vapid.publicKey,
    },
    ops: {
      // Alerts are logged, listed in the admin screen, and delivered to owners' and admins' channels.
      sink: notifyAlertSink(
        notificationSink(notifier),
        {
          userIds: async () =>
            (await users.proxy.list())
              .filter((u) => u.role === 'owner' || u.role === 'admin')
              .map((u) => u.id),
          channelIds: async (userId, type) =>
            (await notifyStore.proxy.listChannels(userId))
              .filter((c) => c.enabled && c.config.type === type)
              .map((c) => c.id),
        },
        logAlertSink((fields, message) => logger.warn(fields, message)),
      ),
      monitors: monitorStore.proxy,
      incidents: incidentStore.proxy,
      telemetry: telemetryStore.proxy,
      alerts: alertStore.proxy,
      // With PostgreSQL several nodes may run: one holds the advisory lock and runs the singletons.
      ...(config.databaseUrl && {
        lock: new PostgresAdvisoryLock(config.databaseUrl, OPS_LEADER_KEY, {
          applicationName: 'pulse-leader',
        }),
      }),
      marketNow: market.now,
      usage: new UsageService({
        store: usageStore.proxy,
        meter: usageMeter,
        provider: live.source,
        limits: {
          restPerMinute: config.usage.alpacaRestPerMinute,
          streamSymbols: config.usage.alpacaStreamSymbols,
        },
        dataDir: config.dataDir,
      }),
    },
  });
  const url = await app.http.listen({ host: config.host, port: config.port });
  logger.info({ url, market: live.source, simulated: live.source === 'sim' }, 'Pulse is listening');

  const ready = (async () => {
    await live.start();
    database = await openConfiguredDatabase(config);
    const report = await migrateToLatest(database.db);
    migrated = true;
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
    users.set(new SqlUserStore(database.db));
    sessions.set(new SqlSessionStore(database.db));
    audit.set(new SqlAuditLog(database.db));
    apiTokens.set(new SqlApiTokenStore(database.db));
    throttle.set(new SqlSignInThrottleStore(database.db));
    mfa.set(new SqlMfaStore(database.db));
    settings.set(new SqlSettingsStore(database.db));
    secrets.set(new SqlUserSecretStore(database.db));
    emailTokens.set(new SqlEmailTokenStore(database.db));
    identities.set(new SqlIdentityStore(database.db));
    passkeys.set(new SqlPasskeyStore(database.db));
    // Channel credentials are sealed with the master key, in user_secrets, so key rotation covers them.
    notifyStore.set(new SqlNotifyStore(database.db, new SecretVault(ring, secrets.proxy)));
    barStore.set(new SqlBarStore(database.db));
    if (recordBars) {
      recorder = new BarRecorder({
        store: barStore.proxy,
        onError: (err) =>
          logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'recording bars failed; will retry',
          ),
      });
      recorder.start(live);
    }
    watchlists.set(new SqlWatchlistStore(database.db));
    tradingStore.set(new SqlTradingStore(database.db));
    brokerChoices.set(new SqlBrokerChoiceStore(database.db));
    monitorStore.set(new SqlMonitorStore(database.db));
    incidentStore.set(new SqlIncidentStore(database.db));
    telemetryStore.set(new SqlTelemetryStore(database.db));
    alertStore.set(new SqlAlertStore(database.db));
    usageStore.set(new SqlUsageStore(database.db));
    signalStore.set(new SqlSignalStore(database.db));
    privacyStore.set(new SqlPrivacyStore(database.db));
    backtestStore.set(new SqlBacktestStore(database.db));
    await trading.start();
    await notifier.start();
    await liveSignals.start();
    await backtests.start();
    await app.ops?.start();
    privacyJobs.start();
    logger.info({ engine: database.engine }, 'Pulse is ready');
  })();

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down: draining requests');
      app.drain();
      await app.http.close();
      await live.stop();
      await recorder?.stop().catch(() => undefined);
      await ready.catch(() => undefined);
      await privacyJobs.stop();
      await liveSignals.stop();
      await backtests.stop();
      await trading.stop();
      await paperCluster?.bus.close();
      await notifier.stop();
      await database?.close();
      mailer?.close();
      logger.info('shutdown complete');
      logger.flush();
    })();
    return stopping;
  };
  return { url, ready, stop };
}

/** Opens the configured database and applies pending migrations (`pulse migrate`). */
export async function migrate(
  config: Config,
): Promise<MigrationReport & { engine: string; pending: string[] }> {
  const database = await openConfiguredDatabase(config);
  try {
    const report = await migrateToLatest(database.db);
    return { ...report, engine: database.engine, pending: await pendingMigrations(database.db) };
  } finally {
    await database.close();
  }
}

export { buildSimServer, type SimServer, type SimServerOptions } from './sim/index.js';
export {
  createFirewall,
  type FirewallOptions,
  fromRawRequest,
  type Paranoia,
  PULSE_EXCLUSIONS,
  type RawRequest,
} from './edge/firewall/index.js';
export { type CertificatePair, selfSignedCertificate } from './edge/headers/index.js';

/** `pulse user create`: adds a user (the first one may be an owner) with a policy-checked password. */
export async function createUserAccount(
  config: Config,
  input: { email: string; password: string; role: Role },
): Promise<{ id: string; email: string; role: Role }> {
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    const users = new SqlUserStore(database.db);
    const audit = new SqlAuditLog(database.db);
    const email = Email.parse(input.email);
    // The command line acts as the machine's administrator: it may create any role, owners included.
    const user = await createUser(
      { email, password: input.password, role: input.role, actor: { id: null, role: 'owner', ip: null } },
      { users, audit },
    );
    return { id: user.id, email: user.email, role: user.role };
  } finally {
    await database.close();
  }
}

/** `pulse token create`: mints an API token for a user and returns it (shown once). */
export async function createUserToken(
  config: Config,
  input: { email: string; scope: TokenScope; expiresInDays: number; name: string },
): Promise<{ token: string; id: string; expiresAt: string | null }> {
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    const user = await new SqlUserStore(database.db).findByEmail(Email.parse(input.email));
    if (!user) throw new AppError('AUTH_NOT_FOUND', `No user with the e-mail ${input.email}.`);
    const { token, record } = await createApiToken(
      {
        userId: user.id,
        name: input.name,
        scope: input.scope,
        expiresInDays: input.expiresInDays,
        now: new Date(),
        ip: null,
      },
      { apiTokens: new SqlApiTokenStore(database.db), audit: new SqlAuditLog(database.db) },
    );
    return { token, id: record.id, expiresAt: record.expiresAt?.toISOString() ?? null };
  } finally {
    await database.close();
  }
}

/** `pulse keys rotate`: re-wraps every data key under a new master key. */
export async function rotateKeys(config: Config): Promise<RotationReport> {
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    return await rotateMasterKey(
      { envKey: config.masterKey, dataDir: config.dataDir },
      { secrets: new SqlUserSecretStore(database.db) },
    );
  } finally {
    await database.close();
  }
}

export { AppError } from './errors.js';
export { parseExpiryDays } from './accounts/api-tokens.js';
export { type BacktestRequest, runBacktestJob } from './jobs/backtest-job.js';

/** An Alpaca broker for a user's keys: the paper or live Trading API (or `pulse sim`) and its stream. */
function alpacaConnection(
  keys: BrokerKeys,
  events: BrokerConnectionEvents,
  config: Config,
  usage: UsageMeter,
  onError: (error: unknown) => void,
): BrokerConnection {
  const origin = (
    keys.scope === 'live' ? config.alpacaTrading.liveUrl : config.alpacaTrading.paperUrl
  ).replace(/\/+$/, '');
  const broker = new AlpacaBroker({
    rest: { baseUrl: origin, keyId: keys.keyId, secretKey: keys.secretKey, usage },
    stream: { url: `${origin.replace(/^http/, 'ws')}/stream` },
    onError,
    onUnauthorized: events.unauthorized,
  });
  return { broker, now: Date.now, start: () => broker.start(), stop: () => broker.stop() };
}

/** The host of links in e-mails when PUBLIC_URL is unset: a wildcard bind address is not one. */
function linkHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
