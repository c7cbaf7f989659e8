import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { HttpsOptions } from '../headers/index.js';

/** Limits of the Node HTTP server against slow and greedy clients. */
export interface ServerLimits {
  /** Bytes of request line plus headers; Node answers 431 past it. */
  maxHeaderBytes: number;
  /** Header fields per request; the app answers 431 past it. */
  maxHeaderCount: number;
  /** Time to receive the complete headers (slowloris); Node answers 408. */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included (slow POST). */
  requestTimeoutMs: number;
  /** Idle time of a keep-alive connection between requests. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two timeouts above. */
  connectionsCheckingIntervalMs: number;
  /** Open connections per client address; more are destroyed on arrival. */
  maxConnectionsPerIp: number;
}

/** Defaults for one node: generous for browsers, short for slowloris. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 10_000,
  connectionsCheckingIntervalMs: 1_000,
  maxConnectionsPerIp: 64,
};

/** Counters for /metrics. */
export interface ConnectionMonitor {
  readonly counters: { accepted: number; refused: number };
  /** Open connections per address right now. */
  open(address: string): number;
}

/** Options of {@link createEdgeServer}. */
export interface EdgeServerOptions {
  limits?: Partial<ServerLimits>;
  /** TLS (TLS_CERT/TLS_KEY); plain HTTP when omitted. */
  https?: HttpsOptions;
  /** Peers exempt from the per-IP connection limit (the trusted proxies: every client shares their address). */
  isExempt?: (address: string) => boolean;
}

/** Counts sockets per remote address on 'connection' and destroys those over the limit. */
export function limitConnectionsPerIp(
  server: http.Server | https.Server,
  max: number,
  isExempt: (address: string) => boolean = () => false,
): ConnectionMonitor {
  const open = new Map<string, number>();
  const counters = { accepted: 0, refused: 0 };
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (isExempt(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      counters.refused += 1;
      socket.destroy();
      return;
    }
    counters.accepted += 1;
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return { counters, open: (address) => open.get(address) ?? 0 };
}

/**
 * The Node server for Fastify's `serverFactory`: HTTP or HTTPS (TLS 1.3 only) with header size, header and request
 * timeouts, keep-alive and a per-IP connection limit applied.
 */
export function createEdgeServer(
  handler: http.RequestListener,
  options: EdgeServerOptions = {},
): { server: http.Server; connections: ConnectionMonitor; limits: ServerLimits } {
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const serverOptions: http.ServerOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
  };
  const server = options.https
    ? https.createServer({ ...serverOptions, ...options.https }, handler)
    : http.createServer(serverOptions, handler);
  // One more than allowed, so the header-count hook can tell "too many" from "exactly the limit".
  server.maxHeadersCount = limits.maxHeaderCount + 1;
  const connections = limitConnectionsPerIp(server, limits.maxConnectionsPerIp, options.isExempt);
  // https.Server has every method of http.Server that Fastify uses; Node's types just do not say so.
  return { server: server as http.Server, connections, limits };
}
