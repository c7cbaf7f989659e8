import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { Money } from '../../../core/kernel/index.js';
import {
  type Fill,
  type Order,
  type Position,
  applyFill,
  flatPosition,
  isOpen,
} from '../../../core/trading/index.js';
import { canonicalEntry } from '../../accounts/audit-chain.js';
import type { AuditEvent, EquityPoint, TradingTransaction } from '../../ports.js';
import type { OrderCommit } from '../../trading/trading-store.js';
import type { Database } from './schema.js';
import { ORDER_COLUMNS, orderToRow, SqlOrderStore } from './sql-order-store.js';

/** Statement texts given a name, in this process (texts of a fixed shape only: the map stays small). */
const names = new Map<string, string>();
/** Past this many distinct texts, statements run unnamed (a guard against a text built per call). */
const MAX_NAMED = 64;

/**
 * Runs a query as a named prepared statement: each connection parses and plans its text once, then only
 * binds and executes it (on PGlite this halves the cost of an order insert). node-postgres takes a query
 * config `{ name, text }` wherever it takes a text, and Kysely's PostgresDialect hands `sql` to
 * `client.query` unchanged, so the config travels in its place. Only for texts of a fixed shape.
 */
function runPrepared<R>(
  db: Kysely<Database>,
  query: Compilable<R> | CompiledQuery<R>,
): Promise<QueryResult<R>> {
  const compiled = 'compile' in query ? query.compile() : query;
  let name = names.get(compiled.sql);
  if (name === undefined && names.size < MAX_NAMED) names.set(compiled.sql, (name = `pulse_tx${names.size}`));
  if (name === undefined) return db.executeQuery(compiled);
  const config: { name: string; text: string } = { name, text: compiled.sql };
  return db.executeQuery<R>({ ...compiled, sql: config as unknown as string });
}

/** A raw statement of fixed text with its parameters. */
function statement<R>(text: string, parameters: readonly unknown[]): CompiledQuery<R> {
  return CompiledQuery.raw(text, [...parameters]) as CompiledQuery<R>;
}

const COLUMNS = ORDER_COLUMNS.map((c) => `"${c}"`).join(', ');
/** Orders from one JSON parameter (a rowset): one statement text for any number of orders. */
const rowsOf = (param: string) =>
  `insert into trading_orders (${COLUMNS}) select ${COLUMNS}
   from json_populate_recordset(null::trading_orders, ${param}::json)`;
const INSERT_NEW = `${rowsOf('$1')} on conflict do nothing returning id`;
/** Upserts by id, never over another account's order (`account` is the parameter of the account id). */
const upsert = (param: string, account: string) =>
  `${rowsOf(param)} on conflict (id) do update set ${ORDER_COLUMNS.filter(
    (c) => c !== 'id' && c !== 'account_id',
  )
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ')} where trading_orders.account_id = ${account}`;
const SAVE = upsert('$1', '$2');
/** The audit append (migration 0070) over six array parameters from `$first` on. */
const auditAppend = (first: number) =>
  `pulse_audit_append(${['timestamptz', 'text', 'text', 'text', 'text', 'text']
    .map((type, i) => `$${first + i}::${type}[]`)
    .join(', ')})`;

const rowsJson = (accountId: string, orders: readonly Order[]) =>
  JSON.stringify(orders.map((o) => orderToRow(accountId, o)));

/** The six arrays pulse_audit_append takes: one entry per event, stamped `at`. */
function auditParameters(events: readonly AuditEvent[], at: Date): unknown[][] {
  const entries = events.map((e) => ({
    at,
    actorId: e.actorId,
    action: e.action,
    ip: e.ip,
    detail: JSON.stringify(e.detail ?? {}),
  }));
  // The canonical entry after its id: pulse_audit_append prefixes `["<id>",` (see migration 0070).
  const tails = entries.map((e) => canonicalEntry({ id: '', ...e }).slice('["",'.length));
  return [
    entries.map((e) => e.at.toISOString()),
    entries.map((e) => e.actorId),
    entries.map((e) => e.action),
    entries.map((e) => e.ip),
    entries.map((e) => e.detail),
    tails,
  ];
}

const DUPLICATE = 'duplicate_client_order_id';
/**
 * New orders, changed orders and audit rows in one statement, which is its own transaction (no BEGIN and
 * COMMIT round trips). A short insert (a taken client_order_id) fails the statement on purpose, undoing
 * all of it: a cast to int of a text that is not a number, built from the insert's count so the planner
 * cannot evaluate it early. The audit append runs only when there are events.
 */
const COMMIT_ORDERS = `with ins as (${rowsOf('$1')} on conflict do nothing returning id),
  upd as (${upsert('$2', '$3')} returning id),
  inserted as (select count(*) as n from ins)
  select case when n = $4::int then n else ('${DUPLICATE} ' || n)::int end as inserted,
    (select count(*) from upd) as saved,
    (select count(*) from (select ${auditAppend(5)} where cardinality($10::text[]) > 0) a) as audited
  from inserted`;

/** Commits a step without fills in one statement (see TradingStore.commitOrders). */
export async function commitOrders(
  db: Kysely<Database>,
  accountId: string,
  step: OrderCommit,
  at: Date,
): Promise<'committed' | 'duplicate_client_order_id'> {
  try {
    await runPrepared(
      db,
      statement(COMMIT_ORDERS, [
        rowsJson(accountId, step.insert),
        rowsJson(accountId, step.save),
        accountId,
        step.insert.length,
        ...auditParameters(step.audit, at),
      ]),
    );
    return 'committed';
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === '22P02' && typeof message === 'string' && message.includes(DUPLICATE)) return DUPLICATE;
    throw error;
  }
}

