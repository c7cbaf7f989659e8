import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { pglitePool } from './pglite-connection.js';
import type { Database } from './schema.js';

/** An open database: Kysely over PGlite (embedded) or PostgreSQL, one SQL dialect for both. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: 'pglite' | 'postgres';
  /** Round-trips a trivial query; rejects when the database is unreachable. */
  ping(): Promise<void>;
  /** Closes connections and, for PGlite, flushes and releases the DATA_DIR lock. */
  close(): Promise<void>;
}

/** Raised when the database cannot be reached or opened; the message is safe to print. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface OpenDatabaseOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  connectTimeoutMs: number;
  /** PGlite in memory, for tests: no files, no lock. */
  inMemory?: boolean;
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite under DATA_DIR. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.connectTimeoutMs)
    : openPglite(options);
}

async function openPostgres(url: string, connectTimeoutMs: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
    application_name: 'pulse',
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it and /readyz reports the outage.
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(`Cannot reach DATABASE_URL (${redactUrl(url)}): ${reason(error)}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return handle(db, 'postgres', async () => undefined);
}

async function openPglite(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const release = options.inMemory ? () => undefined : lockDataDir(options.dataDir);
  try {
    const pglite = await PGlite.create(
      options.inMemory ? 'memory://' : path.join(options.dataDir, 'pglite'),
      {
        // Defaults cost ~280 MB RSS; 16 MB of shared buffers is ample for one node (~160 MB).
        postgresqlconf: ['shared_buffers=16MB'],
        // Node's file system (and memory) write through as Postgres writes: PGlite's "sync to FS" after each
        // query is a no-op for them, so waiting for it only costs a lock, promises and a microtask hop per
        // query. This changes nothing about durability here (it matters for the browser's IndexedDB/OPFS).
        relaxedDurability: true,
      },
    );
    // Node's file system and memory: nothing to sync after a query (see relaxedDurability above).
    const pool = pglitePool(pglite, { syncToFs: false });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return handle(db, 'pglite', async () => {
      await pglite.close();
      release();
    });
  } catch (error) {
    release();
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database in ${options.dataDir}: ${reason(error)}`,
    );
  }
}

function handle(
  db: Kysely<Database>,
  engine: DatabaseHandle['engine'],
  after: () => Promise<void>,
): DatabaseHandle {
  let closing: Promise<void> | undefined;
  return {
    db,
    engine,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => {
      closing ??= db.destroy().then(after);
      return closing;
    },
  };
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Hides the password of a connection URL. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
