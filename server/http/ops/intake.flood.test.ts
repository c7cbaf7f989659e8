import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import type { OpsRuntime } from '../../ops/ops-runtime.js';
import { collectingSink, sessionAs, sqlOpsStores } from '../../ops/testing/ops-fixtures.js';

const browser = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0';
const errorReport = (message: string, file = 'index-B9x_1kQz.js') => ({
  release: '0.1.0',
  browser,
  route: '/markets',
  errors: [
    {
      kind: 'error',
      type: 'TypeError',
      message,
      stack: `TypeError: ${message}\n    at renderRow (https://pulse.example/assets/${file}:1:4410)`,
    },
  ],
});

/** The browser reports errors and vitals; a flood is shed without touching the trading API. */
describe('intake: browser errors and web vitals', () => {
  let database: TestDatabase;
  let t: TestApp;
  let ops: OpsRuntime;
  let admin: Record<string, string>;
  let webRoot: string;
  const sink = collectingSink();

  beforeAll(async () => {
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Pulse</title>');
    fs.writeFileSync(path.join(webRoot, 'assets', 'index-B9x_1kQz.js'), 'console.log(1)');
    fs.writeFileSync(
      path.join(webRoot, 'assets', 'index-B9x_1kQz.js.map'),
      '{"version":3,"sources":["../src/secret.ts"],"names":[],"mappings":"AAAA"}',
    );
    database = await freshPglite();
    t = await createTestApp(
      {
        webRoot,
        ops: { ...sqlOpsStores(database.handle.db), sink, intake: { capacity: 50, flushEveryMs: 50 } },
      },
      { database },
    );
    ops = t.app.ops as OpsRuntime;
    await ops.start();
    admin = (await sessionAs(database.handle.db, 'owner')).headers;
  });
  afterAll(async () => {
    await t.close();
    await database.dispose();
  });

  it('groups repeated errors by fingerprint, counts them, maps them through the hidden source map and alerts once for the new group', async () => {
    for (const message of ['row is undefined', 'row is undefined', 'row is undefined'])
      expect(
        (
          await t.app.http.inject({
            method: 'POST',
            url: '/api/v1/intake/errors',
            payload: errorReport(message),
            remoteAddress: '198.51.100.7',
          })
        ).statusCode,
      ).toBe(202);
    await ops.intake.flush();
    const groups = (
      await t.app.http.inject({ method: 'GET', url: '/api/v1/admin/errors', headers: admin })
    ).json() as Array<Record<string, unknown>>;
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      source: 'browser',
      type: 'TypeError',
      count: 3,
      route: '/markets',
      release: '0.1.0',
      browser,
    });
    expect(groups[0]?.mappedStack).toContain('src/secret.ts:1:1');
    await vi.waitFor(() =>
      expect(sink.notices.filter((n) => n.alert.ruleId === 'new-error-group')).toHaveLength(1),
    );
  });

  it('never serves the source maps themselves', async () => {
    const map = await t.app.http.inject({ method: 'GET', url: '/assets/index-B9x_1kQz.js.map' });
    expect(map.statusCode).toBe(404);
    expect(map.body).not.toContain('secret.ts');
    expect((await t.app.http.inject({ method: 'GET', url: '/assets/index-B9x_1kQz.js' })).statusCode).toBe(
      200,
    );
  });

  it('refuses reports over 16 KiB and malformed samples', async () => {
    const huge = errorReport('x'.repeat(900));
    huge.errors = Array.from({ length: 10 }, () => ({ ...huge.errors[0]!, stack: 'y'.repeat(7_000) }));
    const tooBig = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/intake/errors',
      payload: huge,
      remoteAddress: '198.51.100.8',
    });
    expect(tooBig.statusCode).toBe(413);
    const bad = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/intake/vitals',
      payload: { release: '0.1.0', samples: [{ name: 'FID', value: 10, route: '/' }] },
      remoteAddress: '198.51.100.8',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('sheds a flood with 429s and drops beyond the queue while orders and health keep answering', async () => {
    const vitals = {
      release: '0.1.0',
      browser,
      samples: [
        { name: 'LCP', value: 1800, route: '/' },
        { name: 'CLS', value: 0.02, route: '/' },
      ],
    };
    const codes = new Map<number, number>();
    const flood = Array.from({ length: 200 }, (_, i) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/v1/intake/vitals',
        payload: vitals,
        remoteAddress: `203.0.113.${i % 4}`,
      }),
    );
    const health = t.app.http.inject({ method: 'GET', url: '/healthz' });
    for (const res of await Promise.all(flood))
      codes.set(res.statusCode, (codes.get(res.statusCode) ?? 0) + 1);
    expect((await health).statusCode).toBe(200);
    // Four clients with a burst of 30 each: 120 admitted at most, the rest refused per client.
    expect(codes.get(429)).toBeGreaterThanOrEqual(80);
    const admitted = (codes.get(202) ?? 0) + (codes.get(503) ?? 0);
    expect(admitted).toBeLessThanOrEqual(120);
    expect(ops.intake.depth).toBeLessThanOrEqual(50);
    await ops.intake.flush();
    const metrics = await t.app.http.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/pulse_intake_dropped_total\{kind="vital"\} [1-9]\d*/);
    const p75 = (
      await t.app.http.inject({ method: 'GET', url: '/api/v1/admin/vitals', headers: admin })
    ).json() as Array<{ route: string; name: string; p75: number }>;
    expect(p75).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route: '/', name: 'LCP', p75: 1800 }),
        expect.objectContaining({ route: '/', name: 'CLS', p75: 0.02 }),
      ]),
    );
  });

  it("records the error handler's unexpected errors as server error groups", async () => {
    const stores = sqlOpsStores(database.handle.db);
    const broken = {
      ...stores.incidents,
      recent: async () => Promise.reject(new Error('incident table exploded at row 42')),
    };
    const other = await createTestApp({ ops: { ...stores, incidents: broken, sink } }, { database });
    try {
      const res = await other.app.http.inject({
        method: 'GET',
        url: '/api/v1/admin/incidents',
        headers: admin,
      });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('exploded');
      await other.app.ops?.intake.flush();
    } finally {
      await other.close();
    }
    const groups = (
      await t.app.http.inject({ method: 'GET', url: '/api/v1/admin/errors', headers: admin })
    ).json() as Array<Record<string, unknown>>;
    expect(groups.find((g) => g.source === 'server')).toMatchObject({
      type: 'Error',
      message: 'incident table exploded at row 42',
      route: '/api/v1/admin/incidents',
    });
  });
});
