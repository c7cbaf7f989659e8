import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../accounts/audit-chain.js';
import { SecretVault } from '../../accounts/user-secrets.js';
import { loadKeyring } from '../../crypto/master-key.js';
import { rotateMasterKey } from '../../crypto/rotate-master-key.js';
import { ENGINES, type TestDatabase } from '../../testing/databases.js';
import {
  SqlApiTokenStore,
  SqlMfaStore,
  SqlSignInThrottleStore,
  SqlUserSecretStore,
} from './sql-account-stores.js';
import { SqlAuditLog, SqlUserStore } from './sql-stores.js';

describe.each(ENGINES)('account stores on %s', (_engine, open) => {
  let test: TestDatabase;
  let userId: string;
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

  it('keeps API tokens per user: another user cannot revoke one, and revoking twice is refused', async () => {
    const store = new SqlApiTokenStore(test.handle.db);
    const at = new Date('2026-01-01T00:00:00.000Z');
    await store.insert({
      id: 't1',
      userId,
      name: 'ci',
      tokenHash: 'hash-1',
      scope: 'read',
      createdAt: at,
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(await store.findByHash('hash-1')).toMatchObject({ id: 't1', scope: 'read', expiresAt: null });
    expect(await store.revoke('someone-else', 't1', at)).toBe(false);
    expect(await store.revoke(userId, 't1', at)).toBe(true);
    expect(await store.revoke(userId, 't1', at)).toBe(false);
    expect((await store.list(userId))[0]?.revokedAt?.toISOString()).toBe(at.toISOString());
  });

  it('counts sign-in failures per key and forgets them on clear', async () => {
    const store = new SqlSignInThrottleStore(test.handle.db);
    const at = new Date('2026-01-01T00:00:00.000Z');
    await store.put('acct:ada@example.com', { failures: 1, lastFailureAt: at, lockedUntil: null });
    await store.put('acct:ada@example.com', { failures: 2, lastFailureAt: at, lockedUntil: at });
    expect(await store.get('acct:ada@example.com')).toEqual({
      failures: 2,
      lastFailureAt: at,
      lockedUntil: at,
    });
    await store.clear('acct:ada@example.com');
    expect(await store.get('acct:ada@example.com')).toBeUndefined();
  });

  it('uses a recovery code once even when two sign-ins race for it', async () => {
    const store = new SqlMfaStore(test.handle.db);
    await store.replaceRecoveryCodes(userId, ['c1', 'c2']);
    const at = new Date();
    const results = await Promise.all([
      store.useRecoveryCode(userId, 'c1', at),
      store.useRecoveryCode(userId, 'c1', at),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await store.remainingRecoveryCodes(userId)).toBe(1);
  });

  it('chains audit rows by hash and names the first row edited behind its back', async () => {
    const audit = new SqlAuditLog(test.handle.db);
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((x) =>
        audit.record({ actorId: userId, action: `test.${x}`, ip: '::1', detail: { x } }),
      ),
    );
    expect(await verifyAuditChain(audit)).toEqual({ ok: true, checked: 4, firstBrokenId: null });
    const rows = await test.handle.db
      .selectFrom('audit_log')
      .select(['id', 'detail'])
      .orderBy('id')
      .execute();
    const third = String(rows[2]!.id);
    await sql`update audit_log set detail = '{"x":"forged"}' where id = ${third}`.execute(test.handle.db);
    expect(await verifyAuditChain(audit)).toEqual({ ok: false, checked: 2, firstBrokenId: third });
    await sql`update audit_log set detail = ${rows[2]!.detail} where id = ${third}`.execute(test.handle.db);
    expect(await verifyAuditChain(audit)).toEqual({ ok: true, checked: 4, firstBrokenId: null });
    await sql`delete from audit_log where id = ${String(rows[1]!.id)}`.execute(test.handle.db);
    expect((await verifyAuditChain(audit)).firstBrokenId).toBe(third);
  });

  it('re-wraps every secret under a new master key file without changing the secrets', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-keys-'));
    const secrets = new SqlUserSecretStore(test.handle.db);
    const before = loadKeyring({ envKey: undefined, dataDir });
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    await new SecretVault(before.ring, secrets).put(
      userId,
      'broker_keys',
      'the secret',
      { keyIdLast4: 'ABCD' },
      new Date(),
    );
    const report = await rotateMasterKey({ envKey: undefined, dataDir }, { secrets });
    expect(report).toMatchObject({ oldKeyId: before.ring.primary.id, rewrapped: 1, source: 'file' });
    const after = loadKeyring({ envKey: undefined, dataDir });
    expect(after.ring.primary.id).toBe(report.newKeyId);
    expect(after.ring.keys.has(before.ring.primary.id)).toBe(false);
    expect((await new SecretVault(after.ring, secrets).get(userId, 'broker_keys'))?.plaintext).toBe(
      'the secret',
    );
    await expect(new SecretVault(before.ring, secrets).get(userId, 'broker_keys')).rejects.toThrow(
      /not loaded/,
    );
    fs.rmSync(dataDir, { recursive: true });
  });
});
