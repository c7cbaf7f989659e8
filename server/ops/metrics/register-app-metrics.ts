import type { FastifyInstance } from 'fastify';
import type { LiveMarket } from '../../market/live-market.js';
import type { StreamGateway } from '../../ws/stream-gateway.js';
import type { PulseMetrics } from './metrics.js';

/** Gauges and totals over the live components, read at scrape time. */
export function registerAppMetrics(
  metrics: PulseMetrics,
  parts: { app: FastifyInstance; gateway: StreamGateway; live: LiveMarket },
): void {
  const { app, gateway, live } = parts;
  metrics.gauge('ws_clients', 'Connected WebSocket clients.', () => gateway.clientCount);
  metrics.gauge('ws_queued_messages', 'Messages waiting in client queues.', () => gateway.queuedMessages());
  metrics.total('ws_frames_sent', 'WebSocket frames sent.', () => gateway.stats.framesSent);
  metrics.total('ws_messages_sent', 'Messages sent inside frames.', () => gateway.stats.messagesSent);
  metrics.total(
    'ws_messages_conflated',
    'Quotes and forming bars replaced by a newer one before sending.',
    () => gateway.stats.conflated,
  );
  metrics.total(
    'ws_resyncs',
    'Clients told to resync because they fell too far behind.',
    () => gateway.stats.resyncs,
  );
  metrics.labelled(
    'market_feed_connected',
    'Whether the market feed is connected (1) or not (0).',
    ['source'],
    () => [[{ source: live.source }, live.isConnected() ? 1 : 0]],
  );
  metrics.gauge(
    'market_feed_last_message_age_seconds',
    'Seconds since the feed last delivered anything.',
    () => {
      const age = live.lastEventAgeMs(Date.now());
      return Number.isFinite(age) ? age / 1000 : -1;
    },
  );
  if (app.hasDecorator('firewall')) {
    metrics.total(
      'firewall_inspected',
      'Requests the firewall inspected.',
      () => app.firewall.counters.inspected,
    );
    metrics.total('firewall_blocked', 'Requests the firewall blocked.', () => app.firewall.counters.blocked);
    metrics.total(
      'firewall_remembered',
      'Requests judged with what their connection remembered (a bodiless verdict or a judged head).',
      () => app.firewall.counters.remembered,
    );
    metrics.labelled('firewall_rule_matches', 'Matches per firewall rule since start.', ['rule'], () =>
      Object.entries(app.firewall.counters.byRule).map(([rule, n]) => [{ rule }, n]),
    );
  }
  if (app.hasDecorator('rateLimit')) {
    metrics.total(
      'rate_limit_checked',
      'Requests checked against rate limits.',
      () => app.rateLimit.counters.checked,
    );
    metrics.labelled(
      'rate_limited',
      'Requests refused with 429, per route class, since start.',
      ['class'],
      () => Object.entries(app.rateLimit.counters.byClass).map(([c, n]) => [{ class: c }, n]),
    );
  }
}
