import type { Kysely, Selectable } from 'kysely';
import type { WatchlistRecord, WatchlistStore } from '../../ports.js';
import type { Database, WatchlistsTable } from './schema.js';

function toRecord(row: Selectable<WatchlistsTable>): WatchlistRecord {
  return { id: row.id, userId: row.user_id, name: row.name, position: row.position, symbols: row.symbols };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** WatchlistStore over the `watchlists` table; every query is filtered by the owner. */
export class SqlWatchlistStore implements WatchlistStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(userId: string): Promise<WatchlistRecord[]> {
    const rows = await this.db
      .selectFrom('watchlists')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('position')
      .orderBy('created_at')
      .execute();
    return rows.map(toRecord);
  }

  async get(userId: string, id: string): Promise<WatchlistRecord | undefined> {
    const row = await this.db
      .selectFrom('watchlists')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(r: WatchlistRecord): Promise<'inserted' | 'duplicate_name'> {
    try {
      await this.db
        .insertInto('watchlists')
        .values({ id: r.id, user_id: r.userId, name: r.name, position: r.position, symbols: r.symbols })
        .execute();
      return 'inserted';
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate_name';
      throw error;
    }
  }

  async update(
    userId: string,
    id: string,
    patch: { name?: string; symbols?: string[] },
  ): Promise<'updated' | 'not_found' | 'duplicate_name'> {
    try {
      const result = await this.db
        .updateTable('watchlists')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.symbols !== undefined && { symbols: patch.symbols }),
          updated_at: new Date(),
        })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? 'updated' : 'not_found';
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate_name';
      throw error;
    }
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('watchlists')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async reorder(userId: string, ids: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const [position, id] of ids.entries()) {
        await tx
          .updateTable('watchlists')
          .set({ position })
          .where('user_id', '=', userId)
          .where('id', '=', id)
          .execute();
      }
    });
  }
}
