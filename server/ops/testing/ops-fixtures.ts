import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { Role } from '../../../contracts/auth.js';
import { startSession } from '../../accounts/sessions.js';
import type { Database } from '../../adapters/db/schema.js';
import { SqlMonitorStore } from '../../adapters/db/sql-monitor-store.js';
import { SqlAlertStore, SqlIncidentStore, SqlTelemetryStore } from '../../adapters/db/sql-ops-stores.js';
import { SqlSessionStore, SqlUserStore } from '../../adapters/db/sql-stores.js';
import type { AlertNotice, AlertSink } from '../alerting/alert-sink.js';
import type { OpsDeps } from '../ops-runtime.js';

/** The SQL ops stores over one database. */
export function sqlOpsStores(
  db: Kysely<Database>,
): Pick<OpsDeps, 'monitors' | 'incidents' | 'telemetry' | 'alerts'> {
  return {
    monitors: new SqlMonitorStore(db),
    incidents: new SqlIncidentStore(db),
    telemetry: new SqlTelemetryStore(db),
    alerts: new SqlAlertStore(db),
  };
}

/** An AlertSink that keeps every notice, for asserting exactly what was sent. */
export function collectingSink(): AlertSink & { notices: AlertNotice[] } {
  const notices: AlertNotice[] = [];
  return { notices, send: async (notice) => void notices.push(notice) };
}

/** A signed-in user of a role: the cookie and CSRF header to send. */
export async function sessionAs(
  db: Kysely<Database>,
  role: Role,
): Promise<{ headers: Record<string, string>; userId: string }> {
  const id = crypto.randomUUID();
  await new SqlUserStore(db).insert({
    id,
    email: `${role}-${id.slice(0, 8)}@example.com`,
    passwordHash: 'x',
    role,
  });
  const { token, session } = await startSession(
    { userId: id, userAgent: null, ip: null, now: new Date() },
    { sessions: new SqlSessionStore(db) },
  );
  return { userId: id, headers: { cookie: `pulse_session=${token}`, 'x-csrf-token': session.csrfToken } };
}

/** A real HTTP server on 127.0.0.1 whose health can be switched, and which can be stopped and restarted on its port. */
export interface FlakyServer {
  url: string;
  port: number;
  healthy: boolean;
  requests: number;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** Starts a server answering `{"status":"ok"}` when healthy and 503 `{"status":"degraded"}` otherwise. */
export async function startFlakyServer(): Promise<FlakyServer> {
  let server: http.Server;
  const state: FlakyServer = {
    url: '',
    port: 0,
    healthy: true,
    requests: 0,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    restart: async () => listen(state.port),
  };
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server = http.createServer((_request, response) => {
        state.requests += 1;
        response.writeHead(state.healthy ? 200 : 503, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ status: state.healthy ? 'ok' : 'degraded', service: 'pulse-upstream' }),
        );
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        state.port = (server.address() as AddressInfo).port;
        state.url = `http://127.0.0.1:${state.port}/health`;
        resolve();
      });
    });
  await listen(0);
  return state;
}
