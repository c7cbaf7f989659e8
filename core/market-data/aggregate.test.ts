import { describe, it, expect } from 'vitest';
import type { Trade } from './bar.js';
import { aggregateTrades, rollupBars } from './aggregate.js';
import { BarAggregator } from './bar-aggregator.js';
import { parseTimeframe, type Timeframe } from './timeframe.js';

const tf = (text: string): Timeframe => parseTimeframe(text) ?? { amount: 1, unit: 'Min' };
const at = (iso: string): number => Date.parse(iso);
let nextId = 1;
const trade = (symbol: string, iso: string, price: number, size: number): Trade => ({
  symbol,
  t: at(iso),
  price,
  size,
  id: nextId++,
  exchange: 'V',
  conditions: ['@'],
  tape: 'C',
});

// 2024-01-03: pre-market before 14:30Z, regular until 21:00Z.
const TRADES: Trade[] = [
  trade('AAPL', '2024-01-03T13:00:05Z', 183.0, 10),
  trade('AAPL', '2024-01-03T13:00:40Z', 183.2, 20),
  trade('AAPL', '2024-01-03T14:30:00Z', 184.0, 100),
  trade('MSFT', '2024-01-03T14:30:10Z', 370.0, 50),
  trade('AAPL', '2024-01-03T14:30:30Z', 185.0, 300),
  trade('AAPL', '2024-01-03T14:30:59.999Z', 183.5, 100),
  trade('AAPL', '2024-01-03T14:33:00Z', 186.0, 200),
  trade('AAPL', '2024-01-03T20:59:59Z', 187.0, 100),
  trade('AAPL', '2024-01-03T21:05:00Z', 188.0, 5),
];

describe('aggregateTrades', () => {
  it('builds OHLCV, count and VWAP when trades share a minute', () => {
    const bars = aggregateTrades(TRADES, tf('1Min'));
    const open = bars.find((b) => b.symbol === 'AAPL' && b.t === at('2024-01-03T14:30:00Z'));
    expect(open).toEqual({
      symbol: 'AAPL',
      t: at('2024-01-03T14:30:00Z'),
      o: 184,
      h: 185,
      l: 183.5,
      c: 183.5,
      v: 500,
      n: 3,
      vw: 184.5,
      extended: false,
    });
  });

  it('flags extended-hours bars and skips empty minutes when intraday', () => {
    const bars = aggregateTrades(TRADES, tf('1Min')).filter((b) => b.symbol === 'AAPL');
    expect(bars.map((b) => [new Date(b.t).toISOString().slice(11, 16), b.extended])).toEqual([
      ['13:00', true],
      ['14:30', false],
      ['14:33', false],
      ['20:59', false],
      ['21:05', true],
    ]);
    expect(bars[0]).toMatchObject({ o: 183, c: 183.2, v: 30, n: 2 });
  });

  it('keeps only regular-session trades when the timeframe is a day', () => {
    const [aapl, msft] = aggregateTrades(TRADES, tf('1Day'));
    expect(aapl).toEqual({
      symbol: 'AAPL',
      t: at('2024-01-03T05:00:00Z'),
      o: 184,
      h: 187,
      l: 183.5,
      c: 187,
      v: 800,
      n: 5,
      vw: 185.1875,
      extended: false,
    });
    expect(msft?.symbol).toBe('MSFT');
  });

  it('marks an hour bar extended when it straddles the open', () => {
    const bars = aggregateTrades(TRADES, tf('1Hour')).filter((b) => b.symbol === 'AAPL');
    expect(bars.map((b) => [new Date(b.t).toISOString().slice(11, 16), b.extended, b.n])).toEqual(
      [
        ['13:00', true],
        ['14:00', true],
        ['20:00', false],
        ['21:00', true],
      ].map(([h, e], i) => [h, e, [2, 4, 1, 1][i]]),
    );
  });
});

describe('rollupBars', () => {
  it('matches direct aggregation when rolling minutes into 5Min bars', () => {
    const rolled = rollupBars(aggregateTrades(TRADES, tf('1Min')), tf('5Min'));
    const direct = aggregateTrades(TRADES, tf('5Min'));
    expect(rolled.map(({ vw: _vw, ...b }) => b)).toEqual(direct.map(({ vw: _vw, ...b }) => b));
    rolled.forEach((b, i) => expect(b.vw).toBeCloseTo(direct[i]?.vw ?? 0, 3));
  });

  it('drops extended bars when rolling up to a day', () => {
    const [day] = rollupBars(aggregateTrades(TRADES, tf('1Min')), tf('1Day'));
    expect(day).toMatchObject({ o: 184, h: 187, l: 183.5, c: 187, v: 800, n: 5 });
  });
});

describe('BarAggregator', () => {
  it('agrees with aggregateTrades when fed the same trades in order', () => {
    for (const text of ['1Min', '5Min', '1Hour', '1Day']) {
      const agg = new BarAggregator(tf(text));
      const streamed = TRADES.flatMap((t) => agg.push(t));
      streamed.push(...agg.flush(Number.POSITIVE_INFINITY));
      streamed.sort((a, b) => a.t - b.t || a.symbol.localeCompare(b.symbol));
      expect(streamed, text).toEqual(aggregateTrades(TRADES, tf(text)));
    }
  });

  it('returns the closed bar when a trade opens the next minute', () => {
    const agg = new BarAggregator(tf('1Min'));
    expect(agg.push(TRADES[2] as Trade)).toEqual([]);
    expect(agg.current('AAPL')).toMatchObject({ o: 184, n: 1 });
    const closed = agg.push(TRADES[6] as Trade);
    expect(closed).toEqual([expect.objectContaining({ t: at('2024-01-03T14:30:00Z'), n: 1 })]);
    expect(agg.flush(at('2024-01-03T14:33:59Z'))).toEqual([]);
    expect(agg.flush(at('2024-01-03T14:34:00Z'))).toEqual([
      expect.objectContaining({ t: at('2024-01-03T14:33:00Z'), c: 186 }),
    ]);
    expect(agg.current('AAPL')).toBeUndefined();
  });
});
