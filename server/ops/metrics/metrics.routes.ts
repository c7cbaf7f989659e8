import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { PulseMetrics } from './metrics.js';

export interface MetricsRoutesOptions {
  metrics: PulseMetrics;
  /** Bearer token that non-loopback scrapers must send; without it only loopback may scrape. */
  token?: string | undefined;
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');
}

function tokenMatches(expected: string, header: string | undefined): boolean {
  const presented = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(presented).digest();
  return crypto.timingSafeEqual(a, b) && presented.length > 0;
}

/**
 * Records every request's route, status and latency, and serves Prometheus' text format at
 * /metrics: open to loopback scrapers, others need `Authorization: Bearer METRICS_TOKEN`.
 */
const plugin: FastifyPluginAsync<MetricsRoutesOptions> = async (app, options) => {
  const { metrics } = options;
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids and query strings would explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    // Literals, not `{ ...labels, status }`: a spread copy given a new field gets a hidden class of its own.
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const allowed = options.token
      ? tokenMatches(options.token, request.headers.authorization) ||
        isLoopback(request.socket.remoteAddress ?? '')
      : isLoopback(request.socket.remoteAddress ?? '');
    if (!allowed) {
      return reply.code(401).send({
        code: 'AUTH_REQUIRED',
        message: 'Scrape /metrics from loopback, or send Authorization: Bearer METRICS_TOKEN.',
        requestId: request.id,
      });
    }
    reply.header('Cache-Control', 'no-store');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};

/** Not encapsulated: the timing hook must see every route of the app. */
export const metricsRoutes = fp(plugin, { name: 'pulse-metrics', fastify: '5.x' });
