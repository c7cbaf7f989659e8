import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase } from '../../testing/databases.js';
import { PostgresAdvisoryLock } from './advisory-lock.js';

describe('PostgresAdvisoryLock', () => {
  let database: TestDatabase;
  let dbName: string;
  beforeAll(async () => {
    database = await freshPostgres();
    dbName = String(
      (
        await database.handle.db
          .selectNoFrom((eb) => eb.fn<string>('current_database', []).as('db'))
          .executeTakeFirstOrThrow()
      ).db,
    );
  });
  afterAll(async () => database.dispose());

  it('lets one node of two lead, and hands over when the leader lets go', async () => {
    const { TEST_POSTGRES_URL } = await import('../../testing/databases.js');
    const target = new URL(TEST_POSTGRES_URL);
    target.pathname = `/${dbName}`;
    const nodeA = new PostgresAdvisoryLock(target.toString(), 4242);
    const nodeB = new PostgresAdvisoryLock(target.toString(), 4242);
    expect(await nodeA.acquire()).toBe(true);
    expect(await nodeB.acquire()).toBe(false);
    expect(await nodeA.acquire()).toBe(true);
    await nodeA.release();
    expect(await nodeB.acquire()).toBe(true);
    expect(await nodeA.acquire()).toBe(false);
    await nodeB.release();
    await nodeA.release();
  });
});
