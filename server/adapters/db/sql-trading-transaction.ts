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
import type { FillCommit, FillOutcome, FillSettlement, OrderCommit } from '../../trading/trading-store.js';
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
/** Upserts by id, never over another account's order (`account` is the parameter of the account id). */
const upsert = (param: string, account: string) =>
  `${rowsOf(param)} on conflict (id) do update set ${ORDER_COLUMNS.filter(
    (c) => c !== 'id' && c !== 'account_id',
  )
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ')} where trading_orders.account_id = ${account}`;
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

/**
 * The owner's fencing token check (migration 0110): with several nodes, a commit of a node whose ownership
 * has ended raises `stale_paper_owner` (SQLSTATE PUL01) and undoes the whole statement. A null token (one
 * node alone) skips it without calling the function.
 */
const fence = (param: string) =>
  `(case when ${param}::bigint is null then true else pulse_paper_fence(${param}::bigint) end)`;

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
    (select count(*) from (select ${auditAppend(5)} where cardinality($10::text[]) > 0) a) as audited,
    ${fence('$11')} as fenced
  from inserted`;

/** Commits a step without fills in one statement (see TradingStore.commitOrders). */
export async function commitOrders(
  db: Kysely<Database>,
  accountId: string,
  step: OrderCommit,
  at: Date,
  fenceToken: number | null = null,
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
        fenceToken,
      ]),
    );
    return 'committed';
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === '22P02' && typeof message === 'string' && message.includes(DUPLICATE)) return DUPLICATE;
    throw error;
  }
}

/**
 * The read of a step with fills: locks the account row and returns its cash, the positions of the fills'
 * symbols and which of the fills' execution ids are stored already. The positions are read with the
 * statement's snapshot, taken before the lock was granted: `seen` (the row's xmin in that snapshot) differs
 * from `locked` (the version locked) when another transaction moved the account meanwhile, and the read
 * is then run again under the lock (every write of a position also updates its account row).
 */
const READ_FILLS = `select a.cash::text as cash, a.xmin::text as locked,
    (select s.xmin::text from trading_accounts s where s.id = $1) as seen,
    coalesce((select json_agg(json_build_array(p.symbol, p.qty::text, p.avg_entry_price::text,
      p.realized_pl::text)) from trading_positions p where p.account_id = $1 and p.symbol = any($2::text[])),
      '[]'::json) as positions,
    coalesce((select array_agg(f.execution_id) from trading_fills f where f.execution_id = any($3::text[])),
      '{}'::text[]) as stored,
    ${fence('$4')} as fenced
  from trading_accounts a where a.id = $1 for update of a`;

interface FillsRead {
  cash: string;
  locked: string;
  seen: string | null;
  /** [symbol, qty, avg_entry_price, realized_pl] (both drivers parse json and text[]). */
  positions: [string, string, string, string][];
  stored: string[];
}

const FILL_COLUMNS = [
  'execution_id',
  'account_id',
  'order_id',
  'symbol',
  'side',
  'qty',
  'price',
  'commission',
  'position_qty',
  'cum_qty',
  'leaves_qty',
  'order_status',
  'reference_price',
  'liquidity',
  'slippage_bps',
  'latency_ms',
  'at',
].join(', ');
const POSITION_SET = ['qty', 'avg_entry_price', 'realized_pl', 'updated_at']
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');
const REPLAYED = 'fill_applied_concurrently';
/**
 * The write of a step with fills, in one statement: new and changed orders, the fills (each counted: one
 * stored meanwhile fails the statement), positions upserted or deleted when flat, the cash (when a fill
 * was applied), the equity point (when `$12` is not null) and the audit rows. A short order insert fails it as in COMMIT_ORDERS.
 */
const WRITE_FILLS = `with ins as (${rowsOf('$1')} on conflict do nothing returning id),
  upd as (${upsert('$2', '$3')} returning id),
  fil as (insert into trading_fills (${FILL_COLUMNS}) select ${FILL_COLUMNS}
    from json_populate_recordset(null::trading_fills, $5::json) on conflict do nothing returning 1),
  pos as (insert into trading_positions (account_id, symbol, qty, avg_entry_price, realized_pl, updated_at)
    select $3, symbol, qty, avg_entry_price, realized_pl, $8::timestamptz
    from json_populate_recordset(null::trading_positions, $7::json)
    on conflict (account_id, symbol) do update set ${POSITION_SET} returning 1),
  gone as (delete from trading_positions where account_id = $3 and symbol = any($9::text[]) returning 1),
  moved as (update trading_accounts set cash = $10::numeric, updated_at = $8::timestamptz
    where id = $3 and $6::int > 0 returning 1),
  eq as (insert into trading_equity (account_id, at, equity, cash)
    select $3, $11::timestamptz, $12::numeric, $13::numeric where $12::numeric is not null
    on conflict (account_id, at) do update set equity = excluded.equity, cash = excluded.cash returning 1),
  counts as (select (select count(*) from ins) as n, (select count(*) from fil) as f)
  select case when n = $4::int then n else ('${DUPLICATE} ' || n)::int end as inserted,
    case when f = $6::int then f else ('${REPLAYED} ' || f)::int end as filled,
    (select count(*) from upd) as saved,
    (select count(*) from pos) + (select count(*) from gone) as positions,
    (select count(*) from moved) as moved,
    (select count(*) from eq) as equity,
    (select count(*) from (select ${auditAppend(14)} where cardinality($19::text[]) > 0) a) as audited
  from counts`;

async function readFills(
  trx: Kysely<Database>,
  accountId: string,
  fills: readonly Fill[],
  fenceToken: number | null,
): Promise<{ cash: Money; positions: Map<string, Position>; stored: Set<string> }> {
  const symbols = [...new Set(fills.map((f) => f.symbol))];
  const ids = fills.map((f) => f.id);
  const read = async () => {
    const { rows } = await runPrepared(
      trx,
      statement<FillsRead>(READ_FILLS, [accountId, symbols, ids, fenceToken]),
    );
    const row = rows[0];
    if (!row) throw new Error(`no trading account ${accountId}`);
    return row;
  };
  let row = await read();
  // Another transaction moved the account while this one waited for the lock: read again, now locked.
  if (row.seen !== row.locked) row = await read();
  const positions = new Map<string, Position>();
  for (const [symbol, qty, avg, pl] of row.positions)
    positions.set(symbol, {
      symbol,
      qty: new Money(qty),
      avgEntryPrice: new Money(avg),
      realizedPl: new Money(pl),
    });
  return { cash: new Money(row.cash), positions, stored: new Set(row.stored) };
}

/** The row of a fill in trading_fills, with what it left behind. */
function fillRow(accountId: string, fill: Fill, order: Order, positionQty: Money) {
  const leaves = isOpen(order) && order.qty ? order.qty.minus(order.filledQty) : new Money(0);
  return {
    execution_id: fill.id,
    account_id: accountId,
    order_id: fill.orderId,
    symbol: fill.symbol,
    side: fill.side,
    qty: fill.qty.toFixed(),
    price: fill.price.toFixed(),
    commission: fill.commission.toFixed(),
    position_qty: positionQty.toFixed(),
    cum_qty: order.filledQty.toFixed(),
    leaves_qty: leaves.toFixed(),
    order_status: order.status,
    reference_price: fill.referencePrice.toFixed(),
    liquidity: fill.liquidity,
    slippage_bps: String(fill.slippageBps),
    latency_ms: Math.round(fill.latencyMs),
    at: new Date(fill.t).toISOString(),
  };
}

/**
 * Commits a step with fills (see TradingStore.commitFills): BEGIN, one locked read, one write, COMMIT.
 * Positions and cash are computed here by core's applyFill from the rows read under the lock.
 */
export async function commitFills(
  db: Kysely<Database>,
  accountId: string,
  step: FillCommit,
  settle: FillSettlement,
  wallNow: () => Date,
  fenceToken: number | null = null,
): Promise<'committed' | 'duplicate_client_order_id'> {
  try {
    await db.transaction().execute(async (trx) => {
      // The fence is taken first, with the account's row lock, and held until the write commits.
      const read = await readFills(
        trx,
        accountId,
        step.fills.map((e) => e.fill),
        fenceToken,
      );
      let cash = read.cash;
      const touched = new Map<string, Position>();
      const fills: ReturnType<typeof fillRow>[] = [];
      const outcomes: FillOutcome[] = [];
      for (const { fill, order } of step.fills) {
        const before = read.positions.get(fill.symbol) ?? flatPosition(fill.symbol);
        if (read.stored.has(fill.id)) {
          outcomes.push({ applied: false, positionQty: before.qty });
          continue;
        }
        read.stored.add(fill.id);
        const after = applyFill(before, fill.side, fill.qty, fill.price).position;
        read.positions.set(fill.symbol, after);
        touched.set(fill.symbol, after);
        const gross = fill.qty.times(fill.price);
        cash = (fill.side === 'buy' ? cash.minus(gross) : cash.plus(gross)).minus(fill.commission);
        fills.push(fillRow(accountId, fill, order, after.qty));
        outcomes.push({ applied: true, positionQty: after.qty });
      }
      const { audit, equity } = settle(outcomes);
      const open = [...touched.values()].filter((p) => !p.qty.isZero());
      const closed = [...touched.values()].filter((p) => p.qty.isZero()).map((p) => p.symbol);
      const now = wallNow();
      await runPrepared(
        trx,
        statement(WRITE_FILLS, [
          rowsJson(accountId, step.insert),
          rowsJson(accountId, step.save),
          accountId,
          step.insert.length,
          JSON.stringify(fills),
          fills.length,
          JSON.stringify(
            open.map((p) => ({
              symbol: p.symbol,
              qty: p.qty.toFixed(),
              avg_entry_price: p.avgEntryPrice.toFixed(),
              realized_pl: p.realizedPl.toFixed(),
            })),
          ),
          now.toISOString(),
          closed,
          cash.toFixed(),
          equity ? new Date(equity.at).toISOString() : null,
          equity ? equity.equity.toFixed() : null,
          equity ? equity.cash.toFixed() : null,
          ...auditParameters(audit, now),
        ]),
      );
    });
    return 'committed';
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === '22P02' && typeof message === 'string' && message.includes(DUPLICATE)) return DUPLICATE;
    throw error;
  }
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

/** One account's transaction (see TradingTransaction): its orders, read and written inside it. */
export class SqlTradingTransaction implements TradingTransaction {
  readonly orders: SqlOrderStore;

  constructor(
    trx: Kysely<Database>,
    readonly accountId: string,
  ) {
    this.orders = new SqlOrderStore(trx, accountId);
  }
}
