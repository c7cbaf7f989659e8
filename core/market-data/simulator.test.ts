import { describe, it, expect } from 'vitest';
import { DomainError } from '../kernel/index.js';
import { aggregateTrades } from './aggregate.js';
import { BarAggregator } from './bar-aggregator.js';
import { tradingDays } from './calendar.js';
import { SIM_INSTRUMENTS, findInstrument } from './instruments.js';
import { MarketSimulator } from './simulator.js';
import { parseTimeframe, type Timeframe } from './timeframe.js';

const at = (iso: string): number => Date.parse(iso);
const tf = (text: string): Timeframe => parseTimeframe(text) ?? { amount: 1, unit: 'Min' };
const MIN = 60_000;
const sim = new MarketSimulator({ seed: 'pulse-test' });

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return cov / Math.sqrt(va * vb);
}

describe('MarketSimulator', () => {
  it('produces identical trades when two simulators share a seed, whatever the call order', () => {
    const a = new MarketSimulator({ seed: 'pulse-test' });
    const b = new MarketSimulator({ seed: 'pulse-test' });
    const x = at('2024-06-03T14:00:00Z');
    const y = at('2024-06-04T19:59:00Z');
    const ax = a.tradesBetween('AAPL', x, x + MIN);
    const ay = a.tradesBetween('MSFT', y, y + MIN);
    expect(b.tradesBetween('MSFT', y, y + MIN)).toEqual(ay);
    expect(b.tradesBetween('AAPL', x, x + MIN)).toEqual(ax);
    expect(b.quoteAt('NVDA', x + 1234)).toEqual(a.quoteAt('NVDA', x + 1234));
    expect(ax.length).toBeGreaterThan(0);
  });

  it('produces different trades when the seed differs', () => {
    const other = new MarketSimulator({ seed: 42 });
    const x = at('2024-06-03T14:00:00Z');
    expect(other.tradesBetween('AAPL', x, x + MIN)).not.toEqual(sim.tradesBetween('AAPL', x, x + MIN));
  });

  it('prints no trades when the exchange is closed', () => {
    expect(sim.tradesBetween('AAPL', at('2024-12-25T05:00:00Z'), at('2024-12-26T05:00:00Z'))).toEqual([]);
    expect(sim.tradesBetween('SPY', at('2024-06-15T00:00:00Z'), at('2024-06-17T04:00:00Z'))).toEqual([]);
    expect(sim.tradesBetween('SPY', at('2024-06-14T00:00:01Z'), at('2024-06-14T08:00:00Z'))).toEqual([]);
  });

  it('prints several trades a second with unique rising ids when a liquid name trades at 10:00 ET', () => {
    const from = at('2024-06-03T14:00:00Z');
    const trades = sim.tradesBetween('AAPL', from, from + 5 * MIN);
    expect(trades.length).toBeGreaterThan(5 * 60 * 1.5);
    const open = at('2024-06-03T13:30:00Z');
    expect(sim.tradesBetween('AAPL', open, open + MIN).length).toBeGreaterThan(60 * 3);
    for (let i = 1; i < trades.length; i++) {
      const p = trades[i - 1];
      const c = trades[i];
      expect(c && p && c.id > p.id && c.t >= p.t).toBe(true);
    }
    expect(trades.every((t) => t.t >= from && t.t < from + 5 * MIN && t.tape === 'C' && t.size > 0)).toBe(
      true,
    );
    const odd = trades.filter((t) => t.size % 100 !== 0);
    expect(odd.length / trades.length).toBeGreaterThan(0.03);
    expect(odd.length / trades.length).toBeLessThan(0.3);
    expect(odd.every((t) => t.conditions.includes('I'))).toBe(true);
  });

  it('flags trades and bars as extended when they print before the open', () => {
    const from = at('2024-06-03T12:00:00Z');
    const trades = sim.tradesBetween('NVDA', from, from + 60 * MIN);
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.every((t) => t.conditions.includes('T'))).toBe(true);
    const regular = sim.tradesBetween('NVDA', at('2024-06-03T14:00:00Z'), at('2024-06-03T14:01:00Z'));
    expect(trades.length / 60).toBeLessThan(regular.length / 5);
    expect(sim.minuteBars('NVDA', from, from + 60 * MIN).every((b) => b.extended)).toBe(true);
  });

  it('gives minute bars equal to aggregated trades when sampled across the day', () => {
    const days = ['2024-03-11', '2024-11-29', '2025-02-03', '2023-07-03'];
    for (const [i, d] of days.entries()) {
      for (const sym of ['AAPL', 'COST', 'SPY']) {
        for (const hhmm of ['08:00', '09:29', '09:30', '12:17', '15:59', '16:00', '19:58']) {
          const from =
            Date.parse(`${d}T${hhmm}:00-05:00`) -
            (d === '2023-07-03' || d === '2024-03-11' ? 3_600_000 : 0) +
            i * 7_777;
          const to = from + 3 * MIN + 12_345;
          expect(sim.minuteBars(sym, from, to), `${sym} ${d} ${hhmm}`).toEqual(
            aggregateTrades(sim.tradesBetween(sym, from, to), tf('1Min')),
          );
        }
      }
    }
  });

  it('agrees with the streaming aggregator when its trades are replayed', () => {
    const from = at('2024-06-03T13:00:00Z');
    const trades = sim.tradesBetween('MSFT', from, from + 90 * MIN);
    const agg = new BarAggregator(tf('5Min'));
    const bars = trades.flatMap((t) => agg.push(t)).concat(agg.flush(from + 90 * MIN));
    expect(bars).toEqual(aggregateTrades(trades, tf('5Min')));
    expect(bars.length).toBe(18);
  });

  it('builds daily bars from regular-session trades only', () => {
    const from = at('2024-11-27T05:00:00Z');
    const to = at('2024-12-03T05:00:00Z');
    const daily = sim.bars('COST', tf('1Day'), from, to);
    expect(daily.map((b) => b.t)).toEqual(
      ['2024-11-27', '2024-11-29', '2024-12-02'].map((d) => at(`${d}T05:00:00Z`)),
    );
    expect(daily).toEqual(aggregateTrades(sim.tradesBetween('COST', from, to), tf('1Day')));
    const week = sim.bars('COST', tf('1Day'), at('2024-11-25T05:00:00Z'), at('2024-12-02T05:00:00Z'));
    expect(week).toHaveLength(4);
    const [weekly] = sim.bars('COST', tf('1Week'), at('2024-11-25T05:00:00Z'), to);
    expect(weekly).toMatchObject({
      t: at('2024-11-25T05:00:00Z'),
      o: week[0]?.o,
      c: week[3]?.c,
      v: week.reduce((s, b) => s + b.v, 0),
      h: Math.max(...week.map((b) => b.h)),
      l: Math.min(...week.map((b) => b.l)),
    });
  });

  it('rolls minute bars into hour bars aligned to New York time', () => {
    const hours = sim.bars('SPY', tf('1Hour'), at('2024-06-03T08:00:00Z'), at('2024-06-04T00:00:00Z'));
    expect(hours.map((b) => new Date(b.t).toISOString().slice(11, 13))).toEqual([
      '08',
      '09',
      '10',
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
      '21',
      '22',
      '23',
    ]);
    expect(hours.filter((b) => !b.extended).map((b) => new Date(b.t).toISOString().slice(11, 13))).toEqual([
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
    ]);
  });

  it('keeps every trade within the quote in force when it prints', () => {
    for (const [sym, iso] of [
      ['AAPL', '2024-06-03T13:30:00Z'],
      ['LIN', '2024-06-03T15:10:00Z'],
      ['TSLA', '2024-06-03T21:30:00Z'],
      ['PG', '2024-06-03T11:00:00Z'],
    ] as const) {
      const trades = sim.tradesBetween(sym, at(iso), at(iso) + 10 * MIN);
      expect(trades.length, sym).toBeGreaterThan(0);
      for (const t of trades) {
        const q = sim.quoteAt(sym, t.t);
        expect(q.bidPrice).toBeLessThan(q.askPrice);
        expect(t.price).toBeGreaterThanOrEqual(q.bidPrice);
        expect(t.price).toBeLessThanOrEqual(q.askPrice);
        expect(q.t).toBeLessThanOrEqual(t.t);
      }
    }
  });

  it('quotes a one-cent spread on liquid names and wider ones after hours', () => {
    const regular = sim.quoteAt('AAPL', at('2024-06-03T15:00:00Z'));
    expect(Math.round((regular.askPrice - regular.bidPrice) * 100)).toBe(1);
    expect(regular.bidSize % 100).toBe(0);
    const late = sim.quoteAt('AAPL', at('2024-06-03T23:00:00Z'));
    expect(late.askPrice - late.bidPrice).toBeGreaterThan(0.02);
    const weekend = sim.quoteAt('AAPL', at('2024-06-08T15:00:00Z'));
    expect(weekend.t).toBeLessThan(at('2024-06-08T00:00:00Z'));
    expect(weekend.bidPrice).toBeLessThan(weekend.askPrice);
  });

  it('keeps prices positive and recent prices near basePrice', () => {
    const days = tradingDays('2000-01-03', '2030-12-31').filter((_, i) => i % 5 === 0);
    for (const inst of SIM_INSTRUMENTS) {
      expect(sim.sessionReference(inst.symbol, '2025-12-31')?.close).toBeCloseTo(inst.basePrice, 6);
      const recent = sim.sessionReference(inst.symbol, '2025-06-02')?.close ?? 0;
      expect(recent / inst.basePrice, inst.symbol).toBeGreaterThan(0.4);
      expect(recent / inst.basePrice, inst.symbol).toBeLessThan(2.5);
      const lowest = Math.min(...days.map((d) => sim.sessionReference(inst.symbol, d.date)?.close ?? 0));
      expect(lowest, inst.symbol).toBeGreaterThan(0.5);
    }
  });

  it('moves same-sector symbols together when comparing a year of daily returns', () => {
    const days = tradingDays('2024-01-01', '2024-12-31');
    const returns = (sym: string): number[] => {
      const closes = days.map((d) => sim.sessionReference(sym, d.date)?.close ?? 1);
      return closes.slice(1).map((c, i) => Math.log(c / (closes[i] ?? c)));
    };
    expect(correlation(returns('AAPL'), returns('MSFT'))).toBeGreaterThan(0.35);
    expect(correlation(returns('XOM'), returns('CVX'))).toBeGreaterThan(0.35);
  });

  it('opens away from the prior close when the session changes', () => {
    let gaps = 0;
    const days = tradingDays('2024-01-01', '2024-03-31');
    for (let i = 1; i < days.length; i++) {
      const prev = sim.sessionReference('JPM', days[i - 1]?.date ?? '');
      const cur = sim.sessionReference('JPM', days[i]?.date ?? '');
      if (prev && cur && Math.abs(cur.open / prev.close - 1) > 0.0005) gaps++;
    }
    expect(gaps / (days.length - 1)).toBeGreaterThan(0.7);
  });

  it('trades more heavily at the open and close than at midday', () => {
    const vol = (iso: string): number =>
      sim.minuteBars('MSFT', at(iso), at(iso) + 20 * MIN).reduce((s, b) => s + b.v, 0);
    const opens = vol('2024-06-04T13:30:00Z') + vol('2024-06-05T13:30:00Z');
    const middays = vol('2024-06-04T16:30:00Z') + vol('2024-06-05T16:30:00Z');
    const closes = vol('2024-06-04T19:40:00Z') + vol('2024-06-05T19:40:00Z');
    expect(opens).toBeGreaterThan(1.5 * middays);
    expect(closes).toBeGreaterThan(1.2 * middays);
  });

  it('prints no trades while a symbol is halted', () => {
    let found = false;
    for (const d of tradingDays('2024-01-01', '2024-12-31')) {
      for (const sym of ['AAPL', 'MSFT', 'KO', 'XOM']) {
        let t = d.open;
        while (t < d.close && !sim.haltedAt(sym, t)) t += MIN;
        if (t >= d.close) continue;
        let end = t;
        while (sim.haltedAt(sym, end)) end += MIN;
        expect((end - t) / MIN).toBeGreaterThanOrEqual(5);
        expect((end - t) / MIN).toBeLessThanOrEqual(15);
        expect(sim.tradesBetween(sym, t, end)).toEqual([]);
        expect(sim.tradesBetween(sym, end, end + 5 * MIN).length).toBeGreaterThan(0);
        expect(sim.quoteAt(sym, t).conditions).toEqual(['H']);
        found = true;
      }
      if (found) break;
    }
    expect(found).toBe(true);
  });

  it('returns 10,000 minute bars in well under a second', () => {
    const fresh = new MarketSimulator({ seed: 'perf' });
    const started = performance.now();
    const bars = fresh.minuteBars('NVDA', at('2025-05-01T00:00:00Z'), at('2025-05-20T00:00:00Z'));
    expect(bars.length).toBeGreaterThan(10_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('throws a domain error when the symbol is unknown', () => {
    expect(() => sim.tradesBetween('NOPE', 0, 1)).toThrow(DomainError);
    expect(findInstrument('NOPE')).toBeUndefined();
  });
});
