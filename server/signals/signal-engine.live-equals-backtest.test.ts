import { describe, expect, it } from 'vitest';
import { type Bar, MarketSimulator, rollupBars } from '../../core/market-data/index.js';
import { runBacktest } from '../../core/signals/index.js';
import { type EngineFiring, type EngineSignal, SignalEngine, type SignalCursor } from './signal-engine.js';

const simulator = new MarketSimulator({ seed: 'consistency' });
const FROM = Date.parse('2024-03-04T09:00:00Z');
const TO = Date.parse('2024-03-16T00:00:00Z');
const MINUTE = { amount: 1, unit: 'Min' } as const;
const minutes = simulator.bars('AAPL', MINUTE, FROM, TO);

function signal(overrides: Partial<EngineSignal> = {}): EngineSignal {
  return {
    id: 'sig-1',
    userId: 'user-1',
    source: 'crossover(ema(close, 5), sma(close, 20)) and rsi(14) < 70',
    symbols: ['AAPL'],
    timeframe: '1Hour',
    mode: 'once_per_bar',
    cooldownBars: 0,
    expiresAt: null,
    ...overrides,
  };
}

/** Feeds 1Min bars one at a time as the live market publishes them, closing buckets on the clock as it passes. */
function live(engine: SignalEngine, bars: readonly Bar[]): EngineFiring[] {
  const out: EngineFiring[] = [];
  for (const bar of bars) {
    engine.onMinute(bar, out);
    engine.closeDue(bar.t + 60_000, out);
  }
  return out;
}

const fired = (firings: readonly EngineFiring[]) => firings.map((f) => ({ t: f.bar.t, values: f.values }));

describe('SignalEngine and runBacktest over the same bars', () => {
  it('fire at the same hourly bars with the same values when the live engine is fed minute by minute', () => {
    const engine = new SignalEngine();
    const rule = signal();
    engine.add(rule);
    const liveFirings = live(engine, minutes);
    const hourly = rollupBars(minutes, { amount: 1, unit: 'Hour' });
    expect(hourly).toEqual(simulator.bars('AAPL', { amount: 1, unit: 'Hour' }, FROM, TO));
    const backtest = runBacktest(hourly, {
      entry: rule.source,
      timeframe: '1Hour',
      entryFiring: { mode: 'once_per_bar' },
    });
    expect(liveFirings.length).toBeGreaterThan(3);
    expect(fired(liveFirings)).toEqual(backtest.signals.map((s) => ({ t: s.t, values: s.values })));
    // The backtest's entries are taken at the next bar's open after a firing when flat.
    expect(backtest.trades[0]?.signalAt).toBe(liveFirings[0]?.bar.t);
  });

  it('agree on 1Min bars with a cooldown and every_time firing', () => {
    const engine = new SignalEngine();
    const rule = signal({
      source: 'close > sma(close, 30) and volume > sma(volume, 30)',
      timeframe: '1Min',
      mode: 'every_time',
      cooldownBars: 7,
    });
    engine.add(rule);
    const liveFirings = live(engine, minutes.slice(0, 3_000));
    const backtest = runBacktest(minutes.slice(0, 3_000), {
      entry: rule.source,
      timeframe: '1Min',
      entryFiring: { mode: 'every_time', cooldownBars: 7 },
    });
    expect(liveFirings.length).toBeGreaterThan(20);
    expect(fired(liveFirings)).toEqual(backtest.signals.map((s) => ({ t: s.t, values: s.values })));
  });

  it('neither loses nor repeats a firing when restarted halfway from its cursor and warmed from history', () => {
    const whole = new SignalEngine();
    whole.add(signal());
    const all = live(whole, minutes);

    const half = Math.floor(minutes.length / 2);
    const first = new SignalEngine();
    first.add(signal());
    const before = live(first, minutes.slice(0, half));
    const cursors = new Map<string, SignalCursor>(first.takeChanges().map((c) => [c.symbol, c.cursor]));
    // The server is down for 300 minutes: the restarted engine catches up on history, then goes live.
    const downUntil = half + 300;
    const restarted = new SignalEngine();
    const [cold] = restarted.add(signal(), cursors);
    const history = rollupBars(minutes.slice(0, downUntil), { amount: 1, unit: 'Hour' }).filter(
      (b) => b.t + 3_600_000 <= minutes[downUntil]!.t,
    );
    const caughtUp = restarted.warm(cold!, history);
    // The forming hour is primed from 1Min history, then live minutes follow.
    const after = live(
      restarted,
      minutes.filter((b) => b.t >= history.at(-1)!.t + 3_600_000),
    );
    expect(caughtUp.every((f) => f.catchUp)).toBe(true);
    expect(fired([...before, ...caughtUp, ...after])).toEqual(fired(all));
  });
});
