import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../contracts/stream.js';
import { backoffDelay, createStreamClient, streamUrl, type SocketLike } from './stream-client.js';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  /** The server accepts the connection and greets like Pulse does. */
  accept(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
    this.frame([{ T: 'success', msg: 'connected', source: 'sim' }]);
  }
  frame(messages: ServerMessage[]): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(messages) }));
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code: 1006 }));
  }
}

const latest = (): FakeSocket => {
  const socket = FakeSocket.all.at(-1);
  if (socket === undefined) throw new Error('no socket was opened');
  return socket;
};

function client(random = () => 0.5) {
  return createStreamClient({
    url: 'ws://pulse.test/api/v1/stream',
    createSocket: (url) => new FakeSocket(url),
    random,
  });
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('streamUrl', () => {
  it('uses wss on https pages and ws on http pages', () => {
    expect(streamUrl({ protocol: 'https:', host: 'pulse.example:8443' })).toBe(
      'wss://pulse.example:8443/api/v1/stream',
    );
    expect(streamUrl({ protocol: 'http:', host: '127.0.0.1:3000' })).toBe(
      'ws://127.0.0.1:3000/api/v1/stream',
    );
  });
});

describe('backoffDelay', () => {
  it('grows exponentially from 0.5 s and never passes 30 s', () => {
    const top = (attempt: number): number => backoffDelay(attempt, () => 1);
    expect([0, 1, 2, 3].map(top)).toEqual([500, 1000, 2000, 4000]);
    expect(top(20)).toBe(30_000);
  });

  it('jitters within the upper half of the step but never below 0.5 s', () => {
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 0.5)).toBe(3000);
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(30, () => 0)).toBe(15_000);
  });
});

