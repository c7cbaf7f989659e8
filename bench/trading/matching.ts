/**
 * Matching engine benchmark (issue "Trading and portfolio", Benchmarks): orders/s processed by the paper
 * broker's core (core/trading/matching's MatchingEngine), on one core, over a deterministic replay of the
 * simulator's quotes (every 250 ms slot) and trades for a few symbols during a regular session.
 *
 * Orders arrive spread over the replay with a fixed mix: market, limit (near the market, so some rest and
 * some fill), stop, stop_limit and trailing stops (price and percent), day/gtc/ioc. Order groups, replay and
 * random draws are built before the clock starts; the timed loop only submits orders and feeds events.
 * Baseline in the same run: the same loop walking the same replay and orders without the engine (the floor),
 * and the ratio engine time ÷ floor time.
 *
 *   npx tsx bench/trading/matching.ts            # 6 symbols × 1 h of session, 20,000 orders, 5 runs
 *   npx tsx bench/trading/matching.ts --quick    # 4 symbols × 20 min, 5,000 orders, 3 runs
 *   options: --symbols N --minutes N --orders N --runs N --cancel-every N
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FeedEvent, MarketSimulator } from '../../core/market-data/index.js';
import {
  MatchingEngine,
  type NewOrderRequest,
  type Order,
  createOrders,
  validateOrder,
} from '../../core/trading/index.js';

const SYMBOLS = ['AAPL', 'MSFT', 'AMZN', 'NVDA', 'JPM', 'XOM', 'GOOGL', 'META'];
/** 10:00 ET on Tuesday 2024-03-12: the regular session. */
const FROM = Date.parse('2024-03-12T14:00:00Z');
const QUOTE_MS = 250;

export interface MatchingOptions {
  symbols: number;
  minutes: number;
  orders: number;
  runs: number;
  /** Every n-th order is canceled 100 events later when still open (0: never). */
  cancelEvery: number;
}

export function parseOptions(argv: readonly string[]): MatchingOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    symbols: Number(value('symbols') ?? (quick ? 4 : 6)),
    minutes: Number(value('minutes') ?? (quick ? 20 : 60)),
    orders: Number(value('orders') ?? (quick ? 5_000 : 20_000)),
    runs: Number(value('runs') ?? (quick ? 3 : 5)),
    cancelEvery: Number(value('cancel-every') ?? 5),
  };
}

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Quotes every 250 ms and every trade of the symbols, in time order. */
export function buildReplay(symbols: readonly string[], from: number, to: number): FeedEvent[] {
  const simulator = new MarketSimulator({ seed: 'bench' });
  const events: FeedEvent[] = [];
  for (const symbol of symbols) {
    let lastQuote = -1;
    for (let t = from; t < to; t += QUOTE_MS) {
      const quote = simulator.quoteAt(symbol, t);
      if (quote.t !== lastQuote) events.push({ kind: 'quote', quote });
      lastQuote = quote.t;
    }
    for (const trade of simulator.tradesBetween(symbol, from, to)) events.push({ kind: 'trade', trade });
  }
  const t = (e: FeedEvent) => (e.kind === 'quote' ? e.quote.t : e.trade.t);
  // Stable: at one instant the quote comes before the trades of its slot.
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => t(a.e) - t(b.e) || a.i - b.i)
    .map((x) => x.e);
}

/** An order group due before replay event `at`. */
interface Arrival {
  at: number;
  group: Order[];
  /** Replay index at which to cancel it when still open, or -1. */
  cancelAt: number;
}

const cents = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

