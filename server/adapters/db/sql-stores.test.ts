import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type TestDatabase } from '../../testing/databases.js';
import { pendingMigrations } from './migrate.js';
import { SqlAuditLog, SqlSessionStore, SqlUserStore } from './sql-stores.js';
import { SqlWatchlistStore } from './sql-watchlist-store.js';

describe.each(ENGINES)('SQL stores on %s', (_engine, open) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await open();
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('leaves no migration pending after migrateToLatest', async () => {
    expect(await pendingMigrations(test.handle.db)).toEqual([]);
  });

  it('stores a user and finds it by e-mail and id', async () => {
    const users = new SqlUserStore(test.handle.db);
    const id = crypto.randomUUID();
    expect(await users.insert({ id, email: 'ada@example.com', passwordHash: 'h', role: 'trader' })).toBe(
      'inserted',
    );
    const byEmail = await users.findByEmail('ada@example.com');
    expect(byEmail).toMatchObject({ id, email: 'ada@example.com', role: 'trader', passwordHash: 'h' });
    expect(byEmail?.createdAt).toBeInstanceOf(Date);
    expect(await users.findById(id)).toEqual(byEmail);
    expect(await users.findByEmail('nobody@example.com')).toBeUndefined();
  });

  it('refuses a second user with the same e-mail', async () => {
    const users = new SqlUserStore(test.handle.db);
    const result = await users.insert({
      id: crypto.randomUUID(),
      email: 'ada@example.com',
      passwordHash: 'x',
      role: 'viewer',
    });
    expect(result).toBe('duplicate_email');
  });

  it('lets exactly one first-run owner in even when two inserts race', async () => {
    const users = new SqlUserStore(test.handle.db);
    expect(await users.hasOwner()).toBe(false);
    const results = await Promise.all(
      ['o1@example.com', 'o2@example.com'].map((email) =>
        users.insertFirstOwner({ id: crypto.randomUUID(), email, passwordHash: 'h', role: 'owner' }),
      ),
    );
    expect(results.sort()).toEqual(['duplicate_owner', 'inserted']);
    expect(await users.hasOwner()).toBe(true);
    expect((await users.list()).filter((u) => u.role === 'owner')).toHaveLength(1);
  });

  it('never demotes the last owner, even when two owners demote each other at once', async () => {
    const users = new SqlUserStore(test.handle.db);
    const [first] = (await users.list()).filter((u) => u.role === 'owner');
    const second = crypto.randomUUID();
    await users.insert({ id: second, email: 'o3@example.com', passwordHash: 'h', role: 'owner' });
    const results = await Promise.all([users.setRole(first!.id, 'admin'), users.setRole(second, 'admin')]);
    expect(results.sort()).toEqual(['last_owner', 'updated']);
    expect((await users.list()).filter((u) => u.role === 'owner')).toHaveLength(1);
    expect(await users.setRole('no-such-user', 'viewer')).toBe('not_found');
  });

  it('creates, touches and deletes a session', async () => {
    const users = new SqlUserStore(test.handle.db);
    const user = await users.findByEmail('ada@example.com');
    const sessions = new SqlSessionStore(test.handle.db);
    const now = new Date('2026-01-02T03:04:05.000Z');
    const later = new Date('2026-01-03T03:04:05.000Z');
    await sessions.create({
      tokenHash: 'abc',
      userId: user!.id,
      csrfToken: 'csrf',
      userAgent: 'test',
      ip: '127.0.0.1',
      createdAt: now,
      lastSeenAt: now,
      expiresAt: later,
      id: 'session-1',
      persistent: false,
    });
    expect(await sessions.find('abc')).toMatchObject({
      id: 'session-1',
      persistent: false,
      userId: user!.id,
      csrfToken: 'csrf',
      expiresAt: later,
    });
    const touched = new Date('2026-01-02T04:00:00.000Z');
    await sessions.touch('abc', touched, new Date('2026-01-04T00:00:00.000Z'));
    expect((await sessions.find('abc'))?.lastSeenAt.toISOString()).toBe(touched.toISOString());
    expect(await sessions.deleteById('someone-else', 'session-1')).toBe(false);
    expect((await sessions.listForUser(user!.id)).map((s) => s.id)).toEqual(['session-1']);
    await sessions.delete('abc');
    expect(await sessions.find('abc')).toBeUndefined();
  });

  it('appends audit events with their detail as JSON', async () => {
    await new SqlAuditLog(test.handle.db).record({
      actorId: null,
      action: 'auth.sign_in_failed',
      ip: '::1',
      detail: { n: 1 },
    });
    const rows = await test.handle.db.selectFrom('audit_log').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'auth.sign_in_failed', ip: '::1', detail: '{"n":1}' });
  });

  it('keeps watchlists per user, ordered, with case-insensitive unique names', async () => {
    const user = await new SqlUserStore(test.handle.db).findByEmail('ada@example.com');
    const store = new SqlWatchlistStore(test.handle.db);
    const a = {
      id: crypto.randomUUID(),
      userId: user!.id,
      name: 'Tech',
      position: 0,
      symbols: ['AAPL', 'MSFT'],
    };
    const b = { id: crypto.randomUUID(), userId: user!.id, name: 'Energy', position: 1, symbols: [] };
    expect(await store.insert(a)).toBe('inserted');
    expect(await store.insert(b)).toBe('inserted');
    expect(await store.insert({ ...b, id: crypto.randomUUID(), name: 'TECH' })).toBe('duplicate_name');
    await store.reorder(user!.id, [b.id, a.id]);
    expect((await store.list(user!.id)).map((w) => [w.name, w.position, w.symbols])).toEqual([
      ['Energy', 0, []],
      ['Tech', 1, ['AAPL', 'MSFT']],
    ]);
    expect(await store.update(user!.id, a.id, { symbols: ['NVDA'] })).toBe('updated');
    expect((await store.get(user!.id, a.id))?.symbols).toEqual(['NVDA']);
    expect(await store.update('someone-else', a.id, { name: 'x' })).toBe('not_found');
    expect(await store.delete('someone-else', a.id)).toBe(false);
    expect(await store.delete(user!.id, a.id)).toBe(true);
  });
});
