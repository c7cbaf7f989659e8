import { z } from 'zod';

const Id = z.string().min(1).max(64);
const Name = z.string().trim().min(1).max(120);

/** An HTTP(S) check: status, body keyword, a JSON field, latency and (https) certificate expiry. */
export type HttpCheck = z.infer<typeof HttpCheck>;
export const HttpCheck = z.object({
  kind: z.literal('http'),
  url: z.url({ protocol: /^https?$/ }).max(2_000),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  /** Accepted status codes; empty means any 2xx. */
  expectStatus: z.array(z.number().int().min(100).max(599)).max(20).default([]),
  keyword: z.string().min(1).max(200).optional(),
  /** A dot path into the JSON body (`data.status`) and the value it must equal. */
  json: z
    .object({
      path: z.string().min(1).max(200),
      equals: z.union([z.string(), z.number(), z.boolean(), z.null()]),
    })
    .optional(),
  /** Slower than this is a failure. */
  maxLatencyMs: z.number().int().min(1).max(120_000).optional(),
  /** https: fail when the certificate expires in fewer days than this. */
  certMinDays: z.number().int().min(0).max(3_650).optional(),
  /** https: check a self-signed or private-CA certificate without verifying the chain. */
  verifyTls: z.boolean().default(true),
});

/** A TCP connect check. */
export type TcpCheck = z.infer<typeof TcpCheck>;
export const TcpCheck = z.object({
  kind: z.literal('tcp'),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
});

/** Market feed staleness per symbol, checked only while the market is in the given phases. */
export type FeedStalenessCheck = z.infer<typeof FeedStalenessCheck>;
export const FeedStalenessCheck = z.object({
  kind: z.literal('feed_staleness'),
  symbols: z
    .array(z.string().regex(/^[A-Z][A-Z0-9.]{0,9}$/))
    .min(1)
    .max(50),
  maxAgeMs: z.number().int().min(1_000).max(86_400_000),
  phases: z
    .array(z.enum(['pre', 'regular', 'post']))
    .min(1)
    .default(['regular']),
});

/** The market feed is connected. */
export const FeedConnectedCheck = z.object({ kind: z.literal('feed_connected') });

/** A named in-process heartbeat (e.g. the signals engine) beat within `maxAgeMs`. */
export type HeartbeatCheck = z.infer<typeof HeartbeatCheck>;
export const HeartbeatCheck = z.object({
  kind: z.literal('heartbeat'),
  source: z.string().min(1).max(64),
  maxAgeMs: z.number().int().min(1_000).max(86_400_000),
});

/** What a monitor checks. */
export const MonitorCheck = z.discriminatedUnion('kind', [
  HttpCheck,
  TcpCheck,
  FeedStalenessCheck,
  FeedConnectedCheck,
  HeartbeatCheck,
]);
export type MonitorCheck = z.infer<typeof MonitorCheck>;

/** The monitor's state: pending until its first result, down only after `retries` further failures. */
export const MonitorStatus = z.enum(['pending', 'up', 'down', 'paused']);
export type MonitorStatus = z.infer<typeof MonitorStatus>;

/** POST /api/v1/admin/monitors. */
export const CreateMonitorBody = z.object({
  name: Name,
  check: MonitorCheck,
  intervalMs: z.number().int().min(100).max(86_400_000).default(60_000),
  timeoutMs: z.number().int().min(50).max(60_000).default(10_000),
  /** Failed checks after the first before the monitor is down. */
  retries: z.number().int().min(0).max(20).default(2),
  enabled: z.boolean().default(true),
  /** Shown on the public status page under this component name; hidden when omitted. */
  component: z.string().trim().min(1).max(80).optional(),
});
export type CreateMonitorBody = z.input<typeof CreateMonitorBody>;

/** PATCH /api/v1/admin/monitors/:id. */
export const UpdateMonitorBody = z
  .object({
    name: Name,
    check: MonitorCheck,
    intervalMs: z.number().int().min(100).max(86_400_000),
    timeoutMs: z.number().int().min(50).max(60_000),
    retries: z.number().int().min(0).max(20),
    enabled: z.boolean(),
    component: z.string().trim().min(1).max(80).nullable(),
  })
  .partial();
export type UpdateMonitorBody = z.infer<typeof UpdateMonitorBody>;

/** Uptime fractions (0..1, null when no checks) over the standard windows. */
export const Uptime = z.object({
  '24h': z.number().nullable(),
  '7d': z.number().nullable(),
  '30d': z.number().nullable(),
  '90d': z.number().nullable(),
});
export type Uptime = z.infer<typeof Uptime>;

