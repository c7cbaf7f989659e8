import { performance } from 'node:perf_hooks';
import type { Bar } from '../../core/market-data/index.js';
import { randomSeries } from '../../core/signals/indicators/testing/fixtures.js';
import { type EngineFiring, SignalEngine } from '../../server/signals/signal-engine.js';

const RULES = [
  (n: number) => `crossover(sma(close, ${10 + (n % 40)}), sma(close, ${60 + (n % 140)})) and rsi(14) < 70`,
  (n: number) => `rsi(${5 + (n % 20)}) < 30`,
  (n: number) => `close > prev(highest(high, ${5 + (n % 50)}))`,
  (n: number) => `crossunder(ema(close, ${5 + (n % 30)}), ema(close, ${40 + (n % 60)}))`,
];

/**
 * One bar close for 500 symbols under 10,000 signals on 1Min bars: the engine time (evaluation + decisions,
 * no I/O) from the closed bars to every firing, with rules shared across signals (a pool of `distinct` rule
 * texts) and without sharing (every signal its own rule).
 */
export function liveSignalsBench(quick: boolean): Record<string, unknown> {
  const SYMBOLS = 500;
  const SIGNALS = 10_000;
  const HISTORY = quick ? 250 : 400;
  const series = Array.from({ length: SYMBOLS }, (_, s) => randomSeries(HISTORY + 5, 1_000 + s));
  const barAt = (s: number, i: number): Bar => {
    const x = series[s]!;
    return {
      symbol: `S${s}`,
      t: x.time[i]!,
      o: x.open[i]!,
      h: x.high[i]!,
      l: x.low[i]!,
      c: x.close[i]!,
      v: x.volume[i]!,
      n: 1,
      vw: x.close[i]!,
      extended: false,
    };
  };
  const scenario = (distinct: number) => {
    const engine = new SignalEngine();
    const texts = new Set<string>();
    const setupStart = performance.now();
    for (let k = 0; k < SIGNALS; k++) {
      texts.add(RULES[k % RULES.length]!(k % distinct));
      const cold = engine.add({
        id: `sig-${k}`,
        userId: `user-${k % 100}`,
        source: RULES[k % RULES.length]!(k % distinct),
        symbols: [`S${k % SYMBOLS}`],
        timeframe: '1Min',
        mode: 'once_per_bar',
        cooldownBars: 0,
        expiresAt: null,
      });
      for (const c of cold) {
        const s = Number(c.lane.symbol.slice(1));
        engine.warm(
          c,
          Array.from({ length: HISTORY }, (_, i) => barAt(s, i)),
        );
      }
    }
    const setupMs = performance.now() - setupStart;
    engine.takeChanges();
    const closes: number[] = [];
    let firings = 0;
    for (let i = HISTORY; i < HISTORY + 5; i++) {
      const bars = Array.from({ length: SYMBOLS }, (_, s) => barAt(s, i));
      const start = performance.now();
      const out: EngineFiring[] = [];
      for (const bar of bars) engine.onMinute(bar, out);
      engine.takeChanges();
      closes.push(performance.now() - start);
      firings += out.length;
    }
    const size = engine.size();
    return {
      signals: SIGNALS,
      symbols: SYMBOLS,
      distinctRuleTexts: texts.size,
      /** (rule text, symbol) pairs: one shared indicator state each. */
      ruleStates: size.streams,
      setupAndWarmMs: Math.round(setupMs),
      barCloseMs: closes.map((x) => Math.round(x * 100) / 100),
      worstBarCloseMs: Math.round(Math.max(...closes) * 100) / 100,
      firingsOver5Closes: firings,
    };
  };
  return {
    target: 'all 10,000 signals decided within 100 ms of a bar close',
    pooledRules: scenario(50),
    variedRules: scenario(SIGNALS),
  };
}
