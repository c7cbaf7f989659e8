import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStart, type Bar } from '../../../core/market-data/index.js';
import { compileRule, firingPolicy, signalFirings } from '../../../core/signals/index.js';
import { SqlSessionStore, SqlUserStore } from '../../adapters/db/sql-stores.js';
import { startSession } from '../../accounts/sessions.js';
import { LiveSignals } from '../../signals/live-signals.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

interface Session {
  cookie: string;
  csrf: string;
}

const MINUTE = { amount: 1, unit: 'Min' } as const;

describe('signalRoutes', () => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;
  let aliceId: string;

  async function userSession(email: string): Promise<Session & { id: string }> {
    const db = t.database.handle.db;
    const id = crypto.randomUUID();
    await new SqlUserStore(db).insert({ id, email, passwordHash: 'x', role: 'trader' });
    const { token, session } = await startSession(
      { userId: id, userAgent: null, ip: null, now: new Date() },
      { sessions: new SqlSessionStore(db) },
    );
    return { id, cookie: `pulse_session=${token}`, csrf: session.csrfToken };
  }

  const call = (who: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.http.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      ...(payload !== undefined && { payload: payload as object }),
    });

  /** The next closed minutes after the clock, as the live market would publish them; the clock moves past them. */
  async function nextMinutes(count: number): Promise<Bar[]> {
    const from = bucketStart(t.clock.now(), MINUTE);
    t.clock.set(from + count * 60_000);
    return t.feed.bars('AAPL', MINUTE, from, from + count * 60_000);
  }

  beforeAll(async () => {
    t = await createTestApp({}, { signals: true });
    const a = await userSession('alice@example.com');
    aliceId = a.id;
    alice = a;
    bob = await userSession('bob@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a rule that does not check with 422 and the line and column of each problem', async () => {
    const res = await call(alice, 'POST', '/api/v1/signals', {
      name: 'Typo',
      source: 'close > sma(close, 20)\n  and rsi(closee, 14) < 30',
      symbols: ['AAPL'],
    });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('SIGNALS_RULE_INVALID');
    expect(body.errors[0]).toMatchObject({ line: 2, column: 11 });
    expect(body.message).toMatch(/^2:11: /);
  });

  it('creates, reads, edits and deletes a signal, and hides it from another user', async () => {
    const created = await call(alice, 'POST', '/api/v1/signals', {
      name: 'Golden cross',
      source: 'crossover(sma(close, 50), sma(close, 200))',
      symbols: ['AAPL', 'MSFT'],
      timeframe: '1Hour',
      cooldownBars: 3,
    });
    expect(created.statusCode).toBe(201);
    const signal = created.json();
    expect(signal).toMatchObject({
      mode: 'once_per_bar',
      timeframe: '1Hour',
      symbols: ['AAPL', 'MSFT'],
      enabled: true,
    });
    expect((await call(alice, 'GET', '/api/v1/signals')).json().map((s: { id: string }) => s.id)).toContain(
      signal.id,
    );
    expect((await call(bob, 'GET', `/api/v1/signals/${signal.id}`)).statusCode).toBe(404);
    expect((await call(bob, 'GET', `/api/v1/signals/${signal.id}/firings`)).statusCode).toBe(404);
    expect((await call(bob, 'DELETE', `/api/v1/signals/${signal.id}`)).statusCode).toBe(404);
    expect((await call(bob, 'GET', '/api/v1/signals')).json()).toEqual([]);
    expect(t.signals!.live.engine.size()).toMatchObject({ subscriptions: 2, lanes: 2 });

    const bad = await call(alice, 'PATCH', `/api/v1/signals/${signal.id}`, { source: 'close >' });
    expect(bad.statusCode).toBe(422);
    const renamed = await call(alice, 'PATCH', `/api/v1/signals/${signal.id}`, {
      name: 'GC',
      symbols: ['AAPL'],
    });
    expect(renamed.json()).toMatchObject({ name: 'GC', symbols: ['AAPL'] });
    expect(t.signals!.live.engine.size()).toMatchObject({ subscriptions: 1 });

    expect((await call(alice, 'DELETE', `/api/v1/signals/${signal.id}`)).statusCode).toBe(204);
    expect((await call(alice, 'GET', `/api/v1/signals/${signal.id}`)).statusCode).toBe(404);
    expect(t.signals!.live.engine.size()).toMatchObject({ subscriptions: 0 });
  });

  it('previews where a rule would have fired over recent closed bars, as the engine decides', async () => {
    const source = 'crossover(ema(close, 5), sma(close, 20))';
    const res = await call(alice, 'POST', '/api/v1/signals/preview', {
      source,
      symbol: 'AAPL',
      timeframe: '5Min',
      bars: 300,
    });
    expect(res.statusCode).toBe(200);
    const preview = res.json();
    expect(preview.bars).toBe(300);
    const rule = compileRule(source, { timeframe: '5Min' });
    if (!rule.ok) throw new Error('rule');
    const end = bucketStart(t.clock.now(), { amount: 5, unit: 'Min' });
    const bars = await t.feed.bars('AAPL', { amount: 5, unit: 'Min' }, end - 20 * 86_400_000, end);
    const recent = bars.slice(-(300 + rule.rule.warmup));
    const expected = signalFirings(rule.rule, firingPolicy({ mode: 'once_per_bar' }), recent).firings.filter(
      (f) => f.t >= Date.parse(preview.from),
    );
    expect(preview.firings.length).toBeGreaterThan(0);
    expect(preview.firings.map((f: { t: number }) => f.t)).toEqual(expected.map((f) => f.t));
    expect(
      (await call(alice, 'POST', '/api/v1/signals/preview', { source: 'sma(close)', symbol: 'AAPL' }))
        .statusCode,
    ).toBe(422);
  });

  it('stores each live firing with its bar and values, and a restart neither repeats nor loses one', async () => {
    const created = await call(alice, 'POST', '/api/v1/signals', {
      name: 'Up minute',
      source: 'close > open',
      symbols: ['AAPL'],
      mode: 'every_time',
      actions: { notify: [], order: { side: 'buy', qty: '1' } },
    });
    const id = created.json().id as string;
    const first = await nextMinutes(30);
    await t.signals!.live.onBars(first);
    const expected = first.filter((b) => b.c > b.o).map((b) => new Date(b.t).toISOString());
    const firings = (await call(alice, 'GET', `/api/v1/signals/${id}/firings?limit=1000`)).json();
    expect(firings.map((f: { barTime: string }) => f.barTime).reverse()).toEqual(expected);
    expect(firings[0]).toMatchObject({
      values: { close: firings[0].bar.c, open: firings[0].bar.o },
      catchUp: false,
      order: { clientOrderId: `signal:${id}:AAPL:${firings[0].bar.t}`, status: 'skipped' },
    });

    // The process stops; 20 minutes pass; a new process warms up from history and catches up from the cursors.
    await t.signals!.live.stop();
    const missed = await nextMinutes(20);
    const restarted = new LiveSignals({
      store: t.signals!.store,
      history: t.feed,
      market: t.live,
      now: () => t.clock.now(),
      catchUpBars: 50,
    });
    await restarted.start();
    await restarted.onBars(first.slice(-3)); // a replayed batch changes nothing
    await restarted.stop();
    const after = (await call(alice, 'GET', `/api/v1/signals/${id}/firings?limit=1000`)).json();
    const times = after.map((f: { barTime: string }) => f.barTime).reverse();
    expect(times).toEqual([
      ...expected,
      ...missed.filter((b) => b.c > b.o).map((b) => new Date(b.t).toISOString()),
    ]);
    expect(new Set(times).size).toBe(times.length);
    expect(after.filter((f: { catchUp: boolean }) => f.catchUp).length).toBe(
      missed.filter((b) => b.c > b.o).length,
    );
    expect(aliceId).toBeTruthy();
  });
});
