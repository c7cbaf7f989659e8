import type { Bar, Timeframe } from '../../core/market-data/index.js';
import { parseTimeframe } from '../../core/market-data/index.js';
import { BarRoller } from './bar-roller.js';
import {
  type CompiledRule,
  compileRule,
  type FiringMode,
  type FiringPolicy,
  type FiringState,
  firingPolicy,
  type RuleEvaluation,
  type RuleState,
  ruleDomainError,
} from '../../core/signals/index.js';

/** What the engine needs of a signal. */
export interface EngineSignal {
  readonly id: string;
  readonly userId: string;
  readonly source: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly mode: FiringMode;
  readonly cooldownBars: number;
  readonly expiresAt: number | null;
}

/** Where one (signal, symbol) stands: the firing policy's state after the bar at `lastBarTime`. */
export interface SignalCursor {
  readonly firing: FiringState;
  /** The last bar decided, or null before the first. */
  readonly lastBarTime: number | null;
}

/** A decision to fire at a bar close, with the bar and the operand values that made the rule true. */
export interface EngineFiring {
  readonly signalId: string;
  readonly userId: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly bar: Bar;
  readonly values: Readonly<Record<string, number | null>>;
  /** Decided while catching up on history after a restart, not at the live close. */
  readonly catchUp: boolean;
}

/** A cursor that moved, to persist. */
export interface CursorChange {
  readonly signalId: string;
  readonly symbol: string;
  readonly cursor: SignalCursor;
}

interface Subscription {
  readonly signal: EngineSignal;
  readonly symbol: string;
  readonly policy: FiringPolicy;
  firing: FiringState;
  lastBarTime: number | null;
}

/** One rule over one symbol's bars of one timeframe; every signal with this rule text shares it. */
interface Stream {
  readonly rule: CompiledRule;
  readonly state: RuleState;
  lastT: number;
  last: RuleEvaluation | null;
  readonly subs: Subscription[];
}

/** The bars of one (symbol, timeframe) and the streams evaluated on them. */
export interface Lane {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly timeframeText: string;
  readonly streams: Map<string, Stream>;
  /** Rolls the symbol's live 1Min bars into this timeframe. */
  readonly roller: BarRoller;
  /** The last bar of this lane fed to any stream. */
  lastBarTime: number;
}

/** A stream that has not seen history yet: feed it with `warm`. */
export interface ColdStream {
  readonly lane: Lane;
  readonly source: string;
  readonly warmup: number;
}

/**
 * Evaluates live signals at bar close, synchronously and without I/O. Signals are indexed by (symbol, timeframe);
 * signals with the same rule text on the same symbol and timeframe share one compiled rule state, so a bar costs
 * one evaluation per distinct rule, then one policy decision per signal. Each (signal, symbol) decides a bar at most
 * once (`lastBarTime`), which with persisted cursors makes a restart neither lose nor repeat a firing.
 */
export class SignalEngine {
  private readonly lanes = new Map<string, Lane>();
  private readonly bySymbol = new Map<string, Lane[]>();
  private readonly bySignal = new Map<string, Subscription[]>();
  private readonly compiled = new Map<string, CompiledRule>();
  private readonly changed = new Map<string, CursorChange>();

  /** Lanes of `symbol` (one per timeframe watched). */
  lanesOf(symbol: string): readonly Lane[] {
    return this.bySymbol.get(symbol) ?? [];
  }

  /** Every lane. */
  allLanes(): IterableIterator<Lane> {
    return this.lanes.values();
  }

  /** Number of (signal, symbol) subscriptions and of distinct rule states. */
  size(): { subscriptions: number; streams: number; lanes: number } {
    let subscriptions = 0;
    let streams = 0;
    for (const lane of this.lanes.values())
      for (const s of lane.streams.values()) {
        streams++;
        subscriptions += s.subs.length;
      }
    return { subscriptions, streams, lanes: this.lanes.size };
  }

  /**
   * Adds (or replaces) a signal, resuming each symbol from `cursors` when given. Returns the streams that are new
   * and need history (`warm`) before live bars.
   */
  add(signal: EngineSignal, cursors: ReadonlyMap<string, SignalCursor> = new Map()): ColdStream[] {
    this.remove(signal.id);
    const timeframe = parseTimeframe(signal.timeframe);
    if (!timeframe) throw new Error(`invalid timeframe ${signal.timeframe}`);
    const rule = this.rule(signal.source, signal.timeframe);
    const policy = firingPolicy({
      mode: signal.mode,
      cooldownBars: signal.cooldownBars,
      ...(signal.expiresAt !== null && { expiresAt: signal.expiresAt }),
    });
    const cold: ColdStream[] = [];
    const subs: Subscription[] = [];
    for (const symbol of new Set(signal.symbols)) {
      const laneKey = `${symbol}|${signal.timeframe}`;
      let lane = this.lanes.get(laneKey);
      if (!lane) {
        lane = {
          symbol,
          timeframe,
          timeframeText: signal.timeframe,
          streams: new Map(),
          roller: new BarRoller(timeframe),
          lastBarTime: Number.NEGATIVE_INFINITY,
        };
        this.lanes.set(laneKey, lane);
        this.bySymbol.set(symbol, [...this.lanesOf(symbol), lane]);
      }
      let stream = lane.streams.get(signal.source);
      if (!stream) {
        stream = { rule, state: rule.createState(), lastT: Number.NEGATIVE_INFINITY, last: null, subs: [] };
        lane.streams.set(signal.source, stream);
        cold.push({ lane, source: signal.source, warmup: rule.warmup });
      }
      const cursor = cursors.get(symbol);
      const sub: Subscription = {
        signal,
        symbol,
        policy,
        firing: cursor?.firing ?? policy.initialState(),
        lastBarTime: cursor?.lastBarTime ?? null,
      };
      // A signal added to a stream already running starts at its present: no firing for a condition already true.
      if (!cursor && stream.last) {
        sub.firing = { ...sub.firing, lastValue: stream.last.value };
        sub.lastBarTime = stream.lastT;
        this.touch(sub);
      }
      stream.subs.push(sub);
      subs.push(sub);
    }
    this.bySignal.set(signal.id, subs);
    return cold;
  }

