import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlApiTokenStore } from '../adapters/db/sql-account-stores.js';
import { SqlAuditLog, SqlUserStore } from '../adapters/db/sql-stores.js';
import { freshPglite, type TestDatabase } from '../testing/databases.js';
import { createApiToken, resolveApiToken, revokeApiToken, TOKEN_CACHE_MS } from './api-tokens.js';

/** Counts the reads a resolution makes of the real store. */
class CountingTokenStore extends SqlApiTokenStore {
  reads = 0;
  override async findByHash(tokenHash: string) {
    this.reads += 1;
    return super.findByHash(tokenHash);
  }
}

describe('API token resolution cache', () => {
  let database: TestDatabase;
  let apiTokens: CountingTokenStore;
  let users: SqlUserStore;
  let audit: SqlAuditLog;
  const userId = crypto.randomUUID();
  const now = new Date('2026-03-01T12:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);

  beforeAll(async () => {
    database = await freshPglite();
    apiTokens = new CountingTokenStore(database.handle.db);
    users = new SqlUserStore(database.handle.db);
    audit = new SqlAuditLog(database.handle.db);
    await users.insert({ id: userId, email: 'bot@example.com', passwordHash: 'x', role: 'trader' });
  });
  afterAll(async () => {
    await database.dispose();
  });

  const mint = () =>
    createApiToken({ userId, name: 'bot', scope: 'trade', now, ip: null }, { apiTokens, audit });

  it('reads a token once per TOKEN_CACHE_MS, then again', async () => {
    const { token, record } = await mint();
    const reads = apiTokens.reads;
    expect((await resolveApiToken({ token, now }, { apiTokens, users }))?.token.id).toBe(record.id);
    expect((await resolveApiToken({ token, now: later(10) }, { apiTokens, users }))?.user.id).toBe(userId);
    expect(
      (await resolveApiToken({ token, now: later(TOKEN_CACHE_MS - 1) }, { apiTokens, users }))?.token.id,
    ).toBe(record.id);
    expect(apiTokens.reads - reads).toBe(1);
    await resolveApiToken({ token, now: later(TOKEN_CACHE_MS) }, { apiTokens, users });
    expect(apiTokens.reads - reads).toBe(2);
  });

  it('refuses a token revoked here at once, and one revoked elsewhere after TOKEN_CACHE_MS', async () => {
    const here = await mint();
    const elsewhere = await mint();
    for (const { token } of [here, elsewhere])
      expect(await resolveApiToken({ token, now }, { apiTokens, users })).toBeDefined();
    await revokeApiToken({ userId, id: here.record.id, now, ip: null }, { apiTokens, audit });
    expect(await resolveApiToken({ token: here.token, now: later(1) }, { apiTokens, users })).toBeUndefined();
    // Another node revoked it: this node trusts its cached answer until it expires.
    await new SqlApiTokenStore(database.handle.db).revoke(userId, elsewhere.record.id, now);
    expect(
      await resolveApiToken({ token: elsewhere.token, now: later(1) }, { apiTokens, users }),
    ).toBeDefined();
    expect(
      await resolveApiToken({ token: elsewhere.token, now: later(TOKEN_CACHE_MS) }, { apiTokens, users }),
    ).toBeUndefined();
  });

  it('never caches an unknown token as valid', async () => {
    const unknown = `pulse_${'0'.repeat(64)}`;
    expect(await resolveApiToken({ token: unknown, now }, { apiTokens, users })).toBeUndefined();
    expect(await resolveApiToken({ token: unknown, now: later(1) }, { apiTokens, users })).toBeUndefined();
  });
});