/** The order mix, priced off the last price seen for the symbol in the replay. */
function request(draw: () => number, symbol: string, price: number, i: number): NewOrderRequest {
  const side = draw() < 0.5 ? 'buy' : 'sell';
  const sign = side === 'buy' ? 1 : -1;
  const off = (bps: number) => cents(price * (1 - (sign * bps) / 10_000));
  const away = (bps: number) => cents(price * (1 + (sign * bps) / 10_000));
  const qty = String(1 + Math.floor(draw() * 20));
  const base = { symbol, side, qty, clientOrderId: `c${i}` } as const;
  const r = draw();
  const tif = draw() < 0.7 ? 'day' : 'gtc';
  if (r < 0.25) return { ...base, type: 'market', timeInForce: draw() < 0.8 ? 'day' : 'ioc' };
  if (r < 0.6)
    return {
      ...base,
      type: 'limit',
      timeInForce: draw() < 0.1 ? 'ioc' : tif,
      limitPrice: off(Math.floor(draw() * 40) - 10),
    };
  if (r < 0.75)
    return { ...base, type: 'stop', timeInForce: tif, stopPrice: away(5 + Math.floor(draw() * 30)) };
  if (r < 0.85) {
    const stop = 5 + Math.floor(draw() * 30);
    return {
      ...base,
      type: 'stop_limit',
      timeInForce: tif,
      stopPrice: away(stop),
      limitPrice: away(stop + 5),
    };
  }
  if (r < 0.93)
    return { ...base, type: 'trailing_stop', timeInForce: tif, trailPrice: cents(price * 0.002 + 0.01) };
  return { ...base, type: 'trailing_stop', timeInForce: tif, trailPercent: '0.25' };
}

/** Spreads `count` orders over the replay; each built as the order store would (validated, grouped). */
export function buildArrivals(replay: readonly FeedEvent[], count: number, cancelEvery: number): Arrival[] {
  const draw = prng(42);
  const last = new Map<string, number>();
  const arrivals: Arrival[] = [];
  const every = replay.length / count;
  let next = 0;
  let id = 0;
  for (let at = 0; at < replay.length && arrivals.length < count; at += 1) {
    const e = replay[at];
    if (!e) continue;
    if (e.kind === 'trade') last.set(e.trade.symbol, e.trade.price);
    else if (!last.has(e.quote.symbol)) last.set(e.quote.symbol, (e.quote.bidPrice + e.quote.askPrice) / 2);
    while (next <= at && arrivals.length < count) {
      const symbols = [...last.keys()];
      const symbol = symbols[Math.floor(draw() * symbols.length)];
      const price = symbol === undefined ? undefined : last.get(symbol);
      next += every;
      if (symbol === undefined || price === undefined) continue;
      const t = e.kind === 'quote' ? e.quote.t : e.trade.t;
      const n = arrivals.length;
      const checked = validateOrder(request(draw, symbol, price, n));
      if (!checked.ok) throw new Error(`bench order ${n} invalid: ${checked.refusal.message}`);
      const group = createOrders(
        checked.value,
        { id: `o${n}`, clientOrderId: `c${n}`, newId: () => `leg${(id += 1)}` },
        t,
      );
      const cancelAt = cancelEvery > 0 && n % cancelEvery === 0 ? at + 100 : -1;
      arrivals.push({ at, group, cancelAt });
    }
  }
  return arrivals;
}

const tOf = (e: FeedEvent) => (e.kind === 'quote' ? e.quote.t : e.trade.t);

/** The timed loop. With `engine` undefined it only walks the replay and the orders (the floor). */
function walk(
  replay: readonly FeedEvent[],
  arrivals: readonly Arrival[],
  engine: MatchingEngine | undefined,
) {
  let fills = 0;
  let updates = 0;
  let touched = 0;
  let peakOpen = 0;
  let a = 0;
  const cancels = new Map<number, string[]>();
  for (let i = 0; i < replay.length; i += 1) {
    const e = replay[i] as FeedEvent;
    const t = tOf(e);
    for (let arrival = arrivals[a]; arrival && arrival.at <= i; arrival = arrivals[++a]) {
      const head = arrival.group[0] as Order;
      if (arrival.cancelAt >= 0) {
        const list = cancels.get(arrival.cancelAt) ?? [];
        list.push(head.id);
        cancels.set(arrival.cancelAt, list);
      }
      if (engine) {
        const out = engine.submit(arrival.group, t);
        fills += out.fills.length;
        updates += out.updates.length;
      } else touched += head.symbol.length;
    }
    const due = cancels.get(i);
    if (due) {
      cancels.delete(i);
      for (const id of due) {
        if (!engine) {
          touched += id.length;
          continue;
        }
        const order = engine.get(id);
        if (!order || order.status === 'filled' || order.status === 'canceled' || order.status === 'expired')
          continue;
        if (order.status === 'rejected' || order.status === 'replaced') continue;
        updates += engine.cancel(id, t).updates.length;
      }
    }
    if (engine) {
      const out = e.kind === 'quote' ? engine.onQuote(e.quote) : engine.onTrade(e.trade);
      fills += out.fills.length;
      updates += out.updates.length;
      if ((i & 1023) === 0) peakOpen = Math.max(peakOpen, engine.openOrders().length);
    } else touched += e.kind === 'quote' ? e.quote.bidSize : e.trade.size;
  }
  return { fills, updates, touched, peakOpen: engine ? Math.max(peakOpen, engine.openOrders().length) : 0 };
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] ?? 0;
}