describe('createStreamClient', () => {
  it('connects on the first subscription and sends it once the socket opens', () => {
    const stream = client();
    expect(FakeSocket.all).toHaveLength(0);
    stream.subscribe({ bars: ['AAPL'] });
    expect(latest().url).toBe('ws://pulse.test/api/v1/stream');
    latest().accept();
    expect(latest().sent).toEqual([{ action: 'subscribe', trades: [], quotes: [], bars: ['AAPL'] }]);
    expect(stream.status()).toBe('open');
  });

  it('delivers each message of a frame to listeners', () => {
    const stream = client();
    const seen: string[] = [];
    stream.onMessage((message) => seen.push(message.T));
    stream.subscribe({ bars: ['AAPL'] });
    latest().accept();
    latest().frame([
      { T: 'u', S: 'AAPL', o: 1, h: 2, l: 0.5, c: 1.5, v: 10, n: 2, vw: 1.2, t: '2026-11-24T15:00:00Z' },
      { T: 'b', S: 'AAPL', o: 1, h: 2, l: 0.5, c: 1.6, v: 12, n: 3, vw: 1.3, t: '2026-11-24T15:00:00Z' },
    ]);
    expect(seen).toEqual(['success', 'u', 'b']);
  });

  it('reconnects with growing jittered delays and resubscribes everything after a drop', () => {
    const stream = client(() => 0);
    stream.subscribe({ bars: ['AAPL'] });
    stream.subscribe({ bars: ['MSFT'], quotes: ['AAPL'] });
    latest().accept();
    latest().drop();
    expect(stream.status()).toBe('reconnecting');

    // attempt 0: 500 ms
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    // it fails before the server greets: attempt 1 waits 500..1000 ms (random 0 → 500)
    latest().drop();
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    // attempt 2 waits 1000 ms
    latest().drop();
    vi.advanceTimersByTime(999);
    expect(FakeSocket.all).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(4);

    latest().accept();
    expect(stream.status()).toBe('open');
    expect(latest().sent).toEqual([
      { action: 'subscribe', trades: [], quotes: ['AAPL'], bars: ['AAPL', 'MSFT'] },
    ]);
  });

  it('starts the backoff over once a server greets it', () => {
    const stream = client(() => 0);
    stream.subscribe({ bars: ['AAPL'] });
    latest().drop();
    vi.advanceTimersByTime(500);
    latest().drop();
    vi.advanceTimersByTime(500);
    latest().accept();
    latest().drop();
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(4);
  });

  it('caps the delay at 30 s however many attempts fail', () => {
    const stream = client(() => 1);
    stream.subscribe({ bars: ['AAPL'] });
    for (let i = 0; i < 12; i += 1) {
      latest().drop();
      vi.advanceTimersByTime(30_000);
    }
    const count = FakeSocket.all.length;
    latest().drop();
    vi.advanceTimersByTime(29_999);
    expect(FakeSocket.all).toHaveLength(count);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(count + 1);
  });

  it('pings every 20 s while open', () => {
    const stream = client();
    stream.subscribe({ bars: ['AAPL'] });
    latest().accept();
    latest().sent = [];
    vi.advanceTimersByTime(20_000);
    latest().frame([{ T: 'pong', id: 1, t: '2026-11-24T15:00:20Z' }]);
    vi.advanceTimersByTime(20_000);
    expect(latest().sent).toEqual([
      { action: 'ping', id: 1 },
      { action: 'ping', id: 2 },
    ]);
  });

  it('drops a socket that stops answering pings and reconnects', () => {
    const stream = client(() => 0);
    stream.subscribe({ bars: ['AAPL'] });
    const silent = latest();
    silent.accept();
    vi.advanceTimersByTime(60_000);
    expect(silent.closedWith).toBe(4000);
    expect(stream.status()).toBe('reconnecting');
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('unsubscribes on the server only when the last subscriber of a symbol leaves', () => {
    const stream = client();
    const first = stream.subscribe({ bars: ['AAPL'] });
    const second = stream.subscribe({ bars: ['AAPL'] });
    latest().accept();
    latest().sent = [];
    first();
    first();
    expect(latest().sent).toEqual([]);
    second();
    expect(latest().sent).toEqual([{ action: 'unsubscribe', trades: [], quotes: [], bars: ['AAPL'] }]);
  });

  it('stops reconnecting after close', () => {
    const stream = client();
    stream.subscribe({ bars: ['AAPL'] });
    latest().accept();
    const socket = latest();
    stream.close();
    expect(socket.closedWith).toBe(1000);
    expect(stream.status()).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('reports status changes to listeners', () => {
    const stream = client(() => 0);
    const statuses: string[] = [];
    stream.onStatus((status) => statuses.push(status));
    stream.subscribe({ bars: ['AAPL'] });
    latest().accept();
    latest().drop();
    vi.advanceTimersByTime(500);
    latest().accept();
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('ignores frames that are not JSON arrays of messages', () => {
    const stream = client();
    const listener = vi.fn();
    stream.subscribe({ bars: ['AAPL'] });
    latest().accept();
    stream.onMessage(listener);
    latest().onmessage?.(new MessageEvent('message', { data: 'not json' }));
    latest().onmessage?.(new MessageEvent('message', { data: '[1, null, {"x": 1}]' }));
    expect(listener).not.toHaveBeenCalled();
  });

  it('announces a resume after a reconnect, but not on the first connection', () => {
    const stream = client(() => 0);
    const resumes: string[] = [];
    stream.onResume((reason) => resumes.push(reason));
    stream.subscribe({ bars: ['AAPL'] });
    latest().accept();
    expect(resumes).toEqual([]);
    latest().drop();
    vi.advanceTimersByTime(500);
    latest().accept();
    expect(resumes).toEqual(['reconnect']);
  });

  it('resubscribes everything and announces a resume when the server asks for a resync', () => {
    const stream = client();
    const resumes: string[] = [];
    stream.onResume((reason) => resumes.push(reason));
    stream.subscribe({ bars: ['AAPL'], trades: ['MSFT'] });
    latest().accept();
    latest().sent = [];
    latest().frame([{ T: 'resync', reason: 'slow_consumer', since: '2026-11-24T15:00:00Z' }]);
    expect(latest().sent).toEqual([{ action: 'subscribe', trades: ['MSFT'], quotes: [], bars: ['AAPL'] }]);
    expect(resumes).toEqual(['resync']);
  });
});