/** A monitor as the admin API shows it. */
export const Monitor = z.object({
  id: Id,
  name: z.string(),
  check: MonitorCheck,
  intervalMs: z.number(),
  timeoutMs: z.number(),
  retries: z.number(),
  enabled: z.boolean(),
  component: z.string().nullable(),
  status: MonitorStatus,
  lastCheckedAt: z.string().nullable(),
  lastChangeAt: z.string().nullable(),
  lastDetail: z.string().nullable(),
  uptime: Uptime,
});
export type Monitor = z.infer<typeof Monitor>;

/** One check result. */
export const CheckResult = z.object({
  at: z.string(),
  ok: z.boolean(),
  latencyMs: z.number().nullable(),
  detail: z.string().nullable(),
  status: MonitorStatus,
});
export type CheckResult = z.infer<typeof CheckResult>;

/** GET /api/v1/admin/monitors/:id/history: raw results (last 48 h) and hourly rollups. */
export const MonitorHistory = z.object({
  results: z.array(CheckResult),
  hourly: z.array(
    z.object({
      hour: z.string(),
      checks: z.number(),
      up: z.number(),
      failures: z.number(),
      avgLatencyMs: z.number().nullable(),
    }),
  ),
});
export type MonitorHistory = z.infer<typeof MonitorHistory>;

export const IncidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export const IncidentImpact = z.enum(['none', 'minor', 'major', 'critical']);

/** POST /api/v1/admin/incidents: an incident, or a scheduled maintenance window with startsAt/endsAt. */
export const CreateIncidentBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    kind: z.enum(['incident', 'maintenance']).default('incident'),
    impact: IncidentImpact.default('minor'),
    components: z.array(z.string().trim().min(1).max(80)).max(20).default([]),
    message: z.string().trim().min(1).max(4_000),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => b.kind === 'incident' || (b.startsAt !== undefined && b.endsAt !== undefined), {
    message: 'maintenance needs startsAt and endsAt',
    path: ['startsAt'],
  })
  .refine((b) => b.startsAt === undefined || b.endsAt === undefined || b.startsAt < b.endsAt, {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });
export type CreateIncidentBody = z.input<typeof CreateIncidentBody>;

/** POST /api/v1/admin/incidents/:id/updates. */
export const IncidentUpdateBody = z.object({
  status: IncidentStatus,
  message: z.string().trim().min(1).max(4_000),
});

/** An incident or maintenance window with its updates, newest update first. */
export const Incident = z.object({
  id: Id,
  title: z.string(),
  kind: z.enum(['incident', 'maintenance']),
  impact: IncidentImpact,
  status: IncidentStatus,
  components: z.array(z.string()),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  updates: z.array(z.object({ at: z.string(), status: IncidentStatus, message: z.string() })),
});
export type Incident = z.infer<typeof Incident>;

/** One day of a component's 90-day uptime bar. */
export const UptimeDay = z.object({ day: z.string(), uptime: z.number().nullable() });

/** GET /api/v1/status: the public status page as JSON. */
export const StatusPage = z.object({
  status: z.enum(['operational', 'degraded', 'outage', 'maintenance']),
  generatedAt: z.string(),
  components: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['operational', 'degraded', 'outage', 'maintenance', 'unknown']),
      uptime90d: z.number().nullable(),
      days: z.array(UptimeDay),
    }),
  ),
  incidents: z.array(Incident),
  maintenance: z.array(Incident),
});
export type StatusPage = z.infer<typeof StatusPage>;

const Short = (max: number) => z.string().max(max);

/** One web-vitals sample from a browser. */
export const VitalSample = z.object({
  name: z.enum(['LCP', 'INP', 'CLS', 'TTFB', 'FCP']),
  value: z.number().min(0).max(600_000),
  rating: z.enum(['good', 'needs-improvement', 'poor']).optional(),
  route: Short(200),
});

/** POST /api/v1/intake/vitals: a batch of samples of one page view. */
export const VitalsReport = z.object({
  release: Short(64),
  browser: Short(200).optional(),
  samples: z.array(VitalSample).min(1).max(20),
});
export type VitalsReport = z.infer<typeof VitalsReport>;

/** POST /api/v1/intake/errors: uncaught errors and rejections. */
export const ErrorReport = z.object({
  release: Short(64),
  browser: Short(200).optional(),
  route: Short(200),
  errors: z
    .array(
      z.object({
        kind: z.enum(['error', 'unhandledrejection']),
        type: Short(100),
        message: Short(1_000),
        stack: Short(8_000).optional(),
      }),
    )
    .min(1)
    .max(10),
});
export type ErrorReport = z.infer<typeof ErrorReport>;

