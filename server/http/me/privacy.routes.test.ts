import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrivacyExportJson } from '../../../contracts/privacy.js';
import { verifyAuditChain } from '../../accounts/audit-chain.js';
import { SqlPrivacyStore, tablesWithUserId } from '../../adapters/db/sql-privacy-store.js';
import { SqlAuditLog } from '../../adapters/db/sql-stores.js';
import { PrivacyJobs } from '../../privacy/privacy-jobs.js';
import { DEFAULT_RETENTION } from '../../privacy/retention.js';
import {
  addUser,
  type Browser,
  GOOD_PASSWORD,
  mintToken,
  setupOwner,
  signInAs,
} from '../../testing/accounts.js';
import { ENGINES, type TestDatabase } from '../../testing/databases.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(ENGINES)('privacyRoutes on %s', (_engine, fresh) => {
  let database: TestDatabase;
  let t: TestApp;
  let now: Date;
  let owner: Browser;
  let trader: Browser;
  let jobs: PrivacyJobs;
  beforeAll(async () => {
    database = await fresh();
  });
  afterAll(async () => {
    await t?.close();
    await database.dispose();
  });
  beforeEach(async () => {
    await t?.close();
    const tables = await tablesWithUserId(database.handle.db);
    await sql`truncate users, settings, audit_log, sign_in_throttle, ops_vitals, ops_error_groups, ops_monitors, ${sql.join(
      tables.map((name) => sql.table(name)),
    )} restart identity cascade`.execute(database.handle.db);
    now = new Date('2026-03-02T12:00:00Z');
    const store = new SqlPrivacyStore(database.handle.db);
    t = await createTestApp(
      { now: () => now, rateLimit: 'off', privacy: { store, graceDays: 30 } },
      { database, trading: true },
    );
    jobs = new PrivacyJobs({
      privacy: store,
      audit: new SqlAuditLog(database.handle.db),
      retention: DEFAULT_RETENTION,
      graceDays: 30,
      everyMs: 60_000,
      now: () => now,
      onError: (error) => {
        throw error;
      },
    });
    owner = await setupOwner(t);
    trader = await addUser(t, owner, 'trader@example.com', 'trader');
  });

  const call = (as: Browser, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    payload === undefined
      ? t.app.http.inject({ method, url, headers: as.headers })
      : t.app.http.inject({ method, url, headers: as.headers, payload });
  const auditActions = async (action: string) =>
    (await new SqlAuditLog(database.handle.db).list({ action, limit: 100 })).map((e) => JSON.parse(e.detail));

  it('records consent opt-in, keeps every change with its time, and audits it', async () => {
    expect((await call(trader, 'GET', '/api/v1/me/consent')).json()).toEqual({
      analytics: false,
      notifications: false,
      history: [],
    });
    await call(trader, 'PUT', '/api/v1/me/consent', { analytics: true });
    now = new Date(now.getTime() + 60_000);
    await call(trader, 'PUT', '/api/v1/me/consent', { analytics: true });
    const res = await call(trader, 'PUT', '/api/v1/me/consent', { analytics: false, notifications: true });
    expect(res.json()).toEqual({
      analytics: false,
      notifications: true,
      history: [
        { purpose: 'notifications', granted: true, at: '2026-03-02T12:01:00.000Z' },
        { purpose: 'analytics', granted: false, at: '2026-03-02T12:01:00.000Z' },
        { purpose: 'analytics', granted: true, at: '2026-03-02T12:00:00.000Z' },
      ],
    });
    expect(await auditActions('privacy.consent_changed')).toEqual([
      { analytics: false, notifications: true },
      { analytics: true },
    ]);
    expect((await call(owner, 'GET', '/api/v1/me/consent')).json()).toMatchObject({ history: [] });
    const empty = await call(trader, 'PUT', '/api/v1/me/consent', {});
    expect(empty.statusCode).toBe(400);
    // A first "no" is an answer, and is kept.
    const refused = await call(owner, 'PUT', '/api/v1/me/consent', { analytics: false });
    expect(refused.json()).toEqual({
      analytics: false,
      notifications: false,
      history: [{ purpose: 'analytics', granted: false, at: '2026-03-02T12:01:00.000Z' }],
    });
  });

  it('exports every user-owned table, with the user’s data and without secrets', async () => {
    await call(trader, 'POST', '/api/v1/watchlists', { name: 'Trader picks', symbols: ['NVDA'] });
    const { token } = await mintToken(t, trader, 'read');
    await call(trader, 'PUT', '/api/v1/me/consent', { notifications: true });
    await call(owner, 'POST', '/api/v1/watchlists', { name: 'Owner secret list', symbols: ['AAPL'] });
    const failed = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'trader@example.com', password: 'a wrong password' },
    });
    expect(failed.statusCode).toBe(401);
    const res = await call(trader, 'GET', '/api/v1/me/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="pulse-export-2026-03-02.json"');
    const body = res.json<PrivacyExportJson>();
    expect(body.user).toMatchObject({ id: trader.id, email: 'trader@example.com', role: 'trader' });
    for (const table of await tablesWithUserId(database.handle.db)) expect(body.data).toHaveProperty(table);
    expect(body.data.watchlists).toEqual([
      expect.objectContaining({ name: 'Trader picks', symbols: ['NVDA'] }),
    ]);
    expect(body.data.api_tokens).toEqual([expect.objectContaining({ name: 'read token', scope: 'read' })]);
    expect(body.data.sessions?.length).toBeGreaterThan(0);
    expect(body.data.privacy_consents).toEqual([
      expect.objectContaining({ purpose: 'notifications', granted: true }),
    ]);
    expect(body.data.audit_log?.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'user.created',
        'token.created',
        'privacy.consent_changed',
        'auth.sign_in_failed',
      ]),
    );
    const text = res.body;
    for (const secret of [
      'password_hash',
      'token_hash',
      'csrf_token',
      'envelope',
      token.slice(6),
      trader.csrf,
    ])
      expect(text).not.toContain(secret);
    expect(text).not.toContain('Owner secret list');
    expect(text).not.toContain('owner@example.com');
    expect((await auditActions('privacy.exported'))[0]).toMatchObject({ userId: trader.id });
  });

  it('schedules deletion with the password, erases after the grace period, and the audit chain still verifies', async () => {
    await call(trader, 'POST', '/api/v1/watchlists', { name: 'Doomed', symbols: ['NVDA'] });
    const other = await signInAs(t, 'trader@example.com');
    const wrong = await call(trader, 'POST', '/api/v1/me/delete', { password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    const asked = await call(trader, 'POST', '/api/v1/me/delete', { password: GOOD_PASSWORD });
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toEqual({
      scheduled: true,
      requestedAt: '2026-03-02T12:00:00.000Z',
      dueAt: '2026-04-01T12:00:00.000Z',
      graceDays: 30,
    });
    // Other sessions end; this one stays so the user can cancel.
    expect((await call(other, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await call(trader, 'GET', '/api/v1/me/delete')).json()).toMatchObject({ scheduled: true });

    now = new Date(now.getTime() + 29 * DAY);
    await jobs.runOnce();
    // Sessions time out over a month: the owner signs in again to look.
    owner = await signInAs(t, 'owner@example.com');
    expect((await call(owner, 'GET', '/api/v1/users')).body).toContain('trader@example.com');

    now = new Date(now.getTime() + 2 * DAY);
    await jobs.runOnce();
    owner = await signInAs(t, 'owner@example.com');
    const users = (await call(owner, 'GET', '/api/v1/users')).json<{ id: string; email: string }[]>();
    expect(users.find((u) => u.id === trader.id)?.email).toBe(`erased-${trader.id}@erased.invalid`);
    const db = database.handle.db;
    for (const table of ['sessions', 'watchlists', 'api_tokens', 'privacy_consents']) {
      const rows = await sql`select 1 from ${sql.table(table)} where user_id = ${trader.id}`.execute(db);
      expect(rows.rows, table).toHaveLength(0);
    }
    const login = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'trader@example.com', password: GOOD_PASSWORD },
    });
    expect(login.statusCode).toBe(401);
    expect(await auditActions('privacy.erased')).toEqual([{ userId: trader.id }]);
    const verified = await verifyAuditChain(new SqlAuditLog(db));
    expect(verified).toMatchObject({ ok: true, firstBrokenId: null });
    expect(verified.checked).toBeGreaterThan(3);
  });

  it('cancels a scheduled deletion on request, or when the user signs in again', async () => {
    await call(trader, 'POST', '/api/v1/me/delete', { password: GOOD_PASSWORD });
    const cancelled = await call(trader, 'DELETE', '/api/v1/me/delete');
    expect(cancelled.json()).toMatchObject({ scheduled: false, dueAt: null });
    expect((await call(trader, 'DELETE', '/api/v1/me/delete')).json()).toMatchObject({
      code: 'AUTH_DELETION_NOT_SCHEDULED',
    });

    await call(trader, 'POST', '/api/v1/me/delete', { password: GOOD_PASSWORD });
    now = new Date(now.getTime() + DAY);
    await signInAs(t, 'trader@example.com');
    now = new Date(now.getTime() + 40 * DAY);
    await jobs.runOnce();
    const back = await signInAs(t, 'trader@example.com');
    expect((await call(back, 'GET', '/api/v1/me/delete')).json()).toMatchObject({ scheduled: false });
    expect((await call(back, 'GET', '/api/v1/auth/me')).json()).toMatchObject({
      email: 'trader@example.com',
    });
    expect((await auditActions('privacy.deletion_cancelled')).map((d) => d.reason)).toEqual([
      'signed_in',
      'cancelled',
    ]);
  });

  it('keeps users to their own data: no export or deletion of another user, admins erase but not owners', async () => {
    const mallory = await addUser(t, owner, 'mallory@example.com', 'trader');
    await call(trader, 'POST', '/api/v1/watchlists', { name: 'Victim list', symbols: ['NVDA'] });
    const theirs = await call(mallory, 'GET', '/api/v1/me/export');
    expect(theirs.json<PrivacyExportJson>().user.email).toBe('mallory@example.com');
    expect(theirs.body).not.toContain('trader@example.com');
    expect(theirs.body).not.toContain('Victim list');
    const erase = await call(mallory, 'POST', `/api/v1/admin/users/${trader.id}/erase`);
    expect(erase.statusCode).toBe(403);
    const admin = await addUser(t, owner, 'admin@example.com', 'admin');
    expect((await call(admin, 'POST', `/api/v1/admin/users/${owner.id}/erase`)).statusCode).toBe(403);
    expect(
      (await call(owner, 'POST', '/api/v1/me/delete', { password: GOOD_PASSWORD })).json(),
    ).toMatchObject({
      code: 'AUTH_LAST_OWNER',
    });
    const order = await call(trader, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'gtc',
      qty: '2',
      limit_price: '1.5',
    });
    expect(order.statusCode).toBe(200);
    expect((await call(admin, 'POST', `/api/v1/admin/users/${trader.id}/erase`)).statusCode).toBe(204);
    // The order is kept for accounting, cancelled so an erased account trades no more.
    const kept = await sql<{
      status: string;
    }>`select status from trading_orders where id = ${order.json<{ id: string }>().id}`.execute(
      database.handle.db,
    );
    expect(kept.rows).toEqual([{ status: 'canceled' }]);
    expect((await call(trader, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await call(admin, 'POST', `/api/v1/admin/users/${trader.id}/erase`)).statusCode).toBe(404);
    // A second node erasing the same user finds it done: nothing changes, no second audit row.
    const again = await new SqlPrivacyStore(database.handle.db).erase(trader.id, {
      at: now,
      tombstoneEmail: 'other@erased.invalid',
      unusableHash: 'x',
      by: admin.id,
    });
    expect(again).toBe(false);
    expect(await auditActions('privacy.erased')).toEqual([{ userId: trader.id }]);
    expect((await verifyAuditChain(new SqlAuditLog(database.handle.db))).ok).toBe(true);
  });

  it('deletes records past their retention and keeps newer ones', async () => {
    const db = database.handle.db;
    const old = new Date(now.getTime() - 100 * DAY);
    const recent = new Date(now.getTime() - 1 * DAY);
    await sql`insert into sessions (token_hash, user_id, csrf_token, last_seen_at, expires_at, created_at)
      values ('old', ${trader.id}, 'x', ${old}, ${old}, ${old}),
             ('live', ${trader.id}, 'x', ${recent}, ${new Date(now.getTime() + DAY)}, ${recent})`.execute(db);
    await sql`insert into ops_vitals (at, name, value, route, release) values
      (${old}, 'LCP', 1, '/', 'r'), (${recent}, 'LCP', 2, '/', 'r')`.execute(db);
    await sql`insert into ops_error_groups (fingerprint, source, type, message, count, first_seen, last_seen) values
      ('a', 'web', 'E', 'm', 1, ${old}, ${old}), ('b', 'web', 'E', 'm', 1, ${old}, ${recent})`.execute(db);
    await sql`insert into notify_deliveries (id, user_id, channel_type, status, title, body, urgency, created_at, updated_at) values
      ('d1', ${trader.id}, 'email', 'delivered', 't', 'b', 'normal', ${old}, ${old}),
      ('d2', ${trader.id}, 'email', 'queued', 't', 'b', 'normal', ${old}, ${old}),
      ('d3', ${trader.id}, 'email', 'failed', 't', 'b', 'normal', ${recent}, ${recent})`.execute(db);
    await jobs.runOnce();
    const left = async (query: ReturnType<typeof sql<{ k: string }>>) =>
      (await query.execute(db)).rows.map((r) => r.k).sort();
    expect(
      await left(
        sql<{ k: string }>`select token_hash as k from sessions where token_hash in ('old', 'live')`,
      ),
    ).toEqual(['live']);
    expect(await left(sql<{ k: string }>`select value::text as k from ops_vitals`)).toEqual(['2']);
    expect(await left(sql<{ k: string }>`select fingerprint as k from ops_error_groups`)).toEqual(['b']);
    expect(await left(sql<{ k: string }>`select id as k from notify_deliveries`)).toEqual(['d2', 'd3']);
  });
});