export function runMatching(options: MatchingOptions) {
  const symbols = SYMBOLS.slice(0, options.symbols);
  const to = FROM + options.minutes * 60_000;
  const replay = buildReplay(symbols, FROM, to);
  const arrivals = buildArrivals(replay, options.orders, options.cancelEvery);
  const types: Record<string, number> = {};
  for (const { group } of arrivals) {
    const o = group[0] as Order;
    const key = `${o.type}/${o.timeInForce}`;
    types[key] = (types[key] ?? 0) + 1;
  }
  // Warm-up (JIT) on both paths, then alternate runs so drift in machine load hits both alike.
  walk(replay, arrivals, undefined);
  walk(replay, arrivals, new MatchingEngine());
  // CPU time of this thread (user + system) is the primary figure: on a shared machine wall time
  // also counts the time other processes held the core.
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  const floorMs: number[] = [];
  const engineMs: number[] = [];
  const floorWallMs: number[] = [];
  const engineWallMs: number[] = [];
  let last = { fills: 0, updates: 0, touched: 0, peakOpen: 0 };
  for (let run = 0; run < options.runs; run += 1) {
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    walk(replay, arrivals, undefined);
    floorMs.push(cpuMs(c0));
    floorWallMs.push(performance.now() - t0);
    const engine = new MatchingEngine();
    c0 = process.cpuUsage();
    t0 = performance.now();
    last = walk(replay, arrivals, engine);
    engineMs.push(cpuMs(c0));
    engineWallMs.push(performance.now() - t0);
  }
  const floor = median(floorMs);
  const engine = median(engineMs);
  const round = (x: number) => Math.round(x * 100) / 100;
  const cancels = arrivals.filter((a) => a.cancelAt >= 0).length;
  return {
    benchmark: 'matching',
    config: { ...options, symbols, from: new Date(FROM).toISOString(), to: new Date(to).toISOString() },
    machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => +x.toFixed(2)) },
    replay: {
      events: replay.length,
      quotes: replay.filter((e) => e.kind === 'quote').length,
      trades: replay.filter((e) => e.kind === 'trade').length,
    },
    orders: { submitted: arrivals.length, cancelsRequested: cancels, mix: types },
    engine: {
      medianCpuMs: round(engine),
      runsCpuMs: engineMs.map(round),
      medianWallMs: round(median(engineWallMs)),
      ordersPerSecond: Math.round(arrivals.length / (engine / 1000)),
      eventsPerSecond: Math.round(replay.length / (engine / 1000)),
      fills: last.fills,
      updates: last.updates,
      peakOpenOrders: last.peakOpen,
    },
    baseline: {
      what: 'the same loop over the same replay and orders without the engine',
      medianCpuMs: round(floor),
      runsCpuMs: floorMs.map(round),
      medianWallMs: round(median(floorWallMs)),
      eventsPerSecond: Math.round(replay.length / (floor / 1000)),
    },
    ratioEngineToFloor: round(engine / floor),
    notes: [
      'ordersPerSecond = orders submitted ÷ CPU time of the whole replay with the engine (every quote and trade is matched against the working orders too); eventsPerSecond counts quotes + trades.',
      'One engine (one account) holds every order, as a busy paper account would; the open book grows with resting day/gtc orders (peakOpenOrders).',
    ],
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = runMatching(parseOptions(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
