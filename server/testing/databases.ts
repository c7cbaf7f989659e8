import crypto from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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

/**
 * A fresh PGlite in a temporary DATA_DIR on disk, as `npm start` runs it (every commit written to files), migrated;
 * the folder is removed on dispose. For benchmarks, which must measure what production does.
 */
export async function freshPgliteOnDisk(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pulse-pglite-'));
  const handle = await openDatabase({ dataDir, connectTimeoutMs: 5_000 });
  await migrateToLatest(handle.db);
  return {
    handle,
    dispose: async () => {
      await handle.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
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