/** An error group: one fingerprint, counted, with its latest sample mapped through source maps. */
export const ErrorGroup = z.object({
  fingerprint: z.string(),
  source: z.enum(['browser', 'server']),
  type: z.string(),
  message: z.string(),
  count: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  release: z.string().nullable(),
  route: z.string().nullable(),
  browser: z.string().nullable(),
  stack: z.string().nullable(),
  mappedStack: z.string().nullable(),
});
export type ErrorGroup = z.infer<typeof ErrorGroup>;

/** p75 of each vital per route over the last days. */
export const VitalsSummary = z.array(
  z.object({ route: z.string(), name: VitalSample.shape.name, p75: z.number(), samples: z.number() }),
);
export type VitalsSummary = z.infer<typeof VitalsSummary>;

export const AlertSeverity = z.enum(['info', 'warning', 'critical']);

/** An alert as the admin API lists it. */
export const Alert = z.object({
  id: Id,
  ruleId: z.string(),
  key: z.string(),
  severity: AlertSeverity,
  status: z.enum(['firing', 'resolved']),
  summary: z.string(),
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
  ackedAt: z.string().nullable(),
  ackedBy: z.string().nullable(),
  escalationLevel: z.number(),
  notifications: z.number(),
  suppressed: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;

/** A firewall event as the admin view lists it. */
export const FirewallEventView = z.object({
  at: z.string(),
  requestId: z.string().optional(),
  ip: z.string().optional(),
  method: z.string().optional(),
  path: z.string().optional(),
  score: z.number().optional(),
  action: z.string().optional(),
  rules: z.array(z.string()).optional(),
});

/** What a usage budget limits: Alpaca calls per rolling minute, stream symbols, storage, and daily counts (UTC days). */
export const UsageMetric = z.enum([
  'alpaca_data_rest_per_minute',
  'alpaca_trading_rest_per_minute',
  'alpaca_stream_symbols',
  'database_mb',
  'files_mb',
  'orders_per_day',
  'signals_per_day',
  'signups_per_day',
]);
export type UsageMetric = z.infer<typeof UsageMetric>;

/** A budget with its current use: `warning` from `warnAt` of the limit (an alert fires), `over` at the limit. */
export const UsageBudget = z.object({
  metric: UsageMetric,
  limit: z.number().nullable(),
  warnAt: z.number(),
  used: z.number(),
  ratio: z.number().nullable(),
  state: z.enum(['none', 'ok', 'warning', 'over']),
  /** `default` comes from the configuration (Alpaca's limits); `custom` was set by an admin. */
  source: z.enum(['default', 'custom']),
});
export type UsageBudget = z.infer<typeof UsageBudget>;

const Count = z.number().int().min(0);

/** One UTC day of business activity. */
export const UsageDay = z.object({ day: z.string(), signups: Count, orders: Count, signalsFired: Count });
export type UsageDay = z.infer<typeof UsageDay>;

/** GET /api/v1/admin/usage: business metrics, upstream API use, storage and budgets. */
export const UsageReport = z.object({
  at: z.string(),
  business: z.object({
    users: Count,
    /** Distinct users whose sessions were seen in the window. */
    activeUsers: z.object({ '24h': Count, '7d': Count, '30d': Count }),
    today: z.object({ signups: Count, orders: Count, signalsFired: Count }),
    /** The last 30 UTC days, oldest first. */
    days: UsageDay.array(),
  }),
  upstream: z.object({
    provider: z.string(),
    restPerMinuteLimit: Count,
    streamSymbolLimit: Count,
    apis: z.array(
      z.object({
        api: z.enum(['alpaca_data', 'alpaca_trading']),
        callsLastMinute: Count,
        callsTotal: Count,
      }),
    ),
    streamSymbols: Count,
  }),
  storage: z.object({
    tables: z.array(z.object({ table: z.string(), bytes: Count })),
    databaseBytes: Count,
    filesBytes: Count,
    /** True when DATA_DIR held more entries than are walked (the size is then a lower bound). */
    filesTruncated: z.boolean(),
  }),
  budgets: UsageBudget.array(),
});
export type UsageReport = z.infer<typeof UsageReport>;

/** PUT /api/v1/admin/usage/budgets: set budgets; `limit: null` turns one off. */
export const PutUsageBudgetsBody = z.strictObject({
  budgets: z
    .array(
      z.strictObject({
        metric: UsageMetric,
        limit: z.number().positive().max(1e12).nullable(),
        warnAt: z.number().min(0.05).max(1).default(0.8),
      }),
    )
    .min(1)
    .max(20)
    .refine((list) => new Set(list.map((b) => b.metric)).size === list.length, 'each metric at most once'),
});
export type PutUsageBudgetsBody = z.input<typeof PutUsageBudgetsBody>;
