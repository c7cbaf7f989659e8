/**
 * The simulated exchange: every trade, quote and bar is a pure function of (seed, symbol, time).
 *
 * Model. Each seed draws one market factor over every NYSE session since 2000-01-03 (GARCH(1,1) returns, so
 * volatility clusters), one factor per sector, and per symbol an idiosyncratic series with occasional news
 * jumps. A symbol's daily log return is beta × market + sector + idiosyncratic, with mean reversion toward a
 * 7%/year trend anchored so the close on REFERENCE_DATE equals the instrument's basePrice. Part of each move
 * and every jump lands overnight, so opens gap from prior closes. Within a session the mid price follows
 * Brownian bridges: pre-market from the after-hours level to the open, regular hours from open to close with
 * U-shaped volatility, after-hours halfway toward the next open. Each minute gets Poisson-like trade counts
 * (U-shaped, thin in extended hours) at sorted random times; trades print at the bid, the ask or inside the
 * spread of the 250 ms NBBO slot they fall in, in integer cents, mostly round lots. About 1.5% of symbol-days
 * carry a 5–15 minute halt with no trades. Daily paths are cached per symbol, intraday paths in a small LRU;
 * any minute can be generated on its own, so results never depend on call order.
 */
import { DomainError, MINUTE_MS } from '../kernel/index.js';
import { BarBuilder, compareBars, type Bar, type Quote, type Trade } from './bar.js';
import { rollupBars } from './aggregate.js';
import { sessionAtOrBefore, sessionOnDay, type SessionDay } from './calendar.js';
import {
  buildDailyPath,
  buildMarketFactor,
  buildSectorFactor,
  simSessionIndex,
  type DailyPath,
  type MarketFactor,
} from './daily-path.js';
import { buildIntradayPath, haltWindow, type IntradayPath } from './intraday-path.js';
import { SIM_INSTRUMENTS, type Instrument } from './instruments.js';
import { Lru } from './lru.js';
import {
  MAX_TRADES_PER_MINUTE,
  QUOTE_MS,
  bidCents,
  midAt,
  spreadCents,
  minuteTrades,
  quarterKnots,
  type MinuteTrades,
  type TapeParams,
} from './minute-tape.js';
import { dayNumber, exchangeDay } from './ny-time.js';
import { hashString, mix, uniform } from './rng.js';
import { bucketEnd, bucketStart, isIntraday, type Timeframe } from './timeframe.js';

/** Options of a simulated market. */
export type MarketSimulatorOptions = { seed: string | number; instruments?: readonly Instrument[] };

type SymbolState = TapeParams & { daily: DailyPath };

const VENUES: Readonly<Record<Instrument['exchange'], readonly string[]>> = {
  NASDAQ: ['D', 'D', 'D', 'Q', 'Q', 'Q', 'P', 'V', 'K', 'Z', 'X', 'H'],
  NYSE: ['D', 'D', 'D', 'N', 'N', 'N', 'P', 'V', 'K', 'Z', 'Q', 'H'],
  ARCA: ['D', 'D', 'D', 'P', 'P', 'P', 'N', 'V', 'K', 'Z', 'Q', 'H'],
};
const TAPES: Readonly<Record<Instrument['exchange'], string>> = { NYSE: 'A', ARCA: 'B', NASDAQ: 'C' };
const QUOTE_VENUES = ['Q', 'N', 'P', 'V', 'K', 'Z'];

/** A deterministic simulated US equity market over the instruments given (SIM_INSTRUMENTS by default). */
export class MarketSimulator {
  readonly instruments: readonly Instrument[];
  private readonly seed: number;
  private readonly bySymbol: Map<string, Instrument>;
  private readonly states = new Map<string, SymbolState>();
  private readonly sectors = new Map<string, Float64Array>();
  private market: MarketFactor | undefined;
  private readonly paths = new Lru<string, IntradayPath>(512);
  private readonly minutes = new Lru<string, MinuteTrades>(512);
  private readonly dailyBars = new Lru<string, Bar | null>(8192);
  private readonly scratch = new Float64Array(4 * MAX_TRADES_PER_MINUTE);

  constructor(options: MarketSimulatorOptions) {
    this.seed =
      typeof options.seed === 'number'
        ? mix(options.seed >>> 0, Math.floor(options.seed / 4294967296))
        : hashString(options.seed);
    this.instruments = options.instruments ?? SIM_INSTRUMENTS;
    this.bySymbol = new Map(this.instruments.map((i) => [i.symbol, i]));
  }

