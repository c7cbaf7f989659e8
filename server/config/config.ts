import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { validateCidrs } from '../edge/ip-filter/cidr.js';

const Port = z.coerce.number().int().min(0).max(65535);
const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** A comma-separated list of IPv4/IPv6 addresses or CIDR blocks. */
const Cidrs = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
  .superRefine((list, ctx) => {
    const valid = validateCidrs(list);
    if (valid !== true) ctx.addIssue({ code: 'custom', message: valid });
  });
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** OIDC_PROVIDERS: a JSON array of single sign-on providers (README "Single sign-on"). */
const OidcProviders = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a JSON array such as [{"id":"google",…}]' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'id: lower-case letters, digits and -'),
            name: z.string().min(1).max(50),
            issuer: z
              .url({ protocol: /^https?$/ })
              .refine(
                (u) => u.startsWith('https://') || LOOPBACK.has(new URL(u).hostname),
                'issuer must be https:// (http:// only on this machine)',
              ),
            clientId: z.string().min(1),
            clientSecret: z.string().min(1).optional(),
            scopes: z.string().min(6).default('openid email profile'),
          })
          .strict(),
      )
      .max(10)
      .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'provider ids must be unique'),
  );
const Millis = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every environment variable Pulse reads, with its default; README "Configuration" mirrors it. */
export const ConfigSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: Port.default(3000),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MARKET_PROVIDER: z.enum(['sim', 'alpaca']).default('sim'),
    RECORD_BARS: z.enum(['auto', 'on', 'off']).default('auto'),
    MARKET_SYMBOLS: z
      .string()
      .regex(
        /^[A-Z][A-Z0-9.]{0,9}(,[A-Z][A-Z0-9.]{0,9})*$/,
        'a comma-separated list of ticker symbols such as AAPL,MSFT',
      )
      .optional(),
    ALPACA_KEY_ID: z.string().min(1).optional(),
    ALPACA_SECRET_KEY: z.string().min(1).optional(),
    ALPACA_FEED: z.enum(['iex', 'sip', 'delayed_sip']).default('iex'),
    ALPACA_DATA_URL: z.url({ protocol: /^https?$/ }).default('https://data.alpaca.markets'),
    ALPACA_STREAM_URL: z.url({ protocol: /^wss?$/ }).default('wss://stream.data.alpaca.markets'),
    /** Alpaca REST calls per minute per API (200 on the free plan); usage budgets warn at 80 %. */
    ALPACA_REST_LIMIT: z.coerce.number().int().min(1).max(100_000).default(200),
    /** Symbols the market data stream may carry (30 for trades and quotes on the free IEX plan). */
    ALPACA_STREAM_SYMBOL_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
    /** Trading API origins for users' own Alpaca keys (paper and live scope); `pulse sim` for tests. */
    ALPACA_PAPER_TRADING_URL: z.url({ protocol: /^https?$/ }).default('https://paper-api.alpaca.markets'),
    ALPACA_LIVE_TRADING_URL: z.url({ protocol: /^https?$/ }).default('https://api.alpaca.markets'),
    SIM_START: z.iso.datetime({ offset: true }).optional(),
    SIM_SPEED: z.coerce.number().positive().max(10_000).default(1),
    SIM_SEED: z.string().min(1).max(64).default('pulse'),
    TRUST_PROXY: Bool.default(false),
    TRUSTED_PROXIES: Cidrs.optional(),
    IP_ALLOW: Cidrs.optional(),
    IP_DENY: Cidrs.optional(),
    GEO_DENY: z
      .string()
      .regex(
        /^[A-Za-z]{2}(,[A-Za-z]{2})*$/,
        'a comma-separated list of ISO 3166-1 alpha-2 country codes such as KP,RU',
      )
      .transform((v) => v.toUpperCase().split(','))
      .optional(),
    BOT_DEFENCE: z.enum(['on', 'off']).default('on'),
    POW_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    POW_DIFFICULTY: z.coerce.number().int().min(8).max(24).default(14),
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
    MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(64),
    HEADERS_TIMEOUT_MS: Millis(500, 300_000).default(10_000),
    REQUEST_TIMEOUT_MS: Millis(1_000, 3_600_000).default(30_000),
    KEEP_ALIVE_TIMEOUT_MS: Millis(100, 600_000).default(10_000),
    METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
    RATE_LIMIT: z.enum(['on', 'off']).default('on'),
    PAPER_STARTING_CASH: z
      .string()
      .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a dollar amount such as 100000')
      .default('100000'),
    FIREWALL_MODE: z.enum(['block', 'detect', 'off']).default('block'),
    FIREWALL_PARANOIA: z.coerce.number().int().min(1).max(4).default(1),
    COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    SIGNUP: z.enum(['open', 'closed']).default('closed'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
      .optional(),
    SMTP_FROM: z.string().min(3).default('Pulse <pulse@localhost>'),
    PULSE_MASTER_KEY: z
      .string()
      .refine(
        (v) => Buffer.from(v.trim(), 'base64').length === 32,
        '32 bytes, base64-encoded (openssl rand -base64 32)',
      )
      .optional(),
    OIDC_PROVIDERS: OidcProviders.optional(),
    OIDC_LINK_VERIFIED_EMAIL: Bool.default(false),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    VAPID_PUBLIC_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{80,100}$/, 'a URL-safe base64 P-256 public key')
      .optional(),
    VAPID_PRIVATE_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{40,50}$/, 'a URL-safe base64 P-256 private key')
      .optional(),
    VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:\/\/)/, 'a mailto: address or an https:// URL')
      .optional(),
    NOTIFY_ALLOW_HTTP: Bool.default(false),
    NOTIFY_SLACK_ANY_URL: Bool.default(false),
    ERASURE_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
    RETENTION_SESSIONS_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
    RETENTION_DELIVERIES_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    RETENTION_VITALS_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    RETENTION_ERRORS_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    RETENTION_MONITOR_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  })
  .superRefine((env, ctx) => {
    if ((env.TLS_CERT === undefined) !== (env.TLS_KEY === undefined)) {
      const missing = env.TLS_CERT === undefined ? 'TLS_CERT' : 'TLS_KEY';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'TLS_CERT and TLS_KEY go together' });
    }
    for (const key of ['TLS_CERT', 'TLS_KEY'] as const) {
      const file = env[key];
      if (file !== undefined && !fs.existsSync(file))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `no such file; make one with \`pulse cert dev\``,
        });
    }
    if ((env.VAPID_PUBLIC_KEY === undefined) !== (env.VAPID_PRIVATE_KEY === undefined)) {
      const missing = env.VAPID_PUBLIC_KEY === undefined ? 'VAPID_PUBLIC_KEY' : 'VAPID_PRIVATE_KEY';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together',
      });
    }
    if (env.MARKET_PROVIDER === 'alpaca') {
      for (const key of ['ALPACA_KEY_ID', 'ALPACA_SECRET_KEY'] as const) {
        if (!env[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when MARKET_PROVIDER=alpaca' });
      }
    }
  })
  .transform((env) => ({
    host: env.HOST,
    port: env.PORT,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    logLevel: env.LOG_LEVEL,
    market: {
      provider: env.MARKET_PROVIDER,
      simStart: env.SIM_START === undefined ? undefined : Date.parse(env.SIM_START),
      simSpeed: env.SIM_SPEED,
      simSeed: env.SIM_SEED,
      symbols: env.MARKET_SYMBOLS?.split(','),
      recordBars: env.RECORD_BARS,
      alpaca:
        env.ALPACA_KEY_ID && env.ALPACA_SECRET_KEY
          ? {
              keyId: env.ALPACA_KEY_ID,
              secretKey: env.ALPACA_SECRET_KEY,
              feed: env.ALPACA_FEED,
              dataUrl: env.ALPACA_DATA_URL,
              streamUrl: env.ALPACA_STREAM_URL,
            }
          : undefined,
    },
    alpacaTrading: { paperUrl: env.ALPACA_PAPER_TRADING_URL, liveUrl: env.ALPACA_LIVE_TRADING_URL },
    usage: {
      alpacaRestPerMinute: env.ALPACA_REST_LIMIT,
      alpacaStreamSymbols: env.ALPACA_STREAM_SYMBOL_LIMIT,
    },
    /** Proxy CIDRs (TRUSTED_PROXIES) win over the all-or-nothing TRUST_PROXY. */
    trustProxy: env.TRUSTED_PROXIES ?? env.TRUST_PROXY,
    ipFilter: { allow: env.IP_ALLOW ?? [], deny: env.IP_DENY ?? [], denyCountries: env.GEO_DENY ?? [] },
    botDefence: { enabled: env.BOT_DEFENCE === 'on', secret: env.POW_SECRET, difficulty: env.POW_DIFFICULTY },
    tls: env.TLS_CERT && env.TLS_KEY ? { cert: env.TLS_CERT, key: env.TLS_KEY } : undefined,
    serverLimits: {
      maxConnectionsPerIp: env.MAX_CONNECTIONS_PER_IP,
      headersTimeoutMs: env.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
    },
    rateLimit: env.RATE_LIMIT,
    paperStartingCash: env.PAPER_STARTING_CASH,
    metricsToken: env.METRICS_TOKEN,
    firewall: { mode: env.FIREWALL_MODE, paranoia: env.FIREWALL_PARANOIA as 1 | 2 | 3 | 4 },
    cookieSecure: env.COOKIE_SECURE,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    dbConnectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    signup: env.SIGNUP,
    smtp: env.SMTP_URL === undefined ? undefined : { url: env.SMTP_URL, from: env.SMTP_FROM },
    masterKey: env.PULSE_MASTER_KEY,
    oidc: { providers: env.OIDC_PROVIDERS ?? [], linkVerifiedEmail: env.OIDC_LINK_VERIFIED_EMAIL },
    publicUrl: env.PUBLIC_URL,
    notify: {
      /** Unset: generated once and kept in DATA_DIR/vapid-keys.json. */
      vapid:
        env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
          ? { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY }
          : undefined,
      vapidSubject:
        env.VAPID_SUBJECT ??
        (env.PUBLIC_URL?.startsWith('https://') ? env.PUBLIC_URL : 'mailto:pulse@localhost'),
      urlPolicy: { allowHttp: env.NOTIFY_ALLOW_HTTP, slackAnyUrl: env.NOTIFY_SLACK_ANY_URL },
    },
    privacy: {
      graceDays: env.ERASURE_GRACE_DAYS,
      retention: {
        sessionsDays: env.RETENTION_SESSIONS_DAYS,
        deliveriesDays: env.RETENTION_DELIVERIES_DAYS,
        vitalsDays: env.RETENTION_VITALS_DAYS,
        errorsDays: env.RETENTION_ERRORS_DAYS,
        monitorDays: env.RETENTION_MONITOR_DAYS,
      },
      everyMs: env.RETENTION_INTERVAL_MINUTES * 60_000,
    },
  }));

/** The parsed configuration. */
export type Config = z.output<typeof ConfigSchema>;

/** A configuration that could not be parsed; `message` is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once at boot; the only reader of process.env is the caller of this. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const known = Object.keys(ConfigSchema.in.shape);
  const input = Object.fromEntries(
    known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]),
  );
  const result = ConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  if (issue?.code === 'custom' && env[name] === undefined)
    throw new ConfigError(`Missing ${name}: ${describe(issue)}`);
  throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name] ?? '')}: ${describe(issue)}`);
}

function describe(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid value';
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_type':
      return `expected a ${issue.expected}`;
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}