async function readPosition(db: Kysely<Database>, accountId: string, symbol: string): Promise<Position> {
  const { rows } = await runPrepared(
    db,
    db
      .selectFrom('trading_positions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('symbol', '=', symbol),
  );
  const row = rows[0];
  if (!row) return flatPosition(symbol);
  return {
    symbol,
    qty: new Money(row.qty),
    avgEntryPrice: new Money(row.avg_entry_price),
    realizedPl: new Money(row.realized_pl),
  };
}

/** Inserts or overwrites one equity point of an account. */
export async function upsertEquity(db: Kysely<Database>, accountId: string, p: EquityPoint): Promise<void> {
  const values = { equity: p.equity.toFixed(), cash: p.cash.toFixed() };
  await runPrepared(
    db,
    db
      .insertInto('trading_equity')
      .values({ account_id: accountId, at: new Date(p.at), ...values })
      .onConflict((oc) => oc.columns(['account_id', 'at']).doUpdateSet(values)),
  );
}

/** One account's locked transaction (see TradingTransaction). */
export class SqlTradingTransaction implements TradingTransaction {
  readonly orders: SqlOrderStore;
  /** The account's cash, read under the row lock by the first fill. */
  private cash: Money | undefined;

  constructor(
    private readonly trx: Kysely<Database>,
    readonly accountId: string,
    private readonly wallNow: () => Date = () => new Date(),
  ) {
    this.orders = new SqlOrderStore(trx, accountId);
  }

  /** Locks the account row (until the commit) and reads its cash, once per transaction. */
  private async lockedCash(): Promise<Money> {
    if (this.cash === undefined) {
      const { rows } = await runPrepared(
        this.trx,
        this.trx.selectFrom('trading_accounts').select('cash').where('id', '=', this.accountId).forUpdate(),
      );
      const row = rows[0];
      if (!row) throw new Error(`no trading account ${this.accountId}`);
      this.cash = new Money(row.cash);
    }
    return this.cash;
  }

  async insertOrders(orders: readonly Order[]): Promise<'inserted' | 'duplicate_client_order_id'> {
    if (orders.length === 0) return 'inserted';
    // `on conflict do nothing` keeps the transaction usable; a short count means the unique
    // (account, client_order_id) index refused one, and the caller rolls back by throwing.
    const { rows } = await runPrepared(
      this.trx,
      statement<{ id: string }>(INSERT_NEW, [rowsJson(this.accountId, orders)]),
    );
    return rows.length === orders.length ? 'inserted' : 'duplicate_client_order_id';
  }

  async saveOrders(orders: readonly Order[]): Promise<void> {
    if (orders.length === 0) return;
    await runPrepared(this.trx, statement(SAVE, [rowsJson(this.accountId, orders), this.accountId]));
  }

  async audit(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await runPrepared(
      this.trx,
      statement(`select ${auditAppend(1)}`, auditParameters(events, this.wallNow())),
    );
  }

  async applyFill(fill: Fill, order: Order): Promise<{ applied: boolean; positionQty: Money }> {
    const accountId = this.accountId;
    const cash = await this.lockedCash();
    const before = await readPosition(this.trx, accountId, fill.symbol);
    const after = applyFill(before, fill.side, fill.qty, fill.price).position;
    const leaves = isOpen(order) && order.qty ? order.qty.minus(order.filledQty) : new Money(0);
    const { rows: inserted } = await runPrepared(
      this.trx,
      this.trx
        .insertInto('trading_fills')
        .values({
          execution_id: fill.id,
          account_id: accountId,
          order_id: fill.orderId,
          symbol: fill.symbol,
          side: fill.side,
          qty: fill.qty.toFixed(),
          price: fill.price.toFixed(),
          commission: fill.commission.toFixed(),
          position_qty: after.qty.toFixed(),
          cum_qty: order.filledQty.toFixed(),
          leaves_qty: leaves.toFixed(),
          order_status: order.status,
          reference_price: fill.referencePrice.toFixed(),
          liquidity: fill.liquidity,
          slippage_bps: String(fill.slippageBps),
          latency_ms: Math.round(fill.latencyMs),
          at: new Date(fill.t),
        })
        .onConflict((oc) => oc.column('execution_id').doNothing())
        .returning('seq'),
    );
    if (inserted.length === 0) return { applied: false, positionQty: before.qty };
    const now = new Date();
    if (after.qty.isZero()) {
      await runPrepared(
        this.trx,
        this.trx
          .deleteFrom('trading_positions')
          .where('account_id', '=', accountId)
          .where('symbol', '=', fill.symbol),
      );
    } else {
      const values = {
        qty: after.qty.toFixed(),
        avg_entry_price: after.avgEntryPrice.toFixed(),
        realized_pl: after.realizedPl.toFixed(),
        updated_at: now,
      };
      await runPrepared(
        this.trx,
        this.trx
          .insertInto('trading_positions')
          .values({ account_id: accountId, symbol: fill.symbol, ...values })
          .onConflict((oc) => oc.columns(['account_id', 'symbol']).doUpdateSet(values)),
      );
    }
    const gross = fill.qty.times(fill.price);
    this.cash = (fill.side === 'buy' ? cash.minus(gross) : cash.plus(gross)).minus(fill.commission);
    await runPrepared(
      this.trx,
      this.trx
        .updateTable('trading_accounts')
        .set({ cash: this.cash.toFixed(), updated_at: now })
        .where('id', '=', accountId),
    );
    return { applied: true, positionQty: after.qty };
  }

  recordEquity(point: EquityPoint): Promise<void> {
    return upsertEquity(this.trx, this.accountId, point);
  }
}