  /** True when `symbol` is simulated here. */
  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  /** Every trade of `symbol` with from <= t < to, sorted by time then id. */
  tradesBetween(symbol: string, from: number, to: number): Trade[] {
    const st = this.state(symbol);
    const out: Trade[] = [];
    this.eachMinute(
      st,
      from,
      to,
      (mt) => {
        const d = mt.data;
        for (let j = 0; j < mt.n; j++) {
          const t = d[4 * j] ?? 0;
          if (t < from || t >= to) continue;
          const size = d[4 * j + 2] ?? 0;
          const conditions = ['@'];
          if (mt.extended) conditions.push('T');
          if (size < 100) conditions.push('I');
          out.push({
            symbol,
            t,
            price: (d[4 * j + 1] ?? 0) / 100,
            size,
            id: mt.firstId + j,
            exchange: st.venues[d[4 * j + 3] ?? 0] ?? 'D',
            conditions,
            tape: st.tape,
          });
        }
      },
      true,
    );
    return out;
  }

  /** One-minute bars of `symbol` over [from, to): exactly `aggregateTrades(tradesBetween(...), 1Min)`. */
  minuteBars(symbol: string, from: number, to: number): Bar[] {
    const st = this.state(symbol);
    const out: Bar[] = [];
    this.eachMinute(
      st,
      from,
      to,
      (mt, start) => {
        let b: BarBuilder | undefined;
        const d = mt.data;
        for (let j = 0; j < mt.n; j++) {
          const t = d[4 * j] ?? 0;
          if (t < from || t >= to) continue;
          b ??= new BarBuilder(symbol, start, mt.extended);
          b.add((d[4 * j + 1] ?? 0) / 100, d[4 * j + 2] ?? 0);
        }
        if (b) out.push(b.toBar());
      },
      to - from <= 10 * MINUTE_MS,
    );
    return out;
  }

  /** Bars of any timeframe whose start lies in [from, to), each built from its whole bucket; Day and longer from regular hours. */
  bars(symbol: string, tf: Timeframe, from: number, to: number): Bar[] {
    if (to <= from) return [];
    let first = bucketStart(from, tf);
    if (first < from) first = bucketEnd(first, tf);
    const last = bucketStart(to - 1, tf);
    if (last < first) return [];
    const end = bucketEnd(last, tf);
    if (tf.unit === 'Min' && tf.amount === 1) return this.minuteBars(symbol, first, end);
    const base = isIntraday(tf)
      ? this.minuteBars(symbol, first, end)
      : this.dailyBarsBetween(symbol, first, end);
    if (tf.unit === 'Day') return base;
    return rollupBars(base, tf).filter((b) => b.t >= from && b.t < to);
  }

  /** The NBBO in force at `t`; outside trading hours, the last quote of the previous session. */
  quoteAt(symbol: string, t: number): Quote {
    const st = this.state(symbol);
    const s = sessionAtOrBefore(t);
    const index = s ? simSessionIndex(exchangeDay(s.open)) : -1;
    if (!s || index < 0)
      throw new DomainError(
        'MARKET_OUT_OF_RANGE',
        `no simulated session at or before ${new Date(t).toISOString()}`,
      );
    const at = Math.min(t, s.postClose - 1);
    const path = this.path(st, index, s);
    const k = Math.floor((at - s.preOpen) / MINUTE_MS);
    const minuteStart = s.preOpen + k * MINUTE_MS;
    const slot = Math.floor((at - minuteStart) / QUOTE_MS);
    const extended = minuteStart < s.open || minuteStart >= s.close;
    const mid = midAt(quarterKnots(st, path, k), slot * QUOTE_MS);
    const bid = bidCents(st, mid, extended);
    const ask = bid + spreadCents(st, mid, extended);
    const qt = minuteStart + slot * QUOTE_MS;
    const lots = extended ? 3 : Math.max(2, Math.round(st.meanLots * 2));
    return {
      symbol,
      t: qt,
      bidPrice: bid / 100,
      bidSize: 100 * (1 + Math.floor(uniform(this.seed, st.key, qt / QUOTE_MS, 31) * lots)),
      askPrice: ask / 100,
      askSize: 100 * (1 + Math.floor(uniform(this.seed, st.key, qt / QUOTE_MS, 32) * lots)),
      bidExchange:
        QUOTE_VENUES[Math.floor(uniform(this.seed, st.key, qt / QUOTE_MS, 33) * QUOTE_VENUES.length)] ?? 'Q',
      askExchange:
        QUOTE_VENUES[Math.floor(uniform(this.seed, st.key, qt / QUOTE_MS, 34) * QUOTE_VENUES.length)] ?? 'Q',
      conditions: [this.haltedAt(symbol, t) ? 'H' : 'R'],
      tape: st.tape,
    };
  }

