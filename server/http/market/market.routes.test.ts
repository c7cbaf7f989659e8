import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketSimulator, parseTimeframe } from '../../../core/market-data/index.js';
import { createTestApp, IN_SESSION, type TestApp } from '../../testing/test-app.js';

describe('marketRoutes', () => {
  let t: TestApp;
  const simulator = new MarketSimulator({ seed: 'test' });
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string) => t.app.http.inject({ method: 'GET', url });

  it('returns the simulator’s 1Min bars with Alpaca’s field names', async () => {
    const res = await get(
      '/api/v1/bars?symbols=AAPL&timeframe=1Min&start=2024-03-12T14:00:00Z&end=2024-03-12T14:05:00Z',
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expected = simulator.bars(
      'AAPL',
      parseTimeframe('1Min')!,
      Date.parse('2024-03-12T14:00:00Z'),
      Date.parse('2024-03-12T14:05:00Z'),
    );
    expect(body.source).toBe('sim');
    expect(body.next_page_token).toBeNull();
    expect(body.bars.AAPL).toHaveLength(5);
    expect(body.bars.AAPL[0]).toEqual({
      t: '2024-03-12T14:00:00Z',
      o: expected[0]!.o,
      h: expected[0]!.h,
      l: expected[0]!.l,
      c: expected[0]!.c,
      v: expected[0]!.v,
      n: expected[0]!.n,
      vw: expected[0]!.vw,
    });
  });

  it('pages across symbols with tokens and ends with a null token', async () => {
    const base =
      '/api/v1/bars?symbols=AAPL,MSFT&timeframe=5Min&start=2024-03-12T13:30:00Z&end=2024-03-12T14:30:00Z';
    const all = (await get(`${base}&limit=1000`)).json();
    const total = all.bars.AAPL.length + all.bars.MSFT.length;
    expect(all.bars.AAPL).toHaveLength(12);
    expect(all.bars.MSFT).toHaveLength(12);
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const res = await get(`${base}&limit=7${token ? `&page_token=${token}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      for (const [symbol, bars] of Object.entries(body.bars as Record<string, { t: string }[]>)) {
        for (const bar of bars) seen.push(`${symbol}@${bar.t}`);
      }
      token = body.next_page_token;
      pages += 1;
    } while (token && pages < 10);
    expect(pages).toBe(Math.ceil(total / 7));
    expect(seen).toEqual([
      ...all.bars.AAPL.map((b: { t: string }) => `AAPL@${b.t}`),
      ...all.bars.MSFT.map((b: { t: string }) => `MSFT@${b.t}`),
    ]);
  });

  it('returns the latest bars up to the feed’s present when no start is given', async () => {
    const res = await get('/api/v1/bars?symbols=AAPL&timeframe=1Min&limit=30');
    const bars = res.json().bars.AAPL as { t: string }[];
    expect(bars).toHaveLength(30);
    const last = Date.parse(bars.at(-1)!.t);
    expect(last).toBeLessThanOrEqual(IN_SESSION);
    expect(last).toBeGreaterThan(IN_SESSION - 5 * 60_000);
  });

  it('never returns bars from the future of the simulated clock', async () => {
    const res = await get(
      '/api/v1/bars?symbols=AAPL&timeframe=1Min&start=2024-03-12T14:00:00Z&end=2024-03-13T00:00:00Z',
    );
    const bars = res.json().bars.AAPL as { t: string }[];
    expect(Date.parse(bars.at(-1)!.t)).toBeLessThan(IN_SESSION);
  });

  it.each([
    ['timeframe=7Sec', 400, 'MARKET_INVALID_TIMEFRAME'],
    ['timeframe=1Min&start=yesterday', 400, 'MARKET_INVALID_PARAMETER'],
    ['timeframe=1Min&limit=0', 400, 'REQUEST_VALIDATION_FAILED'],
    ['timeframe=1Min&page_token=bogus&start=2024-03-12', 400, 'MARKET_INVALID_PAGE_TOKEN'],
  ])('refuses %s with %i %s', async (query, status, code) => {
    const res = await get(`/api/v1/bars?symbols=AAPL&${query}`);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('answers 404 MARKET_UNKNOWN_SYMBOL for a symbol it does not carry', async () => {
    const res = await get('/api/v1/bars?symbols=ZZZZ&timeframe=1Min');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'MARKET_UNKNOWN_SYMBOL',
      message: 'No instrument has the symbol ZZZZ',
    });
  });

  it('searches assets by symbol prefix and by name, labelled simulated', async () => {
    const bySymbol = (await get('/api/v1/assets?search=aap')).json();
    expect(bySymbol[0]).toMatchObject({
      symbol: 'AAPL',
      name: expect.stringContaining('Apple'),
      simulated: true,
      class: 'us_equity',
    });
    const byName = (await get('/api/v1/assets?search=microsoft')).json();
    expect(byName.map((a: { symbol: string }) => a.symbol)).toContain('MSFT');
    expect((await get('/api/v1/assets')).json().length).toBeGreaterThanOrEqual(50);
  });

  it('serves the clock and calendar on the simulated time', async () => {
    const clock = (await get('/api/v1/clock')).json();
    expect(clock).toEqual({
      timestamp: '2024-03-12T10:30:00-04:00',
      is_open: true,
      next_open: '2024-03-13T09:30:00-04:00',
      next_close: '2024-03-12T16:00:00-04:00',
    });
    const days = (await get('/api/v1/calendar?start=2024-03-28&end=2024-04-01')).json();
    expect(days.map((d: { date: string }) => d.date)).toEqual(['2024-03-28', '2024-04-01']);
    expect(days[0]).toMatchObject({ open: '09:30', close: '16:00' });
  });

  it('serves snapshots with the latest minute bar and today’s and the previous daily bars', async () => {
    const res = await get('/api/v1/snapshots?symbols=AAPL,MSFT');
    expect(res.statusCode).toBe(200);
    const { snapshots, source } = res.json();
    expect(source).toBe('sim');
    expect(Object.keys(snapshots)).toEqual(['AAPL', 'MSFT']);
    const day = parseTimeframe('1Day')!;
    const days = simulator.bars('AAPL', day, Date.parse('2024-03-01T00:00:00Z'), IN_SESSION + 1);
    expect(snapshots.AAPL.dailyBar).toMatchObject({
      t: '2024-03-12T04:00:00Z',
      o: days.at(-1)!.o,
      c: days.at(-1)!.c,
    });
    expect(snapshots.AAPL.prevDailyBar).toMatchObject({ t: '2024-03-11T04:00:00Z', c: days.at(-2)!.c });
    expect(Date.parse(snapshots.AAPL.minuteBar.t)).toBe(IN_SESSION - 60_000);
    expect(snapshots.AAPL.latestTrade).toBeNull();
  });
});
