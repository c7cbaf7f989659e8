import { type Kysely, Migrator } from 'kysely';
import { migrations } from './migrations/index.js';

/** The outcome of bringing a database up to date. */
export interface MigrationReport {
  applied: string[];
  total: number;
}

function migrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'pulse_migrations',
    migrationLockTableName: 'pulse_migrations_lock',
    // Areas number their migrations in blocks (0010 signals, 0020 notify …); a database created
    // between two releases may have a later block applied before an earlier one: still forward-only.
    allowUnorderedMigrations: true,
  });
}

/** Applies every pending migration, in order, under Kysely's migration lock. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationReport> {
  const { error, results = [] } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`);
  }
  return { applied: results.map((r) => r.migrationName), total: Object.keys(migrations).length };
}

/** Names of the migrations not yet applied; empty when the schema is current. */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