  /** Removes a signal; streams and lanes no signal uses any more are dropped. */
  remove(signalId: string): boolean {
    const subs = this.bySignal.get(signalId);
    if (!subs) return false;
    this.bySignal.delete(signalId);
    for (const sub of subs) {
      const laneKey = `${sub.symbol}|${sub.signal.timeframe}`;
      const lane = this.lanes.get(laneKey);
      const stream = lane?.streams.get(sub.signal.source);
      if (!lane || !stream) continue;
      const at = stream.subs.indexOf(sub);
      if (at >= 0) stream.subs.splice(at, 1);
      if (stream.subs.length === 0) lane.streams.delete(sub.signal.source);
      if (lane.streams.size === 0) {
        this.lanes.delete(laneKey);
        const rest = this.lanesOf(sub.symbol).filter((l) => l !== lane);
        if (rest.length > 0) this.bySymbol.set(sub.symbol, rest);
        else this.bySymbol.delete(sub.symbol);
      }
    }
    return true;
  }

  /**
   * Feeds history to a cold stream (complete bars of its timeframe, ascending). Subscriptions resuming from a cursor
   * decide the bars after their `lastBarTime` (catch-up firings); new ones start at the last bar, as `add` does.
   */
  warm(cold: ColdStream, bars: readonly Bar[]): EngineFiring[] {
    const stream = cold.lane.streams.get(cold.source);
    if (!stream) return [];
    const out: EngineFiring[] = [];
    for (const bar of bars) this.evaluate(stream, cold.lane, bar, true, out);
    for (const sub of stream.subs)
      if (sub.lastBarTime === null && stream.last) {
        sub.firing = { ...sub.firing, lastValue: stream.last.value };
        sub.lastBarTime = stream.lastT;
        this.touch(sub);
      }
    return out;
  }

  /** A closed live 1Min bar: rolled into each watched timeframe of its symbol; returns the firings of bars it closed. */
  onMinute(bar: Bar, out: EngineFiring[] = []): EngineFiring[] {
    const lanes = this.bySymbol.get(bar.symbol);
    if (!lanes) return out;
    for (const lane of lanes) for (const closed of lane.roller.push(bar)) this.onBar(lane, closed, out);
    return out;
  }

  /** Closes every bucket whose end `now` has passed (a quiet last minute); returns the firings. */
  closeDue(now: number, out: EngineFiring[] = []): EngineFiring[] {
    for (const lane of this.lanes.values())
      for (const closed of lane.roller.closeDue(now)) this.onBar(lane, closed, out);
    return out;
  }

  /** Evaluates a closed bar of `lane` on every stream and decides every subscription; returns the firings. */
  onBar(lane: Lane, bar: Bar, out: EngineFiring[] = []): EngineFiring[] {
    if (bar.t > lane.lastBarTime) lane.lastBarTime = bar.t;
    for (const stream of lane.streams.values()) this.evaluate(stream, lane, bar, false, out);
    return out;
  }

  /** Cursors changed since the last call, to persist (each subscription once, latest state). */
  takeChanges(): CursorChange[] {
    const out = [...this.changed.values()];
    this.changed.clear();
    return out;
  }

  private evaluate(stream: Stream, lane: Lane, bar: Bar, catchUp: boolean, out: EngineFiring[]): void {
    if (!(bar.t > stream.lastT)) return;
    const evaluation = stream.rule.onBar(stream.state, bar);
    stream.lastT = bar.t;
    stream.last = evaluation;
    const subs = stream.subs;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i]!;
      // New subscriptions wait for the end of warm-up; resumed ones decide only bars after their cursor.
      if (sub.lastBarTime === null ? catchUp : bar.t <= sub.lastBarTime) continue;
      const decision = sub.policy.decide(sub.firing, evaluation.value, bar.t);
      sub.firing = decision.state;
      sub.lastBarTime = bar.t;
      this.touch(sub);
      if (decision.fire)
        out.push({
          signalId: sub.signal.id,
          userId: sub.signal.userId,
          symbol: lane.symbol,
          timeframe: lane.timeframeText,
          bar,
          values: evaluation.values,
          catchUp,
        });
    }
  }

  private touch(sub: Subscription): void {
    this.changed.set(`${sub.signal.id}|${sub.symbol}`, {
      signalId: sub.signal.id,
      symbol: sub.symbol,
      cursor: { firing: sub.firing, lastBarTime: sub.lastBarTime },
    });
  }

  private rule(source: string, timeframe: string): CompiledRule {
    const key = `${timeframe}\u0000${source}`;
    let rule = this.compiled.get(key);
    if (!rule) {
      const result = compileRule(source, { timeframe });
      if (!result.ok) throw ruleDomainError(result.errors);
      rule = result.rule;
      this.compiled.set(key, rule);
    }
    return rule;
  }
}
