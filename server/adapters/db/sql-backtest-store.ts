import type { Kysely, Selectable } from 'kysely';
import type { BacktestRecord, BacktestStore } from '../../signals/signal-store.js';
import type { Database } from './schema.js';
import type { SignalsTables } from './signals-schema.js';

type Row = Selectable<SignalsTables['backtests']>;

function toRecord(row: Row): BacktestRecord {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    progress: row.progress,
    request: JSON.parse(row.request) as unknown,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error === null ? null : (JSON.parse(row.error) as BacktestRecord['error']),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** BacktestStore over the backtests table; the report is stored as JSON text. */
export class SqlBacktestStore implements BacktestStore {
  private readonly db: Kysely<SignalsTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<SignalsTables>() as unknown as Kysely<SignalsTables>;
  }

  async insert(r: BacktestRecord): Promise<void> {
    await this.db
      .insertInto('backtests')
      .values({
        id: r.id,
        user_id: r.userId,
        status: r.status,
        progress: r.progress,
        request: JSON.stringify(r.request),
        result: r.result === null ? null : JSON.stringify(r.result),
        error: r.error === null ? null : JSON.stringify(r.error),
        created_at: r.createdAt,
        started_at: r.startedAt,
        finished_at: r.finishedAt,
      })
      .execute();
  }

  async get(userId: string, id: string): Promise<BacktestRecord | undefined> {
    const row = await this.db
      .selectFrom('backtests')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async list(userId: string, limit: number): Promise<BacktestRecord[]> {
    const rows = await this.db
      .selectFrom('backtests')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async update(
    id: string,
    patch: Partial<
      Pick<BacktestRecord, 'status' | 'progress' | 'result' | 'error' | 'startedAt' | 'finishedAt'>
    >,
  ): Promise<void> {
    await this.db
      .updateTable('backtests')
      .set({
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.progress !== undefined && { progress: patch.progress }),
        ...(patch.result !== undefined && {
          result: patch.result === null ? null : JSON.stringify(patch.result),
        }),
        ...(patch.error !== undefined && {
          error: patch.error === null ? null : JSON.stringify(patch.error),
        }),
        ...(patch.startedAt !== undefined && { started_at: patch.startedAt }),
        ...(patch.finishedAt !== undefined && { finished_at: patch.finishedAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  async listUnfinished(): Promise<BacktestRecord[]> {
    const rows = await this.db
      .selectFrom('backtests')
      .selectAll()
      .where('status', 'in', ['queued', 'running'])
      .orderBy('created_at')
      .execute();
    return rows.map(toRecord);
  }
}
