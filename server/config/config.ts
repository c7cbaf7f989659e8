import path from 'node:path';
import { z } from 'zod';

const Port = z.coerce.number().int().min(0).max(65535);
const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

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
    SIM_START: z.iso.datetime({ offset: true }).optional(),
    SIM_SPEED: z.coerce.number().positive().max(10_000).default(1),
    SIM_SEED: z.string().min(1).max(64).default('pulse'),
    TRUST_PROXY: Bool.default(false),
    METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
    RATE_LIMIT: z.enum(['on', 'off']).default('on'),
    FIREWALL_MODE: z.enum(['block', 'detect', 'off']).default('block'),
    FIREWALL_PARANOIA: z.coerce.number().int().min(1).max(4).default(1),
    COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  })
  .superRefine((env, ctx) => {
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
    trustProxy: env.TRUST_PROXY,
    rateLimit: env.RATE_LIMIT,
    metricsToken: env.METRICS_TOKEN,
    firewall: { mode: env.FIREWALL_MODE, paranoia: env.FIREWALL_PARANOIA as 1 | 2 | 3 | 4 },
    cookieSecure: env.COOKIE_SECURE,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    dbConnectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
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
