import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { type BucketRule, type BucketState, takeTokens } from '../rate-limit/index.js';

/** Options of {@link limitWsMessageRate}. */
export interface WsMessageRateOptions {
  /** Per connection (default a burst of 30, then 5 a second). */
  rule?: BucketRule;
  /** Paths it applies to (default the market stream). */
  paths?: readonly string[];
  now?: () => number;
}

/** Counters for /metrics. */
export interface WsMessageRateMonitor {
  readonly counters: { closed: number };
}

/** The default budget: clients send subscriptions and pings, not streams. */
export const DEFAULT_WS_MESSAGE_RULE: BucketRule = { capacity: 30, refillPerSecond: 5 };

/**
 * Token bucket per WebSocket connection. Over budget, the client gets one error message and a close 1008 (policy
 * violation), and its later messages no longer reach the route. Attach to the `ws` server's 'connection' event,
 * which @fastify/websocket emits before the route handler runs.
 */
export function limitWsMessageRate(
  wss: { on(event: 'connection', listener: (socket: WebSocket, request: IncomingMessage) => void): unknown },
  options: WsMessageRateOptions = {},
): WsMessageRateMonitor {
  const rule = options.rule ?? DEFAULT_WS_MESSAGE_RULE;
  const paths = new Set(options.paths ?? ['/api/v1/stream']);
  const now = options.now ?? Date.now;
  const monitor = { counters: { closed: 0 } };
  wss.on('connection', (socket, request) => {
    if (!paths.has((request.url ?? '').split('?')[0] ?? '')) return;
    let state: BucketState | undefined;
    const guard = () => {
      const decision = takeTokens(state, rule, now());
      state = decision.state;
      if (decision.allowed) return;
      monitor.counters.closed += 1;
      // The route's own listener still sees this one message; none after it.
      for (const listener of socket.listeners('message'))
        if (listener !== guard) socket.off('message', listener as () => void);
      socket.off('message', guard);
      const error = { T: 'error', code: 'EDGE_RATE_LIMITED', msg: 'Too many messages on this connection.' };
      socket.send(JSON.stringify([error]));
      socket.close(1008, 'EDGE_RATE_LIMITED');
    };
    socket.on('message', guard);
  });
  return monitor;
}
