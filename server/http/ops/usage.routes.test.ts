import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageReport } from '../../../contracts/ops.js';
import { ordersOf } from '../../../core/testing/trading-fixtures.js';
import { SqlNotifyStore } from '../../adapters/db/sql-notify-store.js';
import { SqlTradingStore } from '../../adapters/db/sql-trading-store.js';
import { SqlUsageStore } from '../../adapters/db/sql-usage-store.js';
import { SlackSender } from '../../adapters/notify/index.js';
import { Money } from '../../../core/kernel/index.js';
import { fillModel, riskLimits } from '../../../core/trading/index.js';
import { Notifier } from '../../notify/notifier.js';
import { notificationSink } from '../../notify/notification-sink.js';
import { notifyAlertSink } from '../../ops/alerting/notify-alert-sink.js';
import { collectingSink, sessionAs, sqlOpsStores } from '../../ops/testing/ops-fixtures.js';
import { RollingUsageMeter } from '../../ops/usage/usage-meter.js';
import { UsageService } from '../../ops/usage/usage-service.js';
import { ENGINES, type TestDatabase } from '../../testing/databases.js';
import { type HttpReceiver, startHttpReceiver } from '../../testing/notify-receivers.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

const DAY_MS = 86_400_000;

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(ENGINES)('usage and cost on %s', (_engine, open) => {
  let database: TestDatabase;
  let t: TestApp;
  let meterNow: number;
  let meter: RollingUsageMeter;
  let dataDir: string;
  let receiver: HttpReceiver;
  let notifier: Notifier;
  let owner: { headers: Record<string, string>; userId: string };

  const get = async () => {
    const res = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/admin/usage',
      headers: owner.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return UsageReport.parse(res.json());
  };
  const put = (budgets: unknown[]) =>
    t.app.http.inject({
      method: 'PUT',
      url: '/api/v1/admin/usage/budgets',
      headers: owner.headers,
      payload: { budgets },
    });
  const bytesOf = (report: UsageReport, table: string) =>
    report.storage.tables.find((x) => x.table === table)?.bytes ?? -1;

  beforeAll(async () => {
    database = await open();
    const db = database.handle.db;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-usage-'));
    fs.mkdirSync(path.join(dataDir, 'nested'));
    fs.writeFileSync(path.join(dataDir, 'a.bin'), Buffer.alloc(10_000));
    fs.writeFileSync(path.join(dataDir, 'nested', 'b.bin'), Buffer.alloc(2_345));
    meterNow = Date.now();
    meter = new RollingUsageMeter(() => meterNow);
    receiver = await startHttpReceiver();
    const notifyStore = new SqlNotifyStore(db);
    notifier = new Notifier({
      store: notifyStore,
      senders: { slack: new SlackSender() },
      timeoutMs: 2_000,
      backoff: { baseMs: 10, maxMs: 20 },
      maxAttempts: 2,
    });
    await notifier.start();
    owner = await sessionAs(db, 'owner');
    const slackId = crypto.randomUUID();
    await notifyStore.insertChannel({
      id: slackId,
      userId: owner.userId,
      name: 'ops slack',
      enabled: true,
      config: { type: 'slack', url: `${receiver.url}/slack` },
      createdAt: new Date(),
    });
    t = await createTestApp(
      {
        ops: {
          ...sqlOpsStores(db),
          sink: notifyAlertSink(
            notificationSink(notifier),
            {
              userIds: async () => [owner.userId],
              channelIds: async (_u, type) => (type === 'slack' ? [slackId] : []),
            },
            collectingSink(),
          ),
          usage: new UsageService({
            store: new SqlUsageStore(db),
            meter,
            provider: 'alpaca',
            limits: { restPerMinute: 200, streamSymbols: 30 },
            dataDir,
          }),
          alertTickMs: 3_600_000,
        },
      },
      { database },
    );
    await t.app.ops?.start();
  });
  afterAll(async () => {
    await t?.close();
    await notifier?.stop();
    await receiver?.close();
    await database?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is for owners and admins only', async () => {
    const trader = await sessionAs(database.handle.db, 'trader');
    const res = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/admin/usage',
      headers: trader.headers,
    });
    expect(res.statusCode).toBe(403);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/admin/usage' })).statusCode).toBe(401);
    await sql`delete from users where id = ${trader.userId}`.execute(database.handle.db);
  });

  it('counts sign-ups, active users, orders and signals fired from the database', async () => {
    const db = database.handle.db;
    const before = await get();
    expect(before.business.users).toBe(1);
    expect(before.business.days).toHaveLength(30);
    expect(before.business.days.at(-1)?.day).toBe(new Date().toISOString().slice(0, 10));

    const users = [];
    for (let i = 0; i < 3; i += 1) users.push(await sessionAs(db, 'trader'));
    // A fourth user, signed up 40 days ago and last seen 10 days ago: active in 30 d only, not a sign-up of the window.
    const old = await sessionAs(db, 'viewer');
    await sql`update users set created_at = ${new Date(Date.now() - 40 * DAY_MS)} where id = ${old.userId}`.execute(
      db,
    );
    await sql`update sessions set last_seen_at = ${new Date(Date.now() - 10 * DAY_MS)} where user_id = ${old.userId}`.execute(
      db,
    );

    const trading = new SqlTradingStore(db);
    const account = await trading.ensureAccount(users[0]!.userId, {
      kind: 'margin',
      startingCash: new Money('100000'),
      fillModel: fillModel(),
      riskLimits: riskLimits(),
    });
    for (let i = 0; i < 2; i += 1) {
      const [order] = ordersOf(
        { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', qty: '1' },
        crypto.randomUUID(),
        Date.now(),
      );
      await trading.orders(account.id).save(order!);
    }
    // An order from three days ago counts on its own day.
    const [older] = ordersOf(
      { symbol: 'MSFT', side: 'buy', type: 'market', timeInForce: 'day', qty: '1' },
      crypto.randomUUID(),
      Date.now() - 3 * DAY_MS,
    );
    await trading.orders(account.id).save(older!);
    const signalId = crypto.randomUUID();
    await sql`insert into signals (id, user_id, name, source, symbols, timeframe, mode, actions)
              values (${signalId}, ${users[0]!.userId}, 'x', 'close > 0', ${sql`array['AAPL']`}, '1Min', 'every_time', '[]')`.execute(
      db,
    );
    await sql`insert into signal_firings (id, signal_id, user_id, symbol, timeframe, bar_time, bar, values, fired_at)
              values (${crypto.randomUUID()}, ${signalId}, ${users[0]!.userId}, 'AAPL', '1Min', 1, '{}', '{}', ${new Date()})`.execute(
      db,
    );

    const report = await get();
    expect(report.business.users).toBe(5);
    expect(report.business.activeUsers).toEqual({ '24h': 4, '7d': 4, '30d': 5 });
    expect(report.business.today).toEqual({ signups: 4, orders: 2, signalsFired: 1 });
    const threeDaysAgo = new Date(Date.now() - 3 * DAY_MS).toISOString().slice(0, 10);
    expect(report.business.days.find((d) => d.day === threeDaysAgo)?.orders).toBe(1);
    expect(report.business.days.reduce((sum, d) => sum + d.signups, 0)).toBe(4);
  });

  it('measures every table and DATA_DIR, and table sizes grow with inserts', async () => {
    const before = await get();
    expect(bytesOf(before, 'users')).toBeGreaterThan(0);
    expect(bytesOf(before, 'trading_orders')).toBeGreaterThan(0);
    expect(bytesOf(before, 'ops_usage_budgets')).toBeGreaterThanOrEqual(0);
    expect(before.storage.databaseBytes).toBe(before.storage.tables.reduce((s, x) => s + x.bytes, 0));
    expect(before.storage.filesBytes).toBe(12_345);
    expect(before.storage.filesTruncated).toBe(false);

    const db = database.handle.db;
    await sql`insert into bars (symbol, timeframe, t, o, h, l, c, v, n, vw)
              select 'ZZZ', '1Min', to_timestamp(g * 60), 1, 2, 0.5, 1.5, 100, 3, 1.2
                from generate_series(1, 5000) g`.execute(db);
    const after = await get();
    expect(bytesOf(after, 'bars')).toBeGreaterThan(bytesOf(before, 'bars') + 200_000);
    expect(after.storage.databaseBytes).toBeGreaterThan(before.storage.databaseBytes);
  });

  it('counts Alpaca REST calls per rolling minute and stream symbols against the configured limits', async () => {
    for (let i = 0; i < 170; i += 1) meter.restCall('alpaca_data');
    meter.restCall('alpaca_trading');
    meter.streamSymbols(30);
    const report = await get();
    expect(report.upstream.apis).toEqual([
      { api: 'alpaca_data', callsLastMinute: 170, callsTotal: 170 },
      { api: 'alpaca_trading', callsLastMinute: 1, callsTotal: 1 },
    ]);
    const data = report.budgets.find((b) => b.metric === 'alpaca_data_rest_per_minute');
    expect(data).toMatchObject({ limit: 200, used: 170, ratio: 0.85, state: 'warning', source: 'default' });
    expect(report.budgets.find((b) => b.metric === 'alpaca_stream_symbols')).toMatchObject({
      used: 30,
      state: 'over',
    });
    meterNow += 61_000;
    const later = await get();
    expect(later.upstream.apis.map((a) => a.callsLastMinute)).toEqual([0, 0]);
    expect(later.upstream.apis.map((a) => a.callsTotal)).toEqual([170, 1]);
    meter.streamSymbols(10);
    const metrics = await t.app.http.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/pulse_usage_users 5/);
    expect(metrics.body).toMatch(/pulse_usage_stream_symbols 10/);
    expect(metrics.body).toMatch(/pulse_usage_today\{kind="orders"\} 2/);
  });

  it('refuses budgets for unknown metrics, repeated metrics and out-of-range values with 400', async () => {
    for (const budgets of [
      [{ metric: 'disk_tb', limit: 1 }],
      [
        { metric: 'orders_per_day', limit: 1 },
        { metric: 'orders_per_day', limit: 2 },
      ],
      [{ metric: 'orders_per_day', limit: -1 }],
      [{ metric: 'orders_per_day', limit: 5, warnAt: 2 }],
      [{ metric: 'orders_per_day', limit: 5, extra: true }],
    ]) {
      const res = await put(budgets);
      expect(res.statusCode, JSON.stringify(budgets)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'REQUEST_VALIDATION_FAILED' });
    }
  });

  it('fires an alert through the Slack channel at 80 % of a budget, and resolves it when back under', async () => {
    const res = await put([{ metric: 'orders_per_day', limit: 2.5 }]);
    expect(res.statusCode, res.body).toBe(200);
    const budget = UsageReport.parse(res.json()).budgets.find((b) => b.metric === 'orders_per_day');
    expect(budget).toMatchObject({ limit: 2.5, used: 2, ratio: 0.8, state: 'warning', source: 'custom' });

    await t.app.ops!.tick();
    await until(() => receiver.at('/slack').length >= 1);
    const fired = JSON.parse(receiver.at('/slack')[0]!.body.toString()) as { text: string };
    expect(JSON.stringify(fired)).toContain('Orders today at 80 % of budget (2 of 2.5)');
    const firing = (await t.app.ops!.deps.alerts.firing()).filter((a) => a.key === 'usage:orders_per_day');
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatchObject({ ruleId: 'usage-budget', severity: 'warning' });

    await t.app.ops!.tick(); // still at 80 %: no second notice
    expect(await put([{ metric: 'orders_per_day', limit: 10 }]).then((r) => r.statusCode)).toBe(200);
    await t.app.ops!.tick();
    await until(() => receiver.at('/slack').length >= 2);
    expect(receiver.at('/slack')).toHaveLength(2);
    expect(receiver.at('/slack')[1]!.body.toString()).toContain('Resolved');
    expect((await t.app.ops!.deps.alerts.firing()).some((a) => a.key === 'usage:orders_per_day')).toBe(false);

    // Turning a default budget off stores null and clears its state.
    const off = UsageReport.parse((await put([{ metric: 'alpaca_stream_symbols', limit: null }])).json());
    expect(off.budgets.find((b) => b.metric === 'alpaca_stream_symbols')).toMatchObject({
      limit: null,
      state: 'none',
      source: 'custom',
    });
  });
});
