import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretVault } from '../../accounts/user-secrets.js';
import { keyring, masterKey } from '../../crypto/envelope.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { SqlUserSecretStore } from './sql-account-stores.js';
import { SqlNotifyStore } from './sql-notify-store.js';

describe('SqlNotifyStore', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshPglite();
  });
  afterAll(() => database.dispose());

  it('seals credentialed channel configs in the vault and keeps only the type in the row', async () => {
    const db = database.handle.db;
    const userId = crypto.randomUUID();
    await sql`insert into users (id, email, password_hash, role) values (${userId}, 'v@example.com', 'x', 'trader')`.execute(
      db,
    );
    const store = new SqlNotifyStore(
      db,
      new SecretVault(keyring(masterKey(crypto.randomBytes(32))), new SqlUserSecretStore(db)),
    );
    const config = { type: 'webhook' as const, url: 'https://example.com/hook', secret: 'whsec_abc' };
    const id = crypto.randomUUID();
    await store.insertChannel({ id, userId, name: 'Hook', enabled: true, config, createdAt: new Date() });
    await store.insertChannel({
      id: crypto.randomUUID(),
      userId,
      name: 'Mail',
      enabled: true,
      config: { type: 'email', to: 'v@example.com' },
      createdAt: new Date(),
    });

    const rows = await sql<{
      type: string;
      config: string;
    }>`select type, config from notify_channels order by type`.execute(db);
    expect(rows.rows).toEqual([
      { type: 'email', config: '{"type":"email","to":"v@example.com"}' },
      { type: 'webhook', config: '{"type":"webhook","sealed":true}' },
    ]);
    const secrets = await sql<{
      envelope: string;
    }>`select envelope from user_secrets where kind = ${`notify-channel/${id}`}`.execute(db);
    expect(secrets.rows[0]?.envelope).not.toContain('whsec_abc');
    expect((await store.findChannel(id))?.config).toEqual(config);

    expect(await store.deleteChannel(userId, id)).toBe(true);
    const left = await sql`select 1 from user_secrets where kind = ${`notify-channel/${id}`}`.execute(db);
    expect(left.rows).toHaveLength(0);
  });
});
