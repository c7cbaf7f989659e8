import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/kernel/index.js';
import { MarketSimulator } from '../../core/market-data/index.js';
import { type SimServer, buildSimServer } from './sim-server.js';

const NOW = Date.parse('2024-03-12T15:00:30Z');
const KEY = { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' };
const simulator = new MarketSimulator({ seed: 'rest-test' });
let sim: SimServer;

type BarsBody = {
  bars: Record<string, Array<{ t: string; c: number; v: number }>>;
  next_page_token: string | null;
};

async function get<T>(
  url: string,
  headers: Record<string, string> = KEY,
): Promise<{ status: number; body: T }> {
  const res = await sim.app.inject({ url, headers });
  return { status: res.statusCode, body: res.json<T>() };
}

beforeAll(async () => {
  sim = await buildSimServer({ simulator, clock: new ManualClock(NOW) });
});
afterAll(() => sim.close());

describe('auth', () => {
  it('answers 401 with Alpaca code 40110000 when the key headers are missing', async () => {
    expect(await get('/v2/stocks/AAPL/bars?timeframe=1Min', {})).toEqual({
      status: 401,
      body: { code: 40110000, message: 'request is not authorized' },
    });
  });

  it('answers 403 with 40310000 when a configured pair does not match', async () => {
    const locked = await buildSimServer({
      simulator,
      clock: new ManualClock(NOW),
      key: 'k',
      secret: 'right',
    });
    const res = await locked.app.inject({ url: '/v2/clock', headers: KEY });
    expect([res.statusCode, res.json()]).toEqual([403, { code: 40310000, message: 'forbidden' }]);
    await locked.close();
  });
});

describe('historical bars', () => {
  const query = 'symbols=AAPL,MSFT,SPY&timeframe=5Min&start=2024-03-11T13:30:00Z&end=2024-03-11T20:00:00Z';

  it('pages with a limit across symbols, and the pages join into the single large response', async () => {
    const whole = (await get<BarsBody>(`/v2/stocks/bars?${query}&limit=10000`)).body;
    expect(whole.next_page_token).toBeNull();
    // 13:30 to 20:00 inclusive: 78 regular-session buckets plus the after-hours one at 20:00.
    expect(whole.bars.AAPL).toHaveLength(79);
    const joined: Record<string, unknown[]> = {};
    let token: string | null = null;
    let pages = 0;
    do {
      const page: BarsBody = (
        await get<BarsBody>(`/v2/stocks/bars?${query}&limit=50${token ? `&page_token=${token}` : ''}`)
      ).body;
      const count = Object.values(page.bars).reduce((n, xs) => n + xs.length, 0);
      expect(count).toBeLessThanOrEqual(50);
      for (const [symbol, xs] of Object.entries(page.bars)) (joined[symbol] ??= []).push(...xs);
      token = page.next_page_token;
      pages += 1;
    } while (token);
    expect(pages).toBe(5);
    expect(joined).toEqual(whole.bars);
  });

  it('sorts descending and pages the same way', async () => {
    const first = (
      await get<BarsBody>(
        `/v2/stocks/AAPL/bars?timeframe=1Hour&start=2024-03-11&end=2024-03-12&sort=desc&limit=3`,
      )
    ).body as unknown as {
      bars: Array<{ t: string }>;
      next_page_token: string;
    };
    expect(first.bars.map((b) => b.t)).toEqual([
      '2024-03-11T23:00:00Z',
      '2024-03-11T22:00:00Z',
      '2024-03-11T21:00:00Z',
    ]);
    const second = (
      await get<{ bars: Array<{ t: string }> }>(
        `/v2/stocks/AAPL/bars?timeframe=1Hour&start=2024-03-11&end=2024-03-12&sort=desc&limit=3&page_token=${first.next_page_token}`,
      )
    ).body;
    expect(second.bars[0]?.t).toBe('2024-03-11T20:00:00Z');
  });

  it('never returns data past the simulated now: the current minute bar is partial', async () => {
    const { body } = await get<BarsBody>(
      '/v2/stocks/bars?symbols=AAPL&timeframe=1Min&start=2024-03-12T14:58:00Z&end=2024-03-12T23:00:00Z',
    );
    expect(body.bars.AAPL?.map((b) => b.t)).toEqual([
      '2024-03-12T14:58:00Z',
      '2024-03-12T14:59:00Z',
      '2024-03-12T15:00:00Z',
    ]);
    const soFar = simulator.tradesBetween('AAPL', Date.parse('2024-03-12T15:00:00Z'), NOW + 1);
    expect(body.bars.AAPL?.[2]?.v).toBe(soFar.reduce((v, t) => v + t.size, 0));
    const trades = await get<{ trades: Record<string, Array<{ t: string }>> }>(
      '/v2/stocks/trades?symbols=AAPL&start=2024-03-12T15:00:00Z&end=2024-03-13',
    );
    expect(trades.body.trades.AAPL).toHaveLength(soFar.length);
  });

  it('rejects bad parameters the way Alpaca does', async () => {
    expect(await get('/v2/stocks/bars?symbols=AAPL&timeframe=7Days')).toEqual({
      status: 400,
      body: { code: 40010001, message: 'invalid timeframe: 7Days' },
    });
    expect((await get('/v2/stocks/bars?timeframe=1Min')).status).toBe(400);
    expect((await get('/v2/stocks/bars?symbols=AAPL&timeframe=1Min&limit=10001')).status).toBe(400);
    expect((await get('/v2/stocks/bars?symbols=AAPL&timeframe=1Min&start=yesterday')).body).toEqual({
      code: 40010001,
      message: "Invalid format for parameter start: error parsing 'yesterday' as RFC3339 or 2006-01-02 time",
    });
    expect(
      (await get('/v2/stocks/bars?symbols=AAPL&timeframe=1Min&start=2024-03-12&end=2024-03-11')).status,
    ).toBe(422);
    expect(await get(`/v2/stocks/bars?${query}&page_token=bm90LWEtdG9rZW4`)).toEqual({
      status: 400,
      body: { code: 40010001, message: 'invalid page_token' },
    });
  });
});

describe('quotes, latest and snapshots', () => {
  it('serves one quote per 250 ms NBBO slot, paged', async () => {
    const { body } = await get<{ quotes: Array<{ t: string; bp: number }>; next_page_token: string }>(
      '/v2/stocks/AAPL/quotes?start=2024-03-12T14:30:00Z&limit=4',
    );
    expect(body.quotes.map((q) => q.t)).toEqual([
      '2024-03-12T14:30:00Z',
      '2024-03-12T14:30:00.250Z',
      '2024-03-12T14:30:00.500Z',
      '2024-03-12T14:30:00.750Z',
    ]);
    expect(body.quotes[1]?.bp).toBe(
      simulator.quoteAt('AAPL', Date.parse('2024-03-12T14:30:00.250Z')).bidPrice,
    );
    expect(body.next_page_token).toEqual(expect.any(String));
  });

  it('answers latest bars with the last completed minute and omits unknown symbols', async () => {
    const { body } = await get<{ bars: Record<string, { t: string }> }>(
      '/v2/stocks/bars/latest?symbols=AAPL,NOPE',
    );
    expect(Object.keys(body.bars)).toEqual(['AAPL']);
    expect(body.bars.AAPL?.t).toBe('2024-03-12T14:59:00Z');
    expect((await get('/v2/stocks/NOPE/trades/latest')).status).toBe(404);
  });

  it('answers the multi-symbol snapshot as an unwrapped map', async () => {
    const { body } = await get<
      Record<string, { latestTrade: { p: number }; dailyBar: { t: string }; prevDailyBar: { t: string } }>
    >('/v2/stocks/snapshots?symbols=AAPL,SPY');
    expect(Object.keys(body)).toEqual(['AAPL', 'SPY']);
    expect(body.SPY?.latestTrade.p).toBe(simulator.tradesBetween('SPY', NOW - 60_000, NOW + 1).at(-1)?.price);
    expect([body.AAPL?.dailyBar.t, body.AAPL?.prevDailyBar.t]).toEqual([
      '2024-03-12T04:00:00Z',
      '2024-03-11T04:00:00Z',
    ]);
  });
});

describe('trading basics', () => {
  it('lists calendar days with early closes and T+1/T+2 settlement', async () => {
    const { body } = await get<Array<Record<string, string>>>('/v2/calendar?start=2024-05-23&end=2024-05-28');
    expect(body.map((d) => [d.date, d.settlement_date])).toEqual([
      ['2024-05-23', '2024-05-28'],
      ['2024-05-24', '2024-05-29'],
      ['2024-05-28', '2024-05-29'],
    ]);
    const blackFriday = (
      await get<Array<Record<string, string>>>('/v2/calendar?start=2024-11-29T00:00:00Z&end=2024-11-29')
    ).body[0];
    expect(blackFriday).toEqual({
      date: '2024-11-29',
      open: '09:30',
      close: '13:00',
      session_open: '0400',
      session_close: '1700',
      settlement_date: '2024-12-02',
    });
  });

  it('finds an asset by symbol or id and 404s otherwise', async () => {
    const { body } = await get<{ id: string; symbol: string }>('/v2/assets/SPY');
    expect((await get<{ symbol: string }>(`/v2/assets/${body.id}`)).body.symbol).toBe('SPY');
    expect(await get('/v2/assets/NOPE')).toEqual({
      status: 404,
      body: { code: 40410000, message: 'asset not found' },
    });
    expect((await get<unknown[]>('/v2/assets?exchange=ARCA')).body.length).toBe(
      simulator.instruments.filter((i) => i.exchange === 'ARCA').length,
    );
  });
});
