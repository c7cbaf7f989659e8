import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type TestDatabase } from '../../testing/databases.js';
import { SqlEmailTokenStore, SqlIdentityStore } from './sql-identity-stores.js';
import { SqlUserStore } from './sql-stores.js';

describe.each(ENGINES)('e-mail token and identity stores on %s', (_engine, open) => {
  let test: TestDatabase;
  let userId: string;
  const at = new Date('2026-03-02T12:00:00.000Z');
  beforeAll(async () => {
    test = await open();
    userId = crypto.randomUUID();
    await new SqlUserStore(test.handle.db).insert({
      id: userId,
      email: 'ada@example.com',
      passwordHash: 'h',
      role: 'trader',
    });
  });
  afterAll(async () => {
    await test.dispose();
  });

  const token = (hash: string, purpose: 'verify' | 'reset', expiresAt = new Date(at.getTime() + 60_000)) => ({
    tokenHash: hash,
    userId,
    purpose,
    email: 'ada@example.com',
    createdAt: at,
    expiresAt,
    usedAt: null,
  });

  it('uses a token exactly once, even when two uses race, and tells used from expired and unknown', async () => {
    const store = new SqlEmailTokenStore(test.handle.db);
    await store.insert(token('race', 'reset'));
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => store.consume('race', 'reset', at).then((r) => r.outcome)),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'used')).toHaveLength(4);
    await store.insert(token('late', 'reset', at));
    expect((await store.consume('late', 'reset', at)).outcome).toBe('expired');
    await store.insert(token('verify-only', 'verify'));
    expect((await store.consume('verify-only', 'reset', at)).outcome).toBe('unknown');
    expect((await store.consume('nothing', 'reset', at)).outcome).toBe('unknown');
    expect(await store.recent(userId, 'reset', new Date(at.getTime() - 1))).toEqual({ count: 2, last: at });
    await store.revokeAll(userId, 'verify', at);
    expect((await store.consume('verify-only', 'verify', at)).outcome).toBe('used');
  });

  it('marks an address verified only while the account still has it', async () => {
    const store = new SqlEmailTokenStore(test.handle.db);
    expect(await store.isVerified(userId)).toBe(false);
    expect(await store.markVerified(userId, 'other@example.com', at)).toBe(false);
    expect(await store.isVerified(userId)).toBe(false);
    expect(await store.markVerified(userId, 'ada@example.com', at)).toBe(true);
    expect(await store.isVerified(userId)).toBe(true);
    expect((await new SqlUserStore(test.handle.db).findById(userId))?.emailVerified).toBe(true);
  });

  it('links a provider subject to one user only, deletes only the owner’s, and hands out a flow once', async () => {
    const store = new SqlIdentityStore(test.handle.db);
    const identity = {
      id: crypto.randomUUID(),
      userId,
      provider: 'idp',
      subject: 'sub-1',
      email: 'ada@idp.test',
      createdAt: at,
      lastUsedAt: null,
    };
    expect(await store.insert(identity)).toBe('inserted');
    expect(await store.insert({ ...identity, id: crypto.randomUUID() })).toBe('taken');
    expect((await store.find('idp', 'sub-1'))?.userId).toBe(userId);
    expect(await store.delete(crypto.randomUUID(), identity.id)).toBe(false);
    expect(await store.listForUser(userId)).toHaveLength(1);

    const flow = {
      idHash: 'flow-hash',
      provider: 'idp',
      mode: 'sign_in' as const,
      userId: null,
      state: 's',
      nonce: 'n',
      codeVerifier: 'v',
      remember: true,
      expiresAt: new Date(Date.now() + 60_000),
    };
    await store.createFlow(flow);
    expect(await store.takeFlow('flow-hash', new Date())).toEqual(flow);
    expect(await store.takeFlow('flow-hash', new Date())).toBeUndefined();
    await store.createFlow({ ...flow, idHash: 'old', expiresAt: new Date(Date.now() - 1) });
    expect(await store.takeFlow('old', new Date())).toBeUndefined();
    expect(await store.delete(userId, identity.id)).toBe(true);
  });
});
