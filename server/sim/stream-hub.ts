import type { Clock } from '../../core/kernel/index.js';
import {
  type Bar,
  type MarketSimulator,
  type Timeframe,
  bucketStart,
  exchangeDay,
  rollupBars,
  sessionOnDay,
} from '../../core/market-data/index.js';
import { presentBar, presentQuote, presentTrade } from './presenter.js';
import { barsAsOf } from './series.js';
import type { Channel, StreamSession } from './stream-session.js';

/** Options of the stream hub. */
export interface StreamHubOptions {
  simulator: MarketSimulator;
  clock: Clock;
  /** Real milliseconds between ticks; each tick sends one frame per client. */
  tickMs?: number;
  /** Called when a tick fails (e.g. the clock ran outside the simulated years); the hub keeps ticking. */
  onError?: (error: unknown) => void;
  /** Called on every tick with the simulated interval (from, to] it covers (the sim's brokers trade on it). */
  onAdvance?: (from: number, to: number) => void;
}

const MINUTE = 60_000;
const ONE_MIN: Timeframe = { amount: 1, unit: 'Min' };
const ONE_DAY: Timeframe = { amount: 1, unit: 'Day' };
/** Most minute closes replayed in one tick (after a stall); older ones are skipped. */
const MAX_CLOSES_PER_TICK = 60;

type Event = { channel: Channel; symbol: string; build: (session: StreamSession) => object };

/**
 * Drives every stream session from the simulated clock: each tick gathers the trades printed since
 * the last tick, the latest NBBO where it changed, minute bars that closed (equal to REST's), running
 * daily bars and halt statuses, and sends each client one frame with what it subscribed to.
 */
export class StreamHub {
  private readonly sessions = new Set<StreamSession>();
  private readonly lastQuoteT = new Map<string, number>();
  private readonly halted = new Map<string, boolean>();
  private readonly daily = new Map<string, { day: number; upTo: number; bar: Bar }>();
  private timer: NodeJS.Timeout | undefined;
  private cursor: number;

  constructor(private readonly options: StreamHubOptions) {
    this.cursor = options.clock.now();
  }

  /** Adds a session; it gets data once authenticated and subscribed. */
  add(session: StreamSession): void {
    this.sessions.add(session);
  }

  /** Removes a session. */
  remove(session: StreamSession): void {
    this.sessions.delete(session);
  }

  /** Every session, for fault injection and shutdown. */
  all(): StreamSession[] {
    return [...this.sessions];
  }

  /** Starts ticking. */
  start(): void {
    this.cursor = this.options.clock.now();
    this.timer ??= setInterval(() => {
      try {
        this.tick();
      } catch (error) {
        this.options.onError?.(error);
      }
    }, this.options.tickMs ?? 250);
    this.timer.unref();
  }

  /** Stops ticking. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Sends everything that happened in (last tick, now]; public so tests can drive it. */
  tick(): void {
    const to = this.options.clock.now();
    const from = this.cursor;
    if (to <= from) return;
    this.cursor = to;
    this.options.onAdvance?.(from, to);
    const listeners = [...this.sessions].filter((s) => s.authenticated);
    if (listeners.length === 0) return;
    const events = this.collect(listeners, from, to);
    if (events.length === 0) return;
    for (const session of listeners) {
      const frame = events.filter((e) => session.wants(e.channel, e.symbol)).map((e) => e.build(session));
      if (frame.length > 0) session.send(frame);
    }
  }

  private symbolsFor(listeners: StreamSession[], channel: Channel): string[] {
    const wanted = new Set<string>();
    for (const s of listeners) for (const symbol of s.subscriptions[channel]) wanted.add(symbol);
    const sim = this.options.simulator;
    if (wanted.has('*')) return sim.instruments.map((i) => i.symbol);
    return [...wanted].filter((symbol) => sim.has(symbol));
  }

  private collect(listeners: StreamSession[], from: number, to: number): Event[] {
    const sim = this.options.simulator;
    const events: Event[] = [];
    const live: Array<Event & { t: number }> = [];
    for (const symbol of this.symbolsFor(listeners, 'trades')) {
      for (const trade of sim.tradesBetween(symbol, from, to)) {
        live.push({
          channel: 'trades',
          symbol,
          t: trade.t,
          build: (s) => ({ T: 't', S: symbol, ...presentTrade(trade, s.time) }),
        });
      }
    }
    for (const symbol of this.symbolsFor(listeners, 'quotes')) {
      const quote = sim.quoteAt(symbol, to - 1);
      if (this.lastQuoteT.get(symbol) === quote.t) continue;
      this.lastQuoteT.set(symbol, quote.t);
      live.push({
        channel: 'quotes',
        symbol,
        t: quote.t,
        build: (s) => ({ T: 'q', S: symbol, ...presentQuote(quote, s.time) }),
      });
    }
    events.push(...live.sort((a, b) => a.t - b.t));

    const firstClose =
      Math.max(Math.floor(from / MINUTE) + 1, Math.floor(to / MINUTE) - MAX_CLOSES_PER_TICK + 1) * MINUTE;
    for (let close = firstClose; close <= to; close += MINUTE) {
      for (const symbol of this.symbolsFor(listeners, 'bars')) {
        const bar = sim.bars(symbol, ONE_MIN, close - MINUTE, close)[0];
        if (bar)
          events.push({
            channel: 'bars',
            symbol,
            build: (s) => ({ T: 'b', S: symbol, ...presentBar(bar, s.time) }),
          });
      }
      for (const symbol of this.symbolsFor(listeners, 'dailyBars')) {
        const bar = this.dailyBarAt(symbol, close);
        if (bar)
          events.push({
            channel: 'dailyBars',
            symbol,
            build: (s) => ({ T: 'd', S: symbol, ...presentBar(bar, s.time) }),
          });
      }
    }
    for (const symbol of this.symbolsFor(listeners, 'statuses')) {
      const halted = sim.haltedAt(symbol, to - 1);
      if ((this.halted.get(symbol) ?? false) === halted) continue;
      this.halted.set(symbol, halted);
      const status = halted
        ? { sc: 'H', sm: 'Trading Halt', rc: 'T1', rm: 'Halt News Pending' }
        : { sc: 'T', sm: 'Trading Resumption', rc: '', rm: '' };
      const tape = sim.quoteAt(symbol, to - 1).tape;
      events.push({
        channel: 'statuses',
        symbol,
        build: (s) => ({ T: 's', S: symbol, ...status, t: s.time(to - 1), z: tape }),
      });
    }
    return events;
  }

  /** The running regular-session daily bar after the minute ending at `close`, updated incrementally. */
  private dailyBarAt(symbol: string, close: number): Bar | null {
    const session = sessionOnDay(exchangeDay(close - 1));
    if (!session || close <= session.open || close > session.close) return null;
    const sim = this.options.simulator;
    const day = bucketStart(close - 1, ONE_DAY);
    const minute = sim.bars(symbol, ONE_MIN, close - MINUTE, close)[0];
    const cached = this.daily.get(symbol);
    const continues = cached !== undefined && cached.upTo === close - MINUTE && cached.day === day;
    if (!minute) {
      if (continues) cached.upTo = close;
      return null;
    }
    const bar = continues
      ? rollupBars([cached.bar, minute], ONE_DAY)[0]
      : barsAsOf(sim, symbol, ONE_DAY, day, close, close - 1).at(-1);
    if (!bar) return null;
    this.daily.set(symbol, { day, upTo: close, bar });
    return bar;
  }
}