  /** True while `symbol` is halted at `t` (no trades print). */
  haltedAt(symbol: string, t: number): boolean {
    const st = this.state(symbol);
    const s = sessionOnDay(exchangeDay(t));
    const index = s ? simSessionIndex(exchangeDay(t)) : -1;
    if (!s || index < 0) return false;
    const [haltFrom, haltTo] = haltWindow(this.seed, st.key, index, s);
    return t >= haltFrom && t < haltTo;
  }

  /** The model's open and close mid prices (dollars) of `symbol` on `date` (YYYY-MM-DD), or null when there is no session. */
  sessionReference(symbol: string, date: string): { open: number; close: number } | null {
    const index = simSessionIndex(dayNumber(date));
    if (index < 0) return null;
    const { daily } = this.state(symbol);
    return { open: Math.exp(daily.open[index] ?? 0), close: Math.exp(daily.close[index] ?? 0) };
  }

  private state(symbol: string): SymbolState {
    const hit = this.states.get(symbol);
    if (hit) return hit;
    const inst = this.bySymbol.get(symbol);
    if (!inst) throw new DomainError('MARKET_UNKNOWN_SYMBOL', `unknown symbol ${symbol}`);
    this.market ??= buildMarketFactor(this.seed);
    let sector = this.sectors.get(inst.sector);
    if (!sector) {
      sector = buildSectorFactor(this.seed, inst.sector, this.market);
      this.sectors.set(inst.sector, sector);
    }
    const ratePerMinute = Math.min(100, Math.max(3, inst.avgDailyVolume / 300_000));
    const adv = inst.avgDailyVolume;
    const st: SymbolState = {
      inst,
      seed: this.seed,
      key: hashString(`symbol:${symbol}`),
      spreadBps: adv >= 20_000_000 ? 0.25 : adv >= 5_000_000 ? 1 : 2,
      ratePerMinute,
      meanLots: Math.min(30, Math.max(1, adv / (390 * ratePerMinute * 100))),
      venues: VENUES[inst.exchange],
      tape: TAPES[inst.exchange],
      daily: buildDailyPath(this.seed, inst, this.market, sector),
    };
    this.states.set(symbol, st);
    return st;
  }

  private path(st: SymbolState, index: number, s: SessionDay): IntradayPath {
    return this.paths.getOrSet(`${st.inst.symbol}:${index}`, () =>
      buildIntradayPath(this.seed, st.key, index, s, st.daily, st.ratePerMinute),
    );
  }

  /** Calls `fn` with each generated minute overlapping [from, to), in time order; `cache` keeps minutes for repeated small reads. */
  private eachMinute(
    st: SymbolState,
    from: number,
    to: number,
    fn: (mt: MinuteTrades, start: number) => void,
    cache: boolean,
  ): void {
    if (to <= from) return;
    for (let day = exchangeDay(from); day <= exchangeDay(to - 1); day++) {
      const s = sessionOnDay(day);
      const index = s ? simSessionIndex(day) : -1;
      if (!s || index < 0) continue;
      const lo = Math.max(from, s.preOpen);
      const hi = Math.min(to, s.postClose);
      if (lo >= hi) continue;
      const path = this.path(st, index, s);
      const k0 = Math.floor((lo - s.preOpen) / MINUTE_MS);
      const k1 = Math.ceil((hi - s.preOpen) / MINUTE_MS);
      for (let k = k0; k < k1; k++) {
        const start = s.preOpen + k * MINUTE_MS;
        const mt = cache
          ? this.minutes.getOrSet(`${st.inst.symbol}:${start}`, () => minuteTrades(st, path, k))
          : minuteTrades(st, path, k, this.scratch);
        fn(mt, start);
      }
    }
  }

  private dailyBarsBetween(symbol: string, from: number, to: number): Bar[] {
    const st = this.state(symbol);
    const out: Bar[] = [];
    for (let day = exchangeDay(from); day <= exchangeDay(to - 1); day++) {
      const s = sessionOnDay(day);
      if (!s || s.open < from || simSessionIndex(day) < 0) continue;
      const bar = this.dailyBars.getOrSet(`${symbol}:${day}`, () => {
        const b = new BarBuilder(symbol, bucketStart(s.open, { amount: 1, unit: 'Day' }), false);
        let any = false;
        this.eachMinute(
          st,
          s.open,
          s.close,
          (mt) => {
            for (let j = 0; j < mt.n; j++) b.add((mt.data[4 * j + 1] ?? 0) / 100, mt.data[4 * j + 2] ?? 0);
            any ||= mt.n > 0;
          },
          false,
        );
        return any ? b.toBar() : null;
      });
      if (bar) out.push(bar);
    }
    return out.sort(compareBars);
  }
}
