import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '../../../contracts/errors.js';
import { AppError } from '../../errors.js';
import { takeTokens, type BucketRule, type BucketState } from '../rate-limit/index.js';
import { type CspViolation, parseCspReports } from './csp-reports.js';

/** Options of the CSP report intake. */
export interface CspReportOptions {
  /** Reports kept in the ring (default 200). */
  capacity?: number;
  /** Per-IP budget (default a burst of 20, then one a second). */
  rate?: BucketRule;
  now?: () => number;
}

/** Counters and recent reports, decorated as `app.cspReports` for /metrics and the admin view. */
export interface CspReportMonitor {
  readonly counters: { received: number; refused: number; byDirective: Record<string, number> };
  /** Newest last. */
  recent(): CspViolation[];
}

declare module 'fastify' {
  interface FastifyInstance {
    cspReports: CspReportMonitor;
  }
}

/** The two report media types; the firewall's allowed list must include them. */
export const CSP_REPORT_TYPES = ['application/csp-report', 'application/reports+json'] as const;
const BODY_LIMIT = 16 * 1024;

/**
 * Reports quote the offending code (`script-sample`) and the whole policy: the firewall must not read them as
 * attacks. The intake only stores bounded strings and never renders them, so its body is exempt. (The firewall
 * reads `application/csp-report` as one raw `body` field, `application/reports+json` as JSON fields.)
 */
export const CSP_REPORT_EXCLUSIONS = [
  { route: 'POST /api/v1/csp-report', field: 'body', skip: ['*'] },
  { route: 'POST /api/v1/csp-report', field: 'body.csp-report.*', skip: ['*'] },
  { route: 'POST /api/v1/csp-report', field: 'body[*].*', skip: ['*'] },
  { route: 'POST /api/v1/csp-report', field: 'body[*].body.*', skip: ['*'] },
] as const;

function ring<T>(capacity: number) {
  const items: T[] = [];
  let next = 0;
  return {
    push(item: T) {
      if (items.length < capacity) items.push(item);
      else items[next] = item;
      next = (next + 1) % capacity;
    },
    list: () => (items.length < capacity ? [...items] : [...items.slice(next), ...items.slice(0, next)]),
  };
}

const plugin: FastifyPluginAsync<CspReportOptions> = async (app: FastifyInstance, options) => {
  const now = options.now ?? Date.now;
  const rate = options.rate ?? { capacity: 20, refillPerSecond: 1 };
  const reports = ring<CspViolation>(options.capacity ?? 200);
  const buckets = new Map<string, BucketState>();
  const monitor: CspReportMonitor = {
    counters: { received: 0, refused: 0, byDirective: {} },
    recent: reports.list,
  };
  app.decorate('cspReports', monitor);

  // Encapsulated, so the two report media types are parsed here only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      [...CSP_REPORT_TYPES],
      { parseAs: 'string', bodyLimit: BODY_LIMIT },
      (_request, body, done) => {
        try {
          done(null, JSON.parse(body as string));
        } catch {
          done(new AppError('REQUEST_MALFORMED_BODY', 'The report is not JSON.'), undefined);
        }
      },
    );
    scope.post(
      '/api/v1/csp-report',
      {
        bodyLimit: BODY_LIMIT,
        // Reports are anonymous and change nothing a user owns: the browser's cookies are dropped, so neither
        // the session nor its CSRF check applies (browsers cannot add an x-csrf-token header to a report).
        onRequest: async (request) => {
          delete request.headers.cookie;
          request.cookies = {};
        },
        schema: { tags: ['ops'], summary: 'Intake for browser CSP violation reports', hide: true },
      },
      async (request, reply) => {
        const at = now();
        const decision = takeTokens(buckets.get(request.ip), rate, at);
        buckets.delete(request.ip);
        buckets.set(request.ip, decision.state);
        if (buckets.size > 10_000) buckets.delete(buckets.keys().next().value ?? '');
        if (!decision.allowed) {
          monitor.counters.refused += 1;
          const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
          const body: ErrorBody = {
            code: 'EDGE_RATE_LIMITED',
            message: `Too many reports; retry in ${retryAfter} s.`,
            requestId: request.id,
          };
          return reply.code(429).header('retry-after', retryAfter).send(body);
        }
        const violations = parseCspReports(request.body, new Date(at).toISOString());
        if (violations === undefined)
          throw new AppError('REQUEST_VALIDATION_FAILED', 'body: not a CSP report');
        for (const violation of violations) {
          monitor.counters.received += 1;
          const key = violation.directive || 'unknown';
          monitor.counters.byDirective[key] = (monitor.counters.byDirective[key] ?? 0) + 1;
          reports.push(violation);
        }
        if (violations.length > 0)
          request.log.info({ csp: violations[0], count: violations.length }, 'csp violation reported');
        return reply.code(204).send();
      },
    );
  });
};

/** Fastify plugin: POST /api/v1/csp-report stores violation reports (both formats) in a bounded ring, counted and rate-limited. */
export const cspReportRoutes = fp(plugin, { name: 'pulse-csp-report', fastify: '5.x' });
