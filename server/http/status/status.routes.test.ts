import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { sessionAs, sqlOpsStores } from '../../ops/testing/ops-fixtures.js';
import { SqlMonitorStore } from '../../adapters/db/sql-monitor-store.js';

const HOUR = 3_600_000;

describe('statusRoutes', () => {
  let database: TestDatabase;
  let t: TestApp;
  let admin: Record<string, string>;
  const now = new Date('2024-06-20T12:30:00Z');

  beforeAll(async () => {
    database = await freshPglite();
    t = await createTestApp({ now: () => now, ops: sqlOpsStores(database.handle.db) }, { database });
    admin = (await sessionAs(database.handle.db, 'admin')).headers;
    // Two days of history from the rollups: yesterday 1 of 4 checks down, today all up.
    const store = new SqlMonitorStore(database.handle.db);
    const base = {
      check: { kind: 'feed_connected' as const },
      intervalMs: 60_000,
      timeoutMs: 5_000,
      retries: 1,
      enabled: true,
      failures: 0,
      lastCheckedAt: null,
      lastChangeAt: null,
      lastDetail: null,
    };
    await store.insert({
      ...base,
      id: 'm-api',
      name: 'API health',
      component: 'Trading API',
      status: 'pending',
    });
    const record = (at: number, ok: boolean, status: 'up' | 'down') =>
      store.record({
        monitorId: 'm-api',
        at: new Date(at),
        ok,
        latencyMs: 12,
        detail: ok ? 'ok' : 'HTTP 503',
        status,
        failures: ok ? 0 : 2,
        changed: false,
      });
    const yesterday = Date.parse('2024-06-19T10:00:00Z');
    await record(yesterday, true, 'up');
    await record(yesterday + 60_000, false, 'down');
    await record(yesterday + 2 * HOUR, true, 'up');
    await record(yesterday + 3 * HOUR, true, 'up');
    await record(now.getTime() - 60_000, true, 'up');
  });
  afterAll(async () => {
    await t.close();
    await database.dispose();
  });

  it('shows components, 90-day bars, incidents with updates and maintenance to anyone, without script or inline style', async () => {
    const posted = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/incidents',
      headers: admin,
      payload: {
        title: 'Order placement <slow>',
        impact: 'minor',
        components: ['Trading API'],
        message: 'Orders take 3 s to acknowledge.',
      },
    });
    expect(posted.statusCode).toBe(201);
    const id = (posted.json() as { id: string }).id;
    await t.app.http.inject({
      method: 'POST',
      url: `/api/v1/admin/incidents/${id}/updates`,
      headers: admin,
      payload: { status: 'identified', message: 'A slow index on fills.' },
    });
    await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/incidents',
      headers: admin,
      payload: {
        title: 'Database upgrade',
        kind: 'maintenance',
        impact: 'none',
        components: ['Trading API'],
        message: 'PostgreSQL 16.',
        startsAt: '2024-06-22T02:00:00Z',
        endsAt: '2024-06-22T03:00:00Z',
      },
    });

    const json = (await t.app.http.inject({ method: 'GET', url: '/api/v1/status' })).json() as {
      status: string;
      components: Array<{
        name: string;
        status: string;
        uptime90d: number;
        days: Array<{ day: string; uptime: number | null }>;
      }>;
      incidents: Array<{ status: string; updates: unknown[] }>;
      maintenance: Array<{ title: string }>;
    };
    expect(json.status).toBe('degraded');
    const api = json.components[0];
    expect(api).toMatchObject({ name: 'Trading API', status: 'degraded', uptime90d: 0.8 });
    expect(api?.days).toHaveLength(90);
    expect(api?.days.at(-2)).toEqual({ day: '2024-06-19', uptime: 0.75 });
    expect(api?.days.at(-1)).toEqual({ day: '2024-06-20', uptime: 1 });
    expect(json.incidents[0]).toMatchObject({ status: 'identified' });
    expect(json.incidents[0]?.updates).toHaveLength(2);
    expect(json.maintenance.map((m) => m.title)).toEqual(['Database upgrade']);

    const page = await t.app.http.inject({ method: 'GET', url: '/status' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(page.body).toContain('Order placement &lt;slow&gt;');
    expect(page.body).toContain('A slow index on fills.');
    expect(page.body).toContain('Scheduled maintenance');
    expect(page.body).toContain('2024-06-19: 75.00 %');
    expect(page.body).not.toMatch(/<script|style=|<style/i);
    const css = await t.app.http.inject({ method: 'GET', url: '/status.css' });
    expect(css.headers['content-type']).toContain('text/css');

    await t.app.http.inject({
      method: 'POST',
      url: `/api/v1/admin/incidents/${id}/resolve`,
      headers: admin,
      payload: { message: 'Index rebuilt.' },
    });
    const after = (await t.app.http.inject({ method: 'GET', url: '/api/v1/status' })).json() as {
      status: string;
      components: Array<{ status: string }>;
    };
    expect(after.status).toBe('operational');
    expect(after.components[0]?.status).toBe('operational');
  });

  it('keeps posting incidents to admins', async () => {
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/incidents',
      payload: { title: 'x', message: 'y' },
    });
    expect(res.statusCode).toBe(401);
  });
});
