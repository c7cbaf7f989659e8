import crypto from 'node:crypto';
import pg from 'pg';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { type DatabaseHandle, openDatabase } from '../adapters/db/open-database.js';

/** The PostgreSQL server the scaled-mode tests use (trust auth on this machine and in CI). */
export const TEST_POSTGRES_URL =
  process.env.PULSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database engine under test, opened fresh and migrated. */
export interface TestDatabase {
  handle: DatabaseHandle;
  /** Closes and, for PostgreSQL, drops the database made for this run. */
  dispose(): Promise<void>;
}

/** A fresh in-memory PGlite, migrated. */
export async function freshPglite(): Promise<TestDatabase> {
  const handle = await openDatabase({ dataDir: '', inMemory: true, connectTimeoutMs: 5_000 });
  await migrateToLatest(handle.db);
  return { handle, dispose: () => handle.close() };
}

/** A freshly created PostgreSQL database on the local server, migrated; dropped on dispose. */
export async function freshPostgres(): Promise<TestDatabase> {
  const name = `pulse_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ dataDir: '', databaseUrl: url.toString(), connectTimeoutMs: 5_000 });
  await migrateToLatest(handle.db);
  return {
    handle,
    dispose: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** Both engines, for `describe.each`: every data-layer test runs on PGlite and PostgreSQL. */
export const ENGINES = [
  ['pglite', freshPglite],
  ['postgres', freshPostgres],
] as const;
