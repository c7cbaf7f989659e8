import { type Kysely, type Selectable, sql } from 'kysely';
import type { FiringState } from '../../../core/signals/index.js';
import type { CursorChange, SignalCursor } from '../../signals/signal-engine.js';
import type {
  FiringOrder,
  FiringRecord,
  SignalPatch,
  SignalRecord,
  SignalStore,
  SignalVersion,
} from '../../signals/signal-store.js';
import type { Database } from './schema.js';
import type { SignalsTables } from './signals-schema.js';

type SignalRow = Selectable<SignalsTables['signals']>;
type FiringRow = Selectable<SignalsTables['signal_firings']>;

function toSignal(row: SignalRow): SignalRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    source: row.source,
    symbols: row.symbols,
    timeframe: row.timeframe,
    mode: row.mode,
    cooldownBars: row.cooldown_bars,
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    actions: JSON.parse(row.actions) as SignalRecord['actions'],
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toFiring(row: FiringRow): FiringRecord {
  return {
    id: row.id,
    signalId: row.signal_id,
    userId: row.user_id,
    symbol: row.symbol,
    timeframe: row.timeframe,
    barTime: Number(row.bar_time),
    bar: JSON.parse(row.bar) as FiringRecord['bar'],
    values: JSON.parse(row.values) as FiringRecord['values'],
    firedAt: row.fired_at,
    catchUp: row.catch_up,
    order: row.order_result === null ? null : (JSON.parse(row.order_result) as FiringOrder),
  };
}

