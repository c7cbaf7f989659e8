import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import type { OpsRuntime } from '../ops-runtime.js';
import {
  collectingSink,
  type FlakyServer,
  sessionAs,
  sqlOpsStores,
  startFlakyServer,
} from '../testing/ops-fixtures.js';

/** An upstream goes down and comes back: the monitor waits out its retries, alerts once, resolves once. */
describe('uptime monitors: an outage and a recovery', () => {
  let database: TestDatabase;
  let t: TestApp;
  let ops: OpsRuntime;
  let admin: Record<string, string>;
  let upstream: FlakyServer;
  const sink = collectingSink();

  beforeAll(async () => {
    database = await freshPglite();
    t = await createTestApp(
      { ops: { ...sqlOpsStores(database.handle.db), sink, leaderPollMs: 60_000 } },
      { database },
    );
    ops = t.app.ops as OpsRuntime;
    await ops.start();
    admin = (await sessionAs(database.handle.db, 'admin')).headers;
    upstream = await startFlakyServer();
  });
  afterAll(async () => {
    await t.close();
    await upstream.stop().catch(() => undefined);
    await database.dispose();
  });
  afterEach(() => {
    sink.notices.length = 0;
  });

  const monitor = async (id: string) => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/v1/admin/monitors', headers: admin });
    return (
      res.json() as Array<{
        id: string;
        status: string;
        lastDetail: string | null;
        uptime: Record<string, number | null>;
      }>
    ).find((m) => m.id === id);
  };
  const history = async (id: string) =>
    (
      await t.app.http.inject({ method: 'GET', url: `/api/v1/admin/monitors/${id}/history`, headers: admin })
    ).json() as {
      results: Array<{ ok: boolean; status: string; detail: string }>;
      hourly: Array<{ checks: number; up: number; failures: number }>;
    };

  it('goes down only after its retries, alerts exactly once, and resolves exactly once when the server answers again', async () => {
    const created = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/monitors',
      headers: admin,
      payload: {
        name: 'Upstream API',
        component: 'API',
        intervalMs: 100,
        timeoutMs: 80,
        retries: 2,
        check: {
          kind: 'http',
          url: upstream.url,
          expectStatus: [200],
          keyword: 'pulse-upstream',
          json: { path: 'status', equals: 'ok' },
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    await vi.waitFor(async () => expect((await monitor(id))?.status).toBe('up'), { timeout: 5_000 });

    upstream.healthy = false;
    // First failures are retries: still up, nothing sent.
    await vi.waitFor(
      async () => expect((await history(id)).results.filter((r) => !r.ok).length).toBeGreaterThanOrEqual(1),
      { timeout: 5_000 },
    );
    const afterFirstFailure = await history(id);
    if (afterFirstFailure.results.filter((r) => !r.ok).length <= 2) {
      expect(afterFirstFailure.results[0]?.status).toBe('up');
      expect(sink.notices).toEqual([]);
    }
    await vi.waitFor(async () => expect((await monitor(id))?.status).toBe('down'), { timeout: 5_000 });
    const down = await history(id);
    // Newest first: the first 'down' result is the third failure in a row.
    const firstDown = down.results.findLastIndex((r) => r.status === 'down');
    expect(down.results.slice(firstDown, firstDown + 3).every((r) => !r.ok)).toBe(true);
    expect(down.results[firstDown]?.detail).toContain('HTTP 503');

    // The server disappears altogether: still down, still one alert.
    await upstream.stop();
    await vi.waitFor(async () => expect((await monitor(id))?.lastDetail).toContain('ECONNREFUSED'), {
      timeout: 5_000,
    });
    await upstream.restart();
    upstream.healthy = true;
    await vi.waitFor(async () => expect((await monitor(id))?.status).toBe('up'), { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(sink.notices.map((n) => [n.kind, n.channel, n.alert.key])).toEqual([
      ['firing', 'slack', `monitor:${id}`],
      ['resolved', 'slack', `monitor:${id}`],
    ]);
    expect(sink.notices[0]?.alert.summary).toMatch(/^Upstream API is down: HTTP 503/);
    const alerts = (
      await t.app.http.inject({ method: 'GET', url: '/api/v1/admin/alerts', headers: admin })
    ).json() as Array<{ status: string }>;
    expect(alerts.map((a) => a.status)).toEqual(['resolved']);

    const { hourly } = await history(id);
    const total = hourly.reduce((n, h) => n + h.checks, 0);
    expect(total).toBe((await history(id)).results.length);
    const uptime = (await monitor(id))?.uptime['24h'] ?? 0;
    expect(uptime).toBeGreaterThan(0);
    expect(uptime).toBeLessThan(1);
    await t.app.http.inject({ method: 'DELETE', url: `/api/v1/admin/monitors/${id}`, headers: admin });
  });

  it('flags a TCP port that refuses connections after the retries, and clears it when the port listens again', async () => {
    const created = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/monitors',
      headers: admin,
      payload: {
        name: 'Upstream port',
        intervalMs: 100,
        timeoutMs: 80,
        retries: 1,
        check: { kind: 'tcp', host: '127.0.0.1', port: upstream.port },
      },
    });
    const id = (created.json() as { id: string }).id;
    await vi.waitFor(async () => expect((await monitor(id))?.status).toBe('up'), { timeout: 5_000 });
    await upstream.stop();
    await vi.waitFor(async () => expect((await monitor(id))?.status).toBe('down'), { timeout: 5_000 });
    await upstream.restart();
    await vi.waitFor(async () => expect((await monitor(id))?.status).toBe('up'), { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sink.notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    await t.app.http.inject({ method: 'DELETE', url: `/api/v1/admin/monitors/${id}`, headers: admin });
  });

  it('refuses traders and anonymous callers', async () => {
    const trader = (await sessionAs(database.handle.db, 'trader')).headers;
    expect(
      (await t.app.http.inject({ method: 'GET', url: '/api/v1/admin/monitors', headers: trader })).statusCode,
    ).toBe(403);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/admin/monitors' })).statusCode).toBe(401);
    expect(
      (
        await t.app.http.inject({
          method: 'PATCH',
          url: '/api/v1/admin/monitors/nope',
          headers: admin,
          payload: { enabled: false },
        })
      ).json(),
    ).toMatchObject({
      code: 'OPS_MONITOR_NOT_FOUND',
    });
  });
});