/** SignalStore over the signals, signal_cursors and signal_firings tables. */
export class SqlSignalStore implements SignalStore {
  private readonly db: Kysely<SignalsTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<SignalsTables>() as unknown as Kysely<SignalsTables>;
  }

  async list(userId: string): Promise<SignalRecord[]> {
    const rows = await this.db
      .selectFrom('signals')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSignal);
  }

  async get(userId: string, id: string): Promise<SignalRecord | undefined> {
    const row = await this.db
      .selectFrom('signals')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toSignal(row);
  }

  async count(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('signals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(r: SignalRecord): Promise<void> {
    await this.db
      .insertInto('signals')
      .values({
        id: r.id,
        user_id: r.userId,
        name: r.name,
        source: r.source,
        symbols: [...r.symbols],
        timeframe: r.timeframe,
        mode: r.mode,
        cooldown_bars: r.cooldownBars,
        expires_at: r.expiresAt,
        actions: JSON.stringify(r.actions),
        enabled: r.enabled,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
      })
      .execute();
  }

  async update(
    userId: string,
    id: string,
    patch: SignalPatch,
    resetCursors: boolean,
  ): Promise<SignalRecord | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('signals')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.source !== undefined && { source: patch.source }),
          ...(patch.symbols !== undefined && { symbols: [...patch.symbols] }),
          ...(patch.timeframe !== undefined && { timeframe: patch.timeframe }),
          ...(patch.mode !== undefined && { mode: patch.mode }),
          ...(patch.cooldownBars !== undefined && { cooldown_bars: patch.cooldownBars }),
          ...(patch.expiresAt !== undefined && { expires_at: patch.expiresAt }),
          ...(patch.actions !== undefined && { actions: JSON.stringify(patch.actions) }),
          ...(patch.enabled !== undefined && { enabled: patch.enabled }),
          updated_at: new Date(),
        })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      if (resetCursors) await tx.deleteFrom('signal_cursors').where('signal_id', '=', id).execute();
      return toSignal(row);
    });
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('signals')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listEnabled(): Promise<SignalRecord[]> {
    const rows = await this.db.selectFrom('signals').selectAll().where('enabled', '=', true).execute();
    return rows.map(toSignal);
  }

  async cursors(signalId: string): Promise<Map<string, SignalCursor>> {
    const rows = await this.db
      .selectFrom('signal_cursors')
      .selectAll()
      .where('signal_id', '=', signalId)
      .execute();
    return new Map(
      rows.map((r) => [
        r.symbol,
        {
          firing: JSON.parse(r.firing_state) as FiringState,
          lastBarTime: r.last_bar_time === null ? null : Number(r.last_bar_time),
        },
      ]),
    );
  }

  async saveCursors(changes: readonly CursorChange[]): Promise<void> {
    // Chunked multi-row upserts; a cursor of a signal deleted meanwhile is skipped by the join on signals.
    for (let i = 0; i < changes.length; i += 500) {
      const chunk = changes.slice(i, i + 500);
      const ids = [...new Set(chunk.map((c) => c.signalId))];
      const live = new Set(
        (await this.db.selectFrom('signals').select('id').where('id', 'in', ids).execute()).map((r) => r.id),
      );
      const rows = chunk
        .filter((c) => live.has(c.signalId))
        .map((c) => ({
          signal_id: c.signalId,
          symbol: c.symbol,
          firing_state: JSON.stringify(c.cursor.firing),
          last_bar_time: c.cursor.lastBarTime,
        }));
      if (rows.length === 0) continue;
      await this.db
        .insertInto('signal_cursors')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['signal_id', 'symbol']).doUpdateSet({
            firing_state: (eb) => eb.ref('excluded.firing_state'),
            last_bar_time: (eb) => eb.ref('excluded.last_bar_time'),
          }),
        )
        .execute();
    }
  }

  async enabledVersions(): Promise<SignalVersion[]> {
    const rows = await this.db
      .selectFrom('signals')
      .select(['id', 'user_id', 'updated_at'])
      .where('enabled', '=', true)
      .execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, updatedAt: r.updated_at }));
  }

  async insertFiring(f: FiringRecord, version: Date): Promise<boolean> {
    // insert … select … from signals where <still enabled at this version>: one statement, no race with an edit.
    const result = await this.db
      .insertInto('signal_firings')
      .columns([
        'id',
        'signal_id',
        'user_id',
        'symbol',
        'timeframe',
        'bar_time',
        'bar',
        'values',
        'fired_at',
        'catch_up',
        'order_result',
      ])
      .expression((eb) =>
        eb
          .selectFrom('signals')
          .select([
            eb.val(f.id).as('id'),
            eb.val(f.signalId).as('signal_id'),
            eb.val(f.userId).as('user_id'),
            eb.val(f.symbol).as('symbol'),
            eb.val(f.timeframe).as('timeframe'),
            eb.cast<string>(eb.val(String(f.barTime)), 'bigint').as('bar_time'),
            eb.val(JSON.stringify(f.bar)).as('bar'),
            eb.val(JSON.stringify(f.values)).as('values'),
            eb.cast<Date>(eb.val(f.firedAt), 'timestamptz').as('fired_at'),
            eb.cast<boolean>(eb.val(f.catchUp), 'boolean').as('catch_up'),
            eb
              .cast<string | null>(eb.val(f.order === null ? null : JSON.stringify(f.order)), 'text')
              .as('order_result'),
          ])
          .where('id', '=', f.signalId)
          .where('enabled', '=', true)
          .where('updated_at', '=', version),
      )
      .onConflict((oc) => oc.columns(['signal_id', 'symbol', 'bar_time']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async setFiringOrder(firingId: string, order: FiringOrder): Promise<void> {
    await this.db
      .updateTable('signal_firings')
      .set({ order_result: JSON.stringify(order) })
      .where('id', '=', firingId)
      .execute();
  }

  async listFirings(
    userId: string,
    signalId: string,
    options: { limit: number; before?: number },
  ): Promise<FiringRecord[]> {
    let query = this.db
      .selectFrom('signal_firings')
      .selectAll()
      .where('user_id', '=', userId)
      .where('signal_id', '=', signalId);
    if (options.before !== undefined) query = query.where('bar_time', '<', sql<string>`${options.before}`);
    const rows = await query.orderBy('bar_time', 'desc').orderBy('symbol').limit(options.limit).execute();
    return rows.map(toFiring);
  }
}
